// An apache-arrow writer's output queue, drained synchronously after each batch instead of through its async
// iterator (used by the dataset writer and the scan export).
import { AsyncByteQueue } from 'apache-arrow';

export class PartQueue extends AsyncByteQueue {
  take(): Uint8Array[] {
    const parts = this._values;
    this._values = [];
    return parts;
  }
}
