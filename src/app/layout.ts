/** Pure arithmetic of the resizable split: panel fractions that sum to 1 and boundary moves within minimums. */
import { DEFAULT_PANELS } from '../state/defaults';

/** Fractions for `ids` from `panels`, defaulted and scaled to sum to 1. */
export function normaliseFractions(ids: readonly string[], panels: Readonly<Record<string, number>>): number[] {
  const raw = ids.map((id) => {
    const v = panels[id] ?? DEFAULT_PANELS[id] ?? 1 / ids.length;
    return Number.isFinite(v) && v > 0 ? v : 1 / ids.length;
  });
  const sum = raw.reduce((a, b) => a + b, 0);
  return raw.map((v) => v / sum);
}

/** Moves the boundary between panes `i` and `i + 1` by `delta` (a fraction), keeping both above their minimum. */
export function moveBoundary(fractions: readonly number[], i: number, delta: number, minFractions: readonly number[]):
  number[] {
  const out = [...fractions];
  const a = out[i] ?? 0;
  const b = out[i + 1] ?? 0;
  const lo = -(a - (minFractions[i] ?? 0));
  const hi = b - (minFractions[i + 1] ?? 0);
  const d = Math.min(Math.max(delta, Math.min(lo, 0)), Math.max(hi, 0));
  out[i] = a + d;
  out[i + 1] = b - d;
  return out;
}
