/**
 * Named strategies on the server (`/api/strategies`). Every outcome is a value with a message fit for the UI;
 * a 503 from Redis being down says so and that a retry may succeed.
 */
import type { SavedStrategy, StrategyDocument, StrategyList } from '../../../protocol/options';

export type StrategyApiResult<T> = { ok: true; value: T } | { ok: false; status: number | null; message: string; retryable: boolean };

export const STRATEGY_NAME = /^[A-Za-z0-9_-]{1,64}$/;
export const STRATEGY_NAME_HELP = '1 to 64 characters from A-Z, a-z, 0-9, "_" and "-"';

async function call<T>(url: string, init: RequestInit, accept404 = false): Promise<StrategyApiResult<T | null>> {
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

const path = (name: string): string => `/api/strategies/${encodeURIComponent(name)}`;

export const strategyApi = {
  list: () => call<StrategyList>('/api/strategies', { method: 'GET' }),
  get: (name: string) => call<SavedStrategy>(path(name), { method: 'GET' }, true),
  put: (name: string, doc: StrategyDocument) =>
    call<SavedStrategy>(path(name), { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(doc) }),
  remove: (name: string) => call<{ name: string; deleted: boolean }>(path(name), { method: 'DELETE' }),
};
