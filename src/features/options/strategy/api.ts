/**
 * Named strategies on the server (`/api/strategies`). Every outcome is a value with a message fit for the UI;
 * a 503 from Redis being down says so and that a retry may succeed.
 */
import type { SavedStrategy, StrategyDocument, StrategyList } from '../../../protocol/options';
import { jsonCall, type JsonApiResult } from '../../../util/jsonApi';

export type StrategyApiResult<T> = JsonApiResult<T>;

export const STRATEGY_NAME = /^[A-Za-z0-9_-]{1,64}$/;
export const STRATEGY_NAME_HELP = '1 to 64 characters from A-Z, a-z, 0-9, "_" and "-"';

const call = jsonCall;

const path = (name: string): string => `/api/strategies/${encodeURIComponent(name)}`;

export const strategyApi = {
  list: () => call<StrategyList>('/api/strategies', { method: 'GET' }),
  get: (name: string) => call<SavedStrategy>(path(name), { method: 'GET' }, true),
  put: (name: string, doc: StrategyDocument) =>
    call<SavedStrategy>(path(name), { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(doc) }),
  remove: (name: string) => call<{ name: string; deleted: boolean }>(path(name), { method: 'DELETE' }),
};
