/**
 * Reads a JSON request body with a size limit.
 *
 * Accepted Content-Types: application/json, none, or text/plain (what `fetch` sends for a string body);
 * form and multipart encodings are refused with 415.
 *
 * A declared Content-Length over the limit is refused before reading; a chunked body is counted as it arrives
 * and reading stops as soon as it passes the limit. Either way the reply is 413 and the connection is closed,
 * since the rest of the body is never read.
 */
import type { IncomingMessage } from 'node:http';
import type { HttpErrorBody } from '../../../src/protocol/messages.js';
import { describeJsonError } from '../jsonError.js';

export type BodyResult =
  | { ok: true; value: unknown }
  | { ok: false; status: number; body: HttpErrorBody; closeConnection: boolean };

function tooLarge(limit: number, got: string): BodyResult {
  return {
    ok: false,
    status: 413,
    body: { error: 'payload_too_large', message: `request body of ${got} exceeds the limit of ${limit} bytes` },
    closeConnection: true,
  };
}

export async function readJsonBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  const type = req.headers['content-type'];
  if (type !== undefined && !/^(application\/json|text\/plain)\s*(;|$)/i.test(type)) {
    return {
      ok: false,
      status: 415,
      body: { error: 'unsupported_media_type', message: `Content-Type "${type}" is not supported; send application/json` },
      closeConnection: false,
    };
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return tooLarge(limit, `${declared} bytes`);

  const chunks: Buffer[] = [];
  const overflow = await new Promise<boolean>((resolve, reject) => {
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.byteLength;
      if (size > limit) {
        req.off('data', onData);
        req.pause();
        resolve(true);
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(false));
    req.once('error', reject);
  });
  if (overflow) return tooLarge(limit, `more than ${limit} bytes`);
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return {
      ok: false,
      status: 400,
      body: { error: 'invalid_json', message: `request body is not valid JSON ${describeJsonError(text)}` },
      closeConnection: false,
    };
  }
}
