/**
 * Event-time clock: wall-clock nanoseconds since the Unix epoch, anchored once and advanced with the monotonic
 * high-resolution timer, so successive readings never go backwards even if the system clock is adjusted.
 */
import { hrtime } from 'node:process';

const anchorWallNs = BigInt(Date.now()) * 1_000_000n;
const anchorMonoNs = hrtime.bigint();

export function nowNs(): bigint {
  return anchorWallNs + (hrtime.bigint() - anchorMonoNs);
}
