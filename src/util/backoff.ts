/**
 * Reconnect delays: exponential from `baseMs`, doubling per failed attempt, capped at `capMs`, with "equal
 * jitter" — half the delay fixed, half random — so that many tabs cut off together do not return together,
 * yet no attempt comes sooner than half its nominal delay.
 */
export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
}

export const RECONNECT_BACKOFF: BackoffPolicy = { baseMs: 250, capMs: 8000 };

/** Nominal (jitter-free) delay before attempt `attempt` (0 for the first retry). */
export function nominalDelay(policy: BackoffPolicy, attempt: number): number {
  const exp = Math.min(Math.max(0, attempt), 30);
  return Math.min(policy.capMs, policy.baseMs * 2 ** exp);
}

/** Jittered delay; `random` returns a value in [0, 1). */
export function backoffDelay(policy: BackoffPolicy, attempt: number, random: () => number = Math.random): number {
  const nominal = nominalDelay(policy, attempt);
  return Math.round(nominal / 2 + random() * (nominal / 2));
}
