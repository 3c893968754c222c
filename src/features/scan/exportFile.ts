/**
 * Saving a scan as an Arrow IPC file from the page: the file is written batch by batch (src/scan/arrow.ts) and
 * appended to a Blob between batches, yielding to the event loop each time, so a 5 M-row export never holds the
 * main thread for more than one batch. The Blob is then offered as a download.
 */
import { arrowFileName, writeScanArrow } from '../../scan/arrow';
import type { ScanResult } from '../../scan/pool';

export const ARROW_FILE_TYPE = 'application/vnd.apache.arrow.file';

const nextTask = (): Promise<void> => new Promise((res) => setTimeout(res, 0));

export async function buildArrowBlob(
  result: ScanResult, onProgress: (rows: number, total: number) => void, metadata: Record<string, string>,
): Promise<Blob> {
  let blob = new Blob([], { type: ARROW_FILE_TYPE });
  let pending: BlobPart[] = [];
  // Blob() copies the parts it is given (which may be views of the scan's columns) and keeps earlier Blobs by
  // reference, so each step copies one batch.
  const flush = (): void => {
    blob = new Blob([blob, ...pending], { type: ARROW_FILE_TYPE });
    pending = [];
  };
  await writeScanArrow(result, {
    sink: (part) => pending.push(part as Uint8Array<ArrayBuffer>),
    pause: async () => {
      flush();
      await nextTask();
    },
    onProgress,
    metadata,
  });
  flush();
  return blob;
}

/** Offers `blob` as a download named `name`. */
export function downloadBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // The download has its own reference once started; release ours after a while.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Offers `blob` as a download named after the scan. */
export function download(blob: Blob, result: ScanResult): string {
  const name = arrowFileName(result.spec, result.total);
  downloadBlob(blob, name);
  return name;
}
