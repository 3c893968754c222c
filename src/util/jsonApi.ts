/**
 * One JSON request to the backend's REST API as a value: the parsed body, or a failure with a message fit for
 * the UI (the server's `message`, or why no answer came) and whether a retry may succeed (`retryable` in the
 * error body, e.g. Redis unavailable; or the server unreachable).
 */
export type JsonApiResult<T> = { ok: true; value: T } | { ok: false; status: number | null; message: string; retryable: boolean };

/** `accept404`: a 404 is `{ok: true, value: null}` instead of a failure. */
export async function jsonCall<T>(url: string, init: RequestInit, accept404 = false): Promise<JsonApiResult<T | null>> {
  let res: Response;
  try {
    res = await fetch(url, init);
  } catch (err) {
    return { ok: false, status: null, message: `server unreachable: ${err instanceof Error ? err.message : String(err)}`, retryable: true };
  }
  if (accept404 && res.status === 404) return { ok: true, value: null };
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  if (res.ok) return { ok: true, value: body as T };
  const obj = (typeof body === 'object' && body !== null ? body : {}) as { message?: unknown; retryable?: unknown };
  const message = typeof obj.message === 'string' ? obj.message : `HTTP ${res.status}`;
  return { ok: false, status: res.status, message, retryable: obj.retryable === true };
}
