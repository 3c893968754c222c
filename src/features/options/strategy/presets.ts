/**
 * Strategy presets around a spot: strikes on a grid of `step` (about 5% of spot, rounded to a readable number)
 * nearest to the money, one expiry (the calendar and diagonal add a second, twice as far).
 */
import type { Leg, ModelName } from '../../../protocol/options';

export const PRESETS = [
  { id: 'long-straddle', title: 'Long straddle' },
  { id: 'short-straddle', title: 'Short straddle' },
  { id: 'long-strangle', title: 'Long strangle' },
  { id: 'short-strangle', title: 'Short strangle' },
  { id: 'bull-call', title: 'Bull call spread' },
  { id: 'bear-call', title: 'Bear call spread' },
  { id: 'bull-put', title: 'Bull put spread' },
  { id: 'bear-put', title: 'Bear put spread' },
  { id: 'butterfly', title: 'Long call butterfly' },
  { id: 'iron-condor', title: 'Short iron condor' },
  { id: 'calendar', title: 'Call calendar' },
  { id: 'diagonal', title: 'Call diagonal' },
  { id: 'covered-call', title: 'Covered call' },
  { id: 'collar', title: 'Collar' },
] as const;
export type PresetId = (typeof PRESETS)[number]['id'];

/** A round strike step near 5% of spot: 1, 2, 2.5 or 5 × a power of ten. */
export function strikeStep(spot: number): number {
  const raw = Math.abs(spot) * 0.05;
  if (!(raw > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 2.5, 5, 10]) if (raw <= m * p * 1.25) return m * p;
  return 10 * p;
}

export interface PresetParams {
  spot: number;
  vol: number;
  days: number;
  model: ModelName;
  steps: number;
}

export function buildPreset(id: PresetId, p: PresetParams): Leg[] {
  const step = strikeStep(p.spot);
  const atm = Math.round(p.spot / step) * step;
  const k = (n: number): number => Math.max(step, atm + n * step);
  const leg = (kind: Leg['kind'], qty: number, strike: number, days = p.days): Leg =>
    ({ kind, qty, strike: kind === 'underlying' ? 0 : strike, expiryDays: days, model: p.model, vol: p.vol, steps: p.steps });
  switch (id) {
    case 'long-straddle': return [leg('call', 1, k(0)), leg('put', 1, k(0))];
    case 'short-straddle': return [leg('call', -1, k(0)), leg('put', -1, k(0))];
    case 'long-strangle': return [leg('put', 1, k(-1)), leg('call', 1, k(1))];
    case 'short-strangle': return [leg('put', -1, k(-1)), leg('call', -1, k(1))];
    case 'bull-call': return [leg('call', 1, k(0)), leg('call', -1, k(1))];
    case 'bear-call': return [leg('call', -1, k(0)), leg('call', 1, k(1))];
    case 'bull-put': return [leg('put', -1, k(0)), leg('put', 1, k(-1))];
    case 'bear-put': return [leg('put', 1, k(0)), leg('put', -1, k(-1))];
    case 'butterfly': return [leg('call', 1, k(-1)), leg('call', -2, k(0)), leg('call', 1, k(1))];
    case 'iron-condor': return [leg('put', 1, k(-2)), leg('put', -1, k(-1)), leg('call', -1, k(1)), leg('call', 1, k(2))];
    case 'calendar': return [leg('call', -1, k(0)), leg('call', 1, k(0), p.days * 2)];
    case 'diagonal': return [leg('call', -1, k(1)), leg('call', 1, k(0), p.days * 2)];
    case 'covered-call': return [leg('underlying', 1, 0), leg('call', -1, k(1))];
    case 'collar': return [leg('underlying', 1, 0), leg('put', 1, k(-1)), leg('call', -1, k(1))];
  }
}
