/**
 * Event-time clock: wall-clock nanoseconds since the Unix epoch, anchored once and advanced with the monotonic
 * high-resolution timer, so successive readings never go backwards even if the system clock is adjusted.
 */
import { performance } from 'node:perf_hooks';
import { hrtime } from 'node:process';

// performance.timeOrigin + performance.now() is the wall clock to the microsecond (Date.now() only to the
// millisecond), so two processes on one machine agree on event times closely enough to measure latency.
const anchorMonoNs = hrtime.bigint();
const anchorWallNs = BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6));

export function nowNs(): bigint {
  return anchorWallNs + (hrtime.bigint() - anchorMonoNs);
}
