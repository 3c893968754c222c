/**
 * Saved backtest runs on the server (`/api/runs`, docs/protocol.md "Backtest runs"). Every outcome is a value
 * with a message fit for the UI (`JsonApiResult`); a 503 from Redis being down says a retry may succeed.
 */
import type { RunCreated, RunInput, RunList, SavedRun } from '../../../protocol/runs';
import { jsonCall, type JsonApiResult } from '../../../util/jsonApi';
import { reduceCurve } from './compare';

export const RUNS_URL = '/api/runs';

const runUrl = (id: string): string => `${RUNS_URL}/${encodeURIComponent(id)}`;

/** A failure as one line for a status area: the message, and a hint when a retry may work. */
export function describeFailure(what: string, r: Extract<JsonApiResult<unknown>, { ok: false }>): string {
  return `${what}: ${r.message}${r.retryable ? ' (try again shortly)' : ''}`;
}

/** Saves a run; a curve over the server's limit is reduced first (`reduceCurve`), keeping its peaks and troughs. */
export async function saveRun(run: RunInput): Promise<JsonApiResult<RunCreated>> {
  const body: RunInput = { ...run, curve: reduceCurve(run.curve) };
  const r = await jsonCall<RunCreated>(RUNS_URL, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!r.ok) return r;
  if (!r.value) return { ok: false, status: 201, message: 'the server did not return the new run’s id', retryable: false };
  return { ok: true, value: r.value };
}

/** One page of runs, newest first, without curves. */
export async function listRuns(offset = 0, limit = 50): Promise<JsonApiResult<RunList>> {
  const r = await jsonCall<RunList>(`${RUNS_URL}?offset=${offset}&limit=${limit}`, { method: 'GET' });
  if (!r.ok) return r;
  if (!r.value || !Array.isArray(r.value.runs)) return { ok: false, status: 200, message: 'unexpected reply listing runs', retryable: false };
  return { ok: true, value: r.value };
}

/** The run with its curve, or null when there is none with that id. */
export function getRun(id: string): Promise<JsonApiResult<SavedRun | null>> {
  return jsonCall<SavedRun>(runUrl(id), { method: 'GET' }, true);
}

export async function deleteRun(id: string): Promise<JsonApiResult<{ id: string; deleted: boolean }>> {
  const r = await jsonCall<{ id: string; deleted: boolean }>(runUrl(id), { method: 'DELETE' });
  if (!r.ok) return r;
  return { ok: true, value: r.value ?? { id, deleted: true } };
}
