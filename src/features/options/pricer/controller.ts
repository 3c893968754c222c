/**
 * Keeps the pricer's read-outs in step with its inputs without going through React: every change of the store's
 * pricer state is sent to the options worker at once (at most one quote and one curves request in flight, the
 * newest inputs winning), and the reply is written straight into the Greek cells.
 */
import { LatestOnly, type OptionsClients } from '../../../engine/options';
import type { CurvesResult, OptionInputs, Quote } from '../../../protocol/options';
import { watch, type AppState, type AppStore } from '../../../state';
import { notePainted, recordLatency } from '../latency';
import { curvePoints, formatValue, greekDisplays, toInputs } from './model';

/** Shortest interval between two curve requests while the inputs keep changing. */
const CURVES_MS = 50;

interface QuoteArgs {
  inputs: OptionInputs;
  inputTime: number | null;
  sentAt: number;
}

export interface PricerCallbacks {
  /** An engine error for the current inputs (null once they price again). */
  error(message: string | null): void;
  curves(result: CurvesResult, inputs: OptionInputs): void;
  curvesBusy(busy: boolean): void;
  /** Fraction done of the curves being computed (long only for the trees). */
  curvesProgress(fraction: number): void;
}

export class PricerController {
  private cells: HTMLElement[] = [];
  private last: Quote | null = null;
  private inputTime: number | null = null;
  private readonly quotes: LatestOnly<QuoteArgs, Quote>;
  private readonly curves: LatestOnly<OptionInputs, CurvesResult>;
  private readonly unwatch: Array<() => void> = [];
  private curvesTimer: ReturnType<typeof setTimeout> | null = null;
  private curvesDue: OptionInputs | null = null;

  constructor(clients: OptionsClients, private readonly store: AppStore, private readonly cb: PricerCallbacks) {
    this.quotes = new LatestOnly(
      (a) => {
        a.sentAt = performance.now();
        return clients.quotes.request('quote', { inputs: a.inputs });
      },
      (q, a) => {
        this.last = q;
        this.paint();
        if (a.inputTime !== null) recordLatency(a.inputTime, a.sentAt);
        this.cb.error(null);
      },
      (e) => this.cb.error(e.message),
    );
    this.curves = new LatestOnly(
      (inputs) => clients.jobs.request('curves', { channel: 'pricer', inputs, points: curvePoints(inputs.model) },
        (done, total) => this.cb.curvesProgress(done / total)),
      (r, inputs) => {
        // Newer inputs may already be on their way: stay busy until the newest curves are in.
        this.cb.curvesBusy(this.curves.inFlight);
        this.cb.curves(r, inputs);
      },
      () => this.cb.curvesBusy(this.curves.inFlight),
    );
    const pricer = (s: AppState): AppState['pricer'] => s.pricer;
    this.unwatch.push(watch(store, pricer, (p, before) => {
      const inputs = toInputs(p);
      const prev = toInputs(before);
      if (JSON.stringify(inputs) === JSON.stringify(prev)) {
        this.paint();
        return;
      }
      this.submit(inputs);
    }));
  }

  /** The next submitted change came from an input event at `t` (event.timeStamp). */
  noteInput(t: number): void {
    this.inputTime = t;
  }

  attach(cells: HTMLElement[]): void {
    this.cells = cells;
    this.paint();
  }

  refresh(): void {
    this.submit(toInputs(this.store.getState().pricer));
  }

  dispose(): void {
    if (this.curvesTimer !== null) clearTimeout(this.curvesTimer);
    for (const u of this.unwatch) u();
  }

  private submit(inputs: OptionInputs): void {
    this.quotes.submit({ inputs, inputTime: this.inputTime, sentAt: 0 });
    this.inputTime = null;
    this.cb.curvesBusy(true);
    // Curves follow at most every CURVES_MS while inputs keep changing (the last inputs always get theirs):
    // they are hundreds of prices each, and during a drag the CPU is better spent on the quote.
    this.curvesDue = inputs;
    if (this.curvesTimer !== null) return;
    this.curves.submit(inputs);
    this.curvesDue = null;
    this.curvesTimer = setTimeout(() => this.flushCurves(), CURVES_MS);
  }

  private flushCurves(): void {
    this.curvesTimer = null;
    const due = this.curvesDue;
    if (!due) return;
    this.curvesDue = null;
    this.curves.submit(due);
    this.curvesTimer = setTimeout(() => this.flushCurves(), CURVES_MS);
  }

  private paint(): void {
    const q = this.last;
    if (!q) return;
    const { perDay, perPct } = this.store.getState().pricer;
    const shown = greekDisplays(perDay, perPct);
    for (const cell of this.cells) {
      const d = shown.find((g) => g.name === cell.dataset['greek']);
      if (!d) continue;
      const raw = q[d.name];
      cell.dataset['value'] = String(raw);
      const text = formatValue(raw * d.scale);
      if (cell.textContent !== text) cell.textContent = text;
    }
    notePainted();
  }
}
