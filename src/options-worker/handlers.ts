/** The options worker's requests as jobs over a `PricingEngine` (no messaging here, so Node tests can run them). */
import {
  CURVE_AXES, CURVE_FIELDS, type CurvesResult, type HeatmapResult, type OptionInputs, type OptionsRequest,
  type StrategyResult,
} from '../protocol/options';
import type { JobBody } from './jobs';
import {
  accumulateLeg, curveRange, entryCost, firstExpiry, inputsAt, linspace, positionGreeks, volSourceFor, writeQuote,
  type PricingEngine,
} from './pricing';

type Req<K extends OptionsRequest['type']> = Extract<OptionsRequest, { type: K }>;

const MAX_POINTS = 2001;
const MAX_CELLS = 200_000;

function checkCount(name: string, v: number, max: number): void {
  if (!Number.isInteger(v) || v < 2 || v > max) throw new Error(`${name} must be a whole number from 2 to ${max}, got ${v}`);
}

function checkRange(lo: number, hi: number): void {
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || !(hi > lo)) throw new Error(`spot range must satisfy lo < hi, got ${lo}..${hi}`);
}

export function* curvesJob(engine: PricingEngine, inputs: OptionInputs, points: number): JobBody<CurvesResult> {
  checkCount('points', points, MAX_POINTS);
  const out: Record<string, Float64Array<ArrayBuffer>> = {};
  const total = points * CURVE_AXES.length;
  let done = 0;
  for (const axis of CURVE_AXES) {
    const xs = curveRange(inputs, axis, points);
    const buf = new Float64Array(CURVE_FIELDS * points);
    for (let p = 0; p < points; p++) {
      writeQuote(engine, inputsAt(inputs, axis, xs[p] as number), xs[p] as number, buf, p * CURVE_FIELDS);
      done++;
      if (p % 8 === 7) yield [done, total];
    }
    out[axis] = buf;
  }
  return { points, spot: (out['spot'] as Float64Array<ArrayBuffer>).buffer, vol: (out['vol'] as Float64Array<ArrayBuffer>).buffer,
    time: (out['time'] as Float64Array<ArrayBuffer>).buffer };
}

export function* strategyJob(engine: PricingEngine, req: Req<'strategy'>): JobBody<StrategyResult> {
  checkCount('n', req.n, MAX_POINTS);
  checkRange(req.lo, req.hi);
  const { strategy: st, scenario } = req;
  const vols = volSourceFor(req.vols);
  const spots = linspace(req.lo, req.hi, req.n);
  const cost = entryCost(engine, st, vols);
  const first = firstExpiry(st);
  const atExpiry = new Float64Array(req.n);
  const atDate = new Float64Array(req.n);
  const scratch = new Float64Array(req.n);
  const total = st.legs.length * 2;
  let done = 0;
  for (const leg of st.legs) {
    accumulateLeg(engine, st, leg, vols, spots, first ?? scenario.day, scenario.volShift, atExpiry, scratch);
    yield [++done, total];
    accumulateLeg(engine, st, leg, vols, spots, scenario.day, scenario.volShift, atDate, scratch);
    yield [++done, total];
  }
  for (let i = 0; i < req.n; i++) {
    atExpiry[i] = (atExpiry[i] as number) - cost;
    atDate[i] = (atDate[i] as number) - cost;
  }
  const greeks = positionGreeks(engine, st, vols, scenario);
  return { n: req.n, spots: spots.buffer, atExpiry: atExpiry.buffer, atDate: atDate.buffer, entryCost: cost, greeks,
    firstExpiryDay: first };
}

export function* heatmapJob(engine: PricingEngine, req: Req<'heatmap'>): JobBody<HeatmapResult> {
  checkCount('n', req.n, MAX_POINTS);
  checkCount('rowN', req.rowN, MAX_POINTS);
  checkRange(req.lo, req.hi);
  if (req.n * req.rowN > MAX_CELLS) throw new Error(`heatmap of ${req.n}×${req.rowN} cells exceeds ${MAX_CELLS}`);
  const { strategy: st, scenario } = req;
  const vols = volSourceFor(req.vols);
  const spots = linspace(req.lo, req.hi, req.n);
  const rows = linspace(req.rowLo, req.rowHi, req.rowN);
  const cost = entryCost(engine, st, vols);
  const values = new Float64Array(req.n * req.rowN);
  const acc = new Float64Array(req.n);
  const scratch = new Float64Array(req.n);
  const total = req.rowN * st.legs.length;
  let done = 0;
  for (let r = 0; r < req.rowN; r++) {
    acc.fill(0);
    const day = req.rows === 'day' ? (rows[r] as number) : scenario.day;
    const shift = req.rows === 'volShift' ? (rows[r] as number) : scenario.volShift;
    for (const leg of st.legs) {
      accumulateLeg(engine, st, leg, vols, spots, day, shift, acc, scratch);
      yield [++done, total];
    }
    for (let i = 0; i < req.n; i++) values[r * req.n + i] = (acc[i] as number) - cost;
  }
  return { rows: req.rowN, cols: req.n, values: values.buffer };
}
