/**
 * One replay: the dataset in the engine, a headless run of the whole dataset (summary, fills and equity for the
 * timeline, charts and blotter) and a second, identical backtest whose cursor follows playback (the book and
 * the strategy's open orders at the cursor). The two agree because the engine is deterministic for the same
 * data, config and seed.
 *
 * Playback: every tick (`tick()`, scheduled by the worker) asks the `Playback` clock how far to go, moves the
 * cursor there and posts one frame.
 */
import {
  DENSITY_BINS, EQUITY_FIELDS, FILL_FIELDS, ORDER_FIELDS,
  type DatasetInfo, type DatasetSource, type ReplayState, type RunResult, type UserScript,
} from '../protocol/replay';
import type { RenderSnapshot } from '../protocol/worker';
import type { StrategyError, StrategyMeta } from '../features/replay/strategy/api';
import { StrategyDriver, type StrategyPort } from '../features/replay/strategy/driver';
import type { LoadOutcome } from '../features/replay/strategy/sandboxClient';
import type { BacktestHandle, DatasetHandle, FileReader, ReplayBackend } from './engine';
import { BacktestExternal } from './external';
import { ScriptedCursor } from './scriptedCursor';
import { ReplayFrames } from './frames';
import { detectVenue, isArrowFile } from './recording';
import { densityFromSamples, Playback } from './playback';

export type ProgressFn = (done: number, total: number, label: string) => void;

/** The user-strategy sandbox as the session uses it (`SandboxClient`). */
export interface Sandbox extends StrategyPort {
  load(source: string, params: Record<string, unknown>, meta: StrategyMeta): Promise<LoadOutcome>;
}

/** A user strategy failed: the run stops, and the editor shows where. */
export class StrategyFailure extends Error {
  constructor(readonly strategyError: StrategyError) {
    super(strategyError.message);
    this.name = 'StrategyFailure';
  }
}

/** Strategy calls between two progress messages of a user-strategy run. */
const CALLS_PER_SLICE = 2_000;

export interface SessionIo {
  /** The strategy sandbox (created on first use, kept for later runs). */
  sandbox(): Sandbox;
  now(): number;
  /** Yields to the event loop (so progress messages go out and requests are read). */
  yield(): Promise<void>;
  frame(snapshot: RenderSnapshot, state: ReplayState): void;
  stopped(reason: string, error: boolean): void;
}

/** Events processed per slice of a headless run (between progress messages). */
export const RUN_SLICE = 1 << 20;
/** Trades replayed into the candles after a seek (the chart shows the last part of the session). */
const SEEK_TRADE_HISTORY = 100_000;
/** Trades passed to the tape per frame at most. */
const TAPE_PER_FRAME = 2_000;
/** Trades shown on the tape right after a seek. */
const SEEK_TAPE = 100;
const DENSITY_SAMPLES = 8_192;
/** Playback's tick in wall ms (the worker's timer), which spaces heatmap columns in data time. */
const TICK_MS = 16;
/** Heatmap columns rebuilt before the cursor after a seek. */
const HEAT_HISTORY_COLUMNS = 120;

interface Loaded {
  data: DatasetHandle;
  info: DatasetInfo;
}

interface Run {
  configJson: string;
  cursorBt: BacktestHandle;
  /**
   * A third backtest of the same run that rebuilds the heatmap's recent history after a seek (it replays the
   * stretch before the cursor, sampling the book once per column). None for user strategies, whose cursor
   * cannot seek backwards cheaply.
   */
  scoutBt: BacktestHandle | null;
}

export class ReplaySession {
  private loaded: Loaded | null = null;
  private run: Run | null = null;
  private frames: ReplayFrames | null = null;
  private readonly playback: Playback;
  private depth = 30;
  private lastTickAt = 0;
  private eventsPerSec = 0;
  private seekSerial = 0;

  constructor(private readonly backend: ReplayBackend, private readonly readFile: FileReader,
    private readonly io: SessionIo) {
    this.playback = new Playback(() => io.now());
  }

  get playing(): boolean {
    return this.playback.playing;
  }

  async load(source: DatasetSource, progress: ProgressFn): Promise<DatasetInfo> {
    this.stop();
    this.release();
    let data: DatasetHandle;
    let name: string;
    if (source.kind === 'sample') {
      checkWhole('seed', source.seed, 0, Number.MAX_SAFE_INTEGER);
      checkWhole('minutes', source.minutes, 1, 240);
      progress(0, 1, 'generating the sample day');
      await this.io.yield();
      data = this.backend.sampleDay(source.seed, source.minutes);
      name = `sample day (seed ${source.seed}, ${source.minutes} min)`;
    } else if (!isArrowFile(new Uint8Array(await source.file.slice(0, 6).arrayBuffer()))) {
      const file = source.file;
      progress(0, 1, `detecting the venue of ${file.name}`);
      const venue = await detectVenue(file);
      progress(0, 1, `converting the ${venue} recording ${file.name}`);
      await this.io.yield();
      data = this.backend.fromRecording(venue, new Uint8Array(await file.arrayBuffer()));
      name = file.name;
    } else {
      const file = source.file;
      let builder: ReturnType<ReplayBackend['newDataset']> | null = null;
      await this.readFile(file, (meta) => { builder = this.backend.newDataset(meta); }, (cols) => {
        if (!builder) throw new Error(`${file.name}: the file has record batches before its schema`);
        builder.append(cols);
      }, (bytes, total) => progress(bytes, total, `reading ${file.name}`));
      const b = builder as ReturnType<ReplayBackend['newDataset']> | null;
      if (!b) throw new Error(`${file.name}: the file holds no schema`);
      data = b.finish();
      name = file.name;
    }
    const n = data.length();
    if (n === 0) throw new Error(`${name}: the dataset holds no events`);
    progress(1, 1, 'indexing');
    await this.io.yield();
    const samples = Math.min(DENSITY_SAMPLES, n);
    const times = new Float64Array(samples);
    for (let k = 0; k < samples; k++) times[k] = data.tsMs(Math.round((k * (n - 1)) / Math.max(1, samples - 1)));
    const startMs = data.tsMs(0);
    const endMs = data.tsMs(n - 1);
    const info: DatasetInfo = {
      name,
      venue: data.meta.venue,
      symbol: data.meta.symbol,
      priceDecimals: data.meta.priceDecimals,
      qtyDecimals: data.meta.qtyDecimals,
      events: n,
      trades: data.trades(),
      startMs,
      endMs,
      hash: data.hash(),
      density: densityFromSamples(times, n, startMs, endMs, DENSITY_BINS),
    };
    this.loaded = { data, info };
    this.frames = new ReplayFrames(info, this.depth);
    return info;
  }

  /** Runs the whole dataset headless, then places the cursor at the start. */
  async runAll(configJson: string, progress: ProgressFn, script?: UserScript): Promise<RunResult> {
    const { data } = this.need();
    this.stop();
    const external = isExternal(configJson);
    if (external && !script) throw new Error('strategy.kind is "external": give the strategy source to run');
    const logs: string[] = [];
    let full: BacktestHandle | null = null;
    try {
      let cursor: BacktestHandle;
      let scout: BacktestHandle | null = null;
      if (external && script) {
        const bt = this.backend.externalBacktest(configJson, data);
        full = bt;
        const adapter = new BacktestExternal(bt, pricingOf(configJson, data), data.tsMs(0) * 1e6);
        const sandbox = this.io.sandbox();
        const loaded = await sandbox.load(script.source, script.params, data.meta);
        logs.push(...loaded.logs);
        if (!loaded.ok) throw new StrategyFailure(loaded.error);
        const driver = new StrategyDriver(adapter, sandbox);
        for (;;) {
          const r = await driver.run(CALLS_PER_SLICE);
          progress(bt.cursor(), data.length(), 'running the strategy');
          if (r.kind === 'error') {
            logs.push(...driver.logs);
            throw new StrategyFailure(r.error);
          }
          if (r.kind === 'end') break;
          await this.io.yield();
        }
        logs.push(...driver.logs);
        cursor = new ScriptedCursor(() => this.backend.externalBacktest(configJson, data), adapter.script);
      } else {
        const bt = this.backend.backtest(configJson, data);
        full = bt;
        const n = data.length();
        for (let at = 0; at < n;) {
          at = Math.min(n, at + RUN_SLICE);
          bt.runTo(at);
          progress(at, n, 'running the backtest');
          await this.io.yield();
        }
        cursor = this.backend.backtest(configJson, data);
        scout = this.backend.backtest(configJson, data);
      }
      const summary = full.summary();
      const fillsRaw = full.fills();
      const equityRaw = full.equity();
      const result: RunResult = {
        summary,
        fills: this.decimalFills(fillsRaw).buffer,
        equity: this.decimalEquity(equityRaw).buffer,
        fillsRaw: fillsRaw.slice().buffer,
        equityRaw: equityRaw.slice().buffer,
        engineVersion: this.backend.version,
        configJson,
        logs: logs.slice(-1000),
      };
      this.run?.cursorBt.free();
      this.run?.scoutBt?.free();
      this.run = { configJson, cursorBt: cursor, scoutBt: scout };
      this.seekTo(0);
      return result;
    } finally {
      full?.free();
    }
  }

  play(): boolean {
    const { data } = this.need();
    const bt = this.cursorBt();
    if (bt.cursor() >= data.length()) this.seekTo(0);
    this.playback.play(this.cursorMs());
    this.lastTickAt = this.io.now();
    return true;
  }

  pause(): void {
    this.stop();
    this.post(0);
  }

  setSpeed(speed: number): number {
    if (!(speed > 0)) throw new Error(`speed must be above 0 (data seconds per second), got ${speed}`);
    this.playback.setSpeed(speed, this.loaded && this.run ? this.cursorMs() : 0);
    return speed;
  }

  setDepth(depth: number): number {
    checkWhole('depth', depth, 1, 200);
    this.depth = depth;
    this.frames?.setDepth(depth);
    if (this.run) this.post(0);
    return depth;
  }

  /** Advances `groups` receive-time groups of events. */
  step(groups: number): number {
    checkWhole('events', groups, 1, 1_000_000);
    const { data } = this.need();
    const bt = this.cursorBt();
    this.stop();
    const from = bt.cursor();
    let to = from;
    for (let k = 0; k < groups && to < data.length(); k++) to = data.nextTime(to);
    bt.runTo(to);
    this.playback.moved(this.cursorMs());
    this.post(from);
    return to;
  }

  seek(target: { tsMs?: number; index?: number }): number {
    const { data } = this.need();
    let index: number;
    if (target.index !== undefined) {
      checkWhole('index', target.index, 0, data.length());
      index = target.index;
    } else if (target.tsMs !== undefined && Number.isFinite(target.tsMs)) {
      index = data.indexAtMs(target.tsMs);
    } else {
      throw new Error(`seek needs a finite tsMs or an index, got ${JSON.stringify(target)}`);
    }
    this.seekTo(index);
    return index;
  }

  /** One playback tick: moves the cursor as far as the clock says and posts a frame. */
  tick(): void {
    if (!this.playback.playing || !this.loaded || !this.run) return;
    const { data } = this.loaded;
    const bt = this.run.cursorBt;
    const adv = this.playback.next();
    const from = bt.cursor();
    const n = data.length();
    let to = from;
    let target: number | undefined;
    if (adv.kind === 'events') to = Math.min(n, from + adv.count);
    else if (adv.kind === 'time') {
      target = adv.targetMs;
      to = Math.max(from, data.indexAtMs(target));
    }
    try {
      bt.runTo(to);
    } catch (err) {
      this.stop();
      this.io.stopped(`The engine stopped the replay at event ${from}: ${message(err)}`, true);
      return;
    }
    const now = this.io.now();
    const dt = now - this.lastTickAt;
    this.lastTickAt = now;
    if (dt > 0) this.eventsPerSec = ((to - from) * 1000) / dt;
    this.playback.reached(this.cursorMs(), target);
    const ended = to >= n;
    if (ended) this.stop();
    this.post(from);
    if (ended) this.io.stopped('end of the data', false);
  }

  private seekTo(index: number): void {
    const { data } = this.need();
    const bt = this.cursorBt();
    bt.runTo(index);
    this.seekSerial += 1;
    const history = data.tradesBetween(Math.max(0, index - 50 * SEEK_TRADE_HISTORY), index, SEEK_TRADE_HISTORY);
    this.frames?.reset(history);
    this.playback.moved(this.cursorMs());
    this.postHeatHistory(index);
    this.post(index, history.subarray(Math.max(0, history.length - 4 * SEEK_TAPE)));
  }

  /**
   * After a seek, the heatmap's columns before the cursor: the scout backtest replays the stretch before the
   * cursor and samples the book once per column, spaced as playback at the current speed spaces them (one
   * column per tick). Posted as frames that carry only a heatmap column.
   */
  private postHeatHistory(index: number): void {
    if (!this.loaded || !this.run?.scoutBt || !this.frames || index === 0) return;
    const { data, info } = this.loaded;
    const scout = this.run.scoutBt;
    const speed = this.playback.speed;
    const step = (Number.isFinite(speed) ? speed : 1000) * TICK_MS;
    const endMs = data.tsMs(index - 1);
    const startMs = Math.max(info.startMs, endMs - HEAT_HISTORY_COLUMNS * step);
    for (let t = startMs; t < endMs; t += step) {
      const at = Math.min(index, data.indexAtMs(t));
      if (at === 0) continue;
      scout.runTo(at);
      // Each frame gets its own state: its buffers are transferred.
      this.io.frame(this.frames.heatOnly(scout), this.stateAt(index));
    }
  }

  private post(from: number, tapeOnly?: Float64Array): void {
    if (!this.loaded || !this.run || !this.frames) return;
    const { data } = this.loaded;
    const bt = this.run.cursorBt;
    const at = bt.cursor();
    const trades = at > from ? data.tradesBetween(from, at, TAPE_PER_FRAME) : new Float64Array(0);
    const snapshot = this.frames.build(bt, trades, tapeOnly);
    const state = this.stateAt(at);
    this.io.frame(snapshot, state);
  }

  /** The replay state at the cursor (`at` is the cursor index). */
  private stateAt(at: number): ReplayState {
    if (!this.loaded || !this.run || !this.frames) throw new Error('no run to describe');
    const { data, info } = this.loaded;
    const bt = this.run.cursorBt;
    const s = bt.summary();
    const orders = bt.openOrders();
    const out = new Float64Array(orders.length);
    for (let i = 0; i + ORDER_FIELDS <= orders.length; i += ORDER_FIELDS) {
      out[i] = orders[i] ?? 0;
      out[i + 1] = orders[i + 1] ?? 0;
      out[i + 2] = this.frames.px(orders[i + 2] ?? 0);
      out[i + 3] = this.frames.qty(orders[i + 3] ?? 0);
      out[i + 4] = this.frames.qty(orders[i + 4] ?? 0);
      out[i + 5] = this.frames.qty(orders[i + 5] ?? 0);
    }
    return {
      index: at,
      events: info.events,
      tsMs: at > 0 ? data.tsMs(at - 1) : info.startMs,
      playing: this.playback.playing,
      speed: this.playback.speed,
      position: this.frames.qty(s.position ?? 0),
      equity: s.pnl ?? 0,
      realised: s.realised ?? 0,
      unrealised: s.unrealised ?? 0,
      fees: s.fees ?? 0,
      fills: s.fills ?? 0,
      orders: out.buffer,
      eventsPerSec: this.playback.playing ? this.eventsPerSec : 0,
      seekSerial: this.seekSerial,
    };
  }

  private decimalFills(raw: Float64Array): Float64Array<ArrayBuffer> {
    const out = new Float64Array(raw.length);
    const f = this.frames;
    for (let i = 0; i + FILL_FIELDS <= raw.length; i += FILL_FIELDS) {
      out[i] = (raw[i] ?? 0) / 1e6;
      out[i + 1] = raw[i + 1] ?? 0;
      out[i + 2] = raw[i + 2] ?? 0;
      out[i + 3] = f ? f.px(raw[i + 3] ?? 0) : (raw[i + 3] ?? 0);
      out[i + 4] = f ? f.qty(raw[i + 4] ?? 0) : (raw[i + 4] ?? 0);
      out[i + 5] = raw[i + 5] ?? 0;
      out[i + 6] = raw[i + 6] ?? 0;
    }
    return out;
  }

  private decimalEquity(raw: Float64Array): Float64Array<ArrayBuffer> {
    const out = Float64Array.from(raw);
    const f = this.frames;
    for (let i = 0; i + EQUITY_FIELDS <= out.length; i += EQUITY_FIELDS) {
      out[i] = (out[i] ?? 0) / 1e6;
      if (f) out[i + 2] = f.qty(out[i + 2] ?? 0);
    }
    return out;
  }

  private cursorMs(): number {
    const { data, info } = this.need();
    const at = this.cursorBt().cursor();
    return at > 0 ? data.tsMs(at - 1) : info.startMs;
  }

  private cursorBt(): BacktestHandle {
    if (!this.run) throw new Error('run a backtest first: playback follows a run');
    return this.run.cursorBt;
  }

  private need(): Loaded {
    if (!this.loaded) throw new Error('load a dataset first (drop a file or pick the sample day)');
    return this.loaded;
  }

  private stop(): void {
    this.playback.pause();
  }

  private release(): void {
    this.run?.cursorBt.free();
    this.run = null;
    this.loaded = null;
    this.frames = null;
  }
}

function isExternal(configJson: string): boolean {
  try {
    const c = JSON.parse(configJson) as { strategy?: { kind?: unknown } };
    return c.strategy?.kind === 'external';
  } catch {
    return false;
  }
}

/** Fees and precision from a config (the fee a user strategy's fill events report). */
function pricingOf(configJson: string, data: DatasetHandle): {
  priceDecimals: number; qtyDecimals: number; makerBps: number; takerBps: number;
} {
  const c = JSON.parse(configJson) as { fees?: { makerBps?: unknown; takerBps?: unknown } };
  const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  return {
    priceDecimals: data.meta.priceDecimals,
    qtyDecimals: data.meta.qtyDecimals,
    makerBps: num(c.fees?.makerBps),
    takerBps: num(c.fees?.takerBps),
  };
}

function checkWhole(name: string, v: number, min: number, max: number): void {
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max}, got ${String(v)}`);
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
