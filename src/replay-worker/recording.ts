/**
 * Recognises a dropped venue recording (docs/recordings.md) from its first bytes, so that a user can drop the
 * raw capture as well as an Arrow dataset: zip → Bybit history; otherwise the (gunzipped) text names its venue —
 * Binance USD-M diffs carry `pu`, spot diffs do not; Kraken's `book-` channels; Coinbase's `l2update`.
 */

export const RECORDING_VENUES = ['binance-spot', 'binance-futures', 'bybit', 'kraken', 'coinbase'] as const;
export type RecordingVenue = (typeof RECORDING_VENUES)[number];

export const isArrowFile = (head: Uint8Array): boolean =>
  head.byteLength >= 6 && String.fromCharCode(...head.subarray(0, 6)) === 'ARROW1';

export const isGzip = (head: Uint8Array): boolean => head[0] === 0x1f && head[1] === 0x8b;
export const isZip = (head: Uint8Array): boolean => head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;

/** The venue a recording's opening text belongs to, or null. */
export function venueOfText(text: string): RecordingVenue | null {
  if (/"topic"\s*:\s*"orderbook\./.test(text)) return 'bybit';
  if (/"book-\d+"|"channelName"\s*:\s*"book/.test(text)) return 'kraken';
  if (/"type"\s*:\s*"(l2update|snapshot)"/.test(text) && /"product_id"/.test(text)) return 'coinbase';
  if (/@depth/.test(text) || /"lastUpdateId"/.test(text)) return /"pu"\s*:/.test(text) ? 'binance-futures' : 'binance-spot';
  return null;
}

/** Up to `max` bytes of decompressed text from the start of a gzip file (DecompressionStream). */
export async function gunzipHead(file: Blob, max = 256 * 1024): Promise<string> {
  const stream = file.slice(0, Math.min(file.size, 4 * 1024 * 1024)).stream().pipeThrough(new DecompressionStream('gzip'));
  const reader = stream.getReader();
  const parts: Uint8Array[] = [];
  let n = 0;
  try {
    while (n < max) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
      n += value.byteLength;
    }
  } catch {
    // A slice ends mid-stream: what was decoded so far is enough.
  } finally {
    void reader.cancel().catch(() => undefined);
  }
  const all = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.byteLength;
  }
  return new TextDecoder().decode(all);
}

/** The venue of a dropped recording, or an error that says what was expected. */
export async function detectVenue(file: File): Promise<RecordingVenue> {
  const head = new Uint8Array(await file.slice(0, 64 * 1024).arrayBuffer());
  if (isZip(head)) return 'bybit';
  const text = isGzip(head) ? await gunzipHead(file) : new TextDecoder().decode(head);
  const v = venueOfText(text);
  if (!v) {
    throw new Error(`${file.name}: not an Arrow dataset (no ARROW1 magic) and not a recording of a known venue `
      + `(${RECORDING_VENUES.join(', ')}); see docs/datasets.md and docs/recordings.md`);
  }
  return v;
}
