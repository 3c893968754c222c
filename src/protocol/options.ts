/**
 * Main thread ↔ options worker messages, version 1. Types and constants only.
 *
 * Every request carries a `reqId` and is answered by exactly one `reply`. `quote` is answered at once; the
 * heavier requests (`curves`, `strategy`, `heatmap`) run in short slices so a `quote` is never stuck behind
 * them, and a newer request on the same `channel` supersedes an older one still running (it is answered
 * `ok: false, superseded: true`). While a long job runs the worker posts `progress` for its request.
 *
 * Bulk results move as transferred ArrayBuffers of float64 in the layouts documented below.
 * Units are QuantLib's: vega, rho and dividend rho per 1.00, theta and charm per year of calendar time.
 */

export const OPTIONS_PROTOCOL_VERSION = 1;

export const MODELS = ['bsm', 'black76', 'bachelier', 'baw', 'bjs1993', 'bjs2002', 'binomial', 'binomial_european'] as const;
export type ModelName = (typeof MODELS)[number];
export type OptionKind = 'call' | 'put';

/** The values `priceOption` returns, in this order in every float64 layout below. */
export const GREEKS = ['price', 'delta', 'gamma', 'vega', 'theta', 'rho', 'dividendRho', 'vanna', 'volga', 'charm'] as const;
export type GreekName = (typeof GREEKS)[number];
export type Quote = Record<GreekName, number>;

/** One option; `time` in years, `vol` absolute for Bachelier, `steps` for the binomial models. */
export interface OptionInputs {
  model: ModelName;
  type: OptionKind;
  spot: number;
  strike: number;
  rate: number;
  div: number;
  time: number;
  vol: number;
  steps: number;
}

export type CurveAxis = 'spot' | 'vol' | 'time';
export const CURVE_AXES: readonly CurveAxis[] = ['spot', 'vol', 'time'];
/** Values per point in a curve buffer: `[x, price, delta, …, charm]`. */
export const CURVE_FIELDS = 1 + GREEKS.length;

/** A strategy leg. `qty` is signed (negative: short); options are per unit of the underlying. */
export interface Leg {
  kind: OptionKind | 'underlying';
  qty: number;
  strike: number;
  /** Calendar days from today to expiry (0 = expires today: settles at intrinsic). */
  expiryDays: number;
  model: ModelName;
  /** The leg's volatility before any shift (absolute for Bachelier). */
  vol: number;
  steps: number;
}

export interface Strategy {
  /** Spot today (the forward for Black-76 legs). */
  spot: number;
  rate: number;
  div: number;
  legs: Leg[];
}

/**
 * Where leg volatilities come from. `flat`: each leg's own `vol`. Further sources (a fitted surface, as a
 * function of log-moneyness and time) are added as further members of this union.
 */
export type VolSourceSpec = { kind: 'flat' };

export interface Scenario {
  /** Valuation date, calendar days from today. */
  day: number;
  /** Added to every leg's volatility (absolute, e.g. 0.05 = +5 vol points). */
  volShift: number;
}

export type OptionsRequest =
  | { type: 'quote'; reqId: number; inputs: OptionInputs }
  | { type: 'curves'; reqId: number; channel: string; inputs: OptionInputs; points: number }
  /** P&L against spot on `spots` (lo..hi, n points) at the first expiry and at `scenario`, plus position Greeks. */
  | { type: 'strategy'; reqId: number; channel: string; strategy: Strategy; vols: VolSourceSpec; scenario: Scenario;
      lo: number; hi: number; n: number }
  /** P&L over spot (columns) × date or vol shift (rows). */
  | { type: 'heatmap'; reqId: number; channel: string; strategy: Strategy; vols: VolSourceSpec; scenario: Scenario;
      rows: 'day' | 'volShift'; rowLo: number; rowHi: number; rowN: number; lo: number; hi: number; n: number };

export type OptionsRequestType = OptionsRequest['type'];

export interface CurvesResult {
  points: number;
  /** Per axis a Float64Array of `CURVE_FIELDS × points`; NaN where the engine refused the inputs. */
  spot: ArrayBuffer;
  vol: ArrayBuffer;
  time: ArrayBuffer;
}

export interface StrategyResult {
  n: number;
  /** Float64Array(n) of spots. */
  spots: ArrayBuffer;
  /** Float64Array(n): P&L at the first option expiry (later legs at model value). */
  atExpiry: ArrayBuffer;
  /** Float64Array(n): P&L at the scenario's date and vol shift. */
  atDate: ArrayBuffer;
  /** Net premium paid today (negative: received), at the legs' own vols. */
  entryCost: number;
  /** Position Greeks at today's spot under the scenario (same units as a quote; `price` is the value). */
  greeks: Quote;
  /** Day of the first option expiry (null when there is no option leg). */
  firstExpiryDay: number | null;
}

export interface HeatmapResult {
  rows: number;
  cols: number;
  /** Float64Array(rows × cols), row-major, P&L. */
  values: ArrayBuffer;
}

export interface OptionsReplyMap {
  quote: Quote;
  curves: CurvesResult;
  strategy: StrategyResult;
  heatmap: HeatmapResult;
}

export type OptionsMessage =
  | { [K in OptionsRequestType]: { type: 'reply'; reqId: number; request: K; ok: true; result: OptionsReplyMap[K] } }[OptionsRequestType]
  | { type: 'reply'; reqId: number; request: OptionsRequestType; ok: false; error: string; superseded: boolean }
  | { type: 'progress'; reqId: number; done: number; total: number }
  | { type: 'ready'; engineVersion: string }
  | { type: 'failed'; error: string };

// ---- HTTP API: named strategies (`/api/strategies`) --------------------------------------------------------

/** The body of `PUT /api/strategies/:name` and what is stored. */
export interface StrategyDocument {
  strategy: Strategy;
  scenario: Scenario;
}

/** `GET|PUT /api/strategies/:name` reply. */
export interface SavedStrategy extends StrategyDocument {
  name: string;
  savedAt: string;
}

/** `GET /api/strategies` reply: every saved strategy, by name. */
export interface StrategyList {
  strategies: Array<{ name: string; savedAt: string; legs: number }>;
}
