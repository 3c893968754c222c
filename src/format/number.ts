/**
 * Printing numbers for the UI. Prices and quantities arrive from the worker as the doubles nearest to their
 * exact decimal values (src/worker/decimal.ts), so `toFixed` with the instrument's decimals prints them exactly.
 */

/** `value` with exactly `decimals` digits after the point; empty for a missing value (NaN, ±∞). */
export function formatFixed(value: number, decimals: number): string {
  if (!Number.isFinite(value)) return '';
  const text = value.toFixed(decimals);
  // -0.00 is zero.
  return text.startsWith('-') && Number(text) === 0 ? text.slice(1) : text;
}

/** Like `formatFixed`, with thousands separators in the integer part ("65,001.5"). */
export function formatGrouped(value: number, decimals: number): string {
  const text = formatFixed(value, decimals);
  if (text === '') return '';
  const [int = '', frac] = text.split('.');
  const sign = int.startsWith('-') ? '-' : '';
  const digits = sign ? int.slice(1) : int;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac === undefined ? sign + grouped : `${sign}${grouped}.${frac}`;
}

/** A rate or count for the status bar: "0", "87", "1.2k", "3.4M". */
export function formatCount(value: number): string {
  if (!Number.isFinite(value)) return '–';
  const abs = Math.abs(value);
  if (abs < 1000) return String(Math.round(value));
  if (abs < 1e6) return `${(value / 1e3).toFixed(abs < 1e4 ? 1 : 0)}k`;
  return `${(value / 1e6).toFixed(abs < 1e7 ? 1 : 0)}M`;
}

/** Milliseconds with sensible precision: "0.42", "3.1", "18". */
export function formatMs(value: number): string {
  if (!Number.isFinite(value)) return '–';
  if (value < 1) return value.toFixed(2);
  if (value < 10) return value.toFixed(1);
  return String(Math.round(value));
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));
const pad3 = (n: number): string => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : String(n));

/** Local wall-clock time "HH:MM:SS.mmm" of an epoch-ms timestamp. */
export function formatTime(ms: number): string {
  const d = new Date(ms);
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}.${pad3(d.getMilliseconds())}`;
}

/** Local "HH:MM:SS" of an epoch-seconds time (chart axis). */
export function formatClock(sec: number): string {
  const d = new Date(sec * 1000);
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

/** Spread in basis points of the mid. */
export function spreadBps(spread: number, mid: number): number {
  return Number.isFinite(spread) && Number.isFinite(mid) && mid > 0 ? (spread / mid) * 10_000 : Number.NaN;
}
