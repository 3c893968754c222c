/**
 * Backtest runs over HTTP:
 *
 *   POST   /api/runs                  201 RunCreated once Redis acknowledged | 400 (issues name field paths) | 413 | 415 | 503
 *   GET    /api/runs?offset=&limit=   200 RunList, newest first, without curves | 400 invalid_query | 503
 *   GET    /api/runs/:id              200 SavedRun (with its curve) | 400 invalid_id | 404 | 503
 *   DELETE /api/runs/:id              200 {id, deleted: true} once Redis acknowledged | 400 | 404 | 503
 * Errors are JSON (`HttpErrorBody`); Redis being unreachable surfaces as RedisUnavailableError, which the router
 * answers 503 `redis_unavailable`, `retryable: true`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ValidationIssue } from '../../../src/protocol/messages.js';
import { RUN_ID, RUN_ID_HELP } from '../../../src/protocol/runs.js';
import { readJsonBody } from '../http/body.js';
import { sendError, sendJson } from '../http/respond.js';
import type { Logger } from '../log.js';
import type { RedisClient } from '../redis/client.js';
import { validateRunInput } from './schema.js';
import { MAX_PAGE, RunStore } from './store.js';

export const RUNS_PATH = '/api/runs';
/** A full 5,000-point curve is about 300 KB of JSON; the rest of a run is small. */
export const RUN_BODY_LIMIT_BYTES = 1024 * 1024;
export const DEFAULT_PAGE = 50;

export interface RunDeps {
  logger: Logger;
  redis: RedisClient;
}

function notAllowed(res: ServerResponse, method: string, path: string, allow: string): void {
  sendError(res, 405, { error: 'method_not_allowed', message: `${method} is not allowed on ${path}; allowed: ${allow}` }, { Allow: allow });
}

/** `offset` (0..1e9, default 0) and `limit` (1..MAX_PAGE, default DEFAULT_PAGE) from the query string. */
function pageOf(url: URL): { ok: true; offset: number; limit: number } | { ok: false; issues: ValidationIssue[] } {
  const issues: ValidationIssue[] = [];
  const read = (name: string, fallback: number, min: number, max: number): number => {
    const raw = url.searchParams.get(name);
    if (raw === null) return fallback;
    const v = /^\d{1,10}$/.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isInteger(v) || v < min || v > max) {
      issues.push({ path: name, value: raw, reason: `expected an integer from ${min} to ${max}` });
    }
    return v;
  };
  const offset = read('offset', 0, 0, 1e9);
  const limit = read('limit', DEFAULT_PAGE, 1, MAX_PAGE);
  for (const key of url.searchParams.keys()) {
    if (key !== 'offset' && key !== 'limit') issues.push({ path: key, value: url.searchParams.get(key), reason: 'unknown query parameter (known: offset, limit)' });
  }
  return issues.length ? { ok: false, issues } : { ok: true, offset, limit };
}

/** Answers requests under /api/runs; false for any other path. */
export async function handleRuns(deps: RunDeps, req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
  if (path !== RUNS_PATH && !path.startsWith(`${RUNS_PATH}/`)) return false;
  const method = req.method ?? 'GET';
  const store = new RunStore(deps.redis);
  if (path === RUNS_PATH || path === `${RUNS_PATH}/`) {
    if (method === 'GET' || method === 'HEAD') {
      const page = pageOf(new URL(req.url ?? '/', 'http://localhost'));
      if (!page.ok) {
        sendError(res, 400, {
          error: 'invalid_query',
          message: `invalid query: ${page.issues.map((i) => `${i.path}=${JSON.stringify(i.value)}: ${i.reason}`).join('; ')}`,
          issues: page.issues,
        });
      } else sendJson(res, 200, await store.list(page.offset, page.limit));
    } else if (method === 'POST') await create(deps, store, req, res);
    else notAllowed(res, method, RUNS_PATH, 'GET, HEAD, POST');
    return true;
  }
  if (!['GET', 'HEAD', 'DELETE'].includes(method)) {
    notAllowed(res, method, `${RUNS_PATH}/:id`, 'GET, HEAD, DELETE');
    return true;
  }
  let id = path.slice(RUNS_PATH.length + 1);
  try {
    id = decodeURIComponent(id);
  } catch {
    // Reported as invalid below.
  }
  if (!RUN_ID.test(id)) {
    sendError(res, 400, {
      error: 'invalid_id',
      message: `run id ${JSON.stringify(id)} is invalid: expected ${RUN_ID_HELP}`,
      issues: [{ path: 'id', value: id, reason: `expected ${RUN_ID_HELP}` }],
    });
    return true;
  }
  if (method === 'DELETE') {
    if (!(await store.delete(id))) sendError(res, 404, { error: 'not_found', message: `no run with id "${id}"` });
    else {
      deps.logger.info('run.deleted', `run ${id} deleted`, { id });
      sendJson(res, 200, { id, deleted: true });
    }
    return true;
  }
  const run = await store.get(id);
  if (!run) sendError(res, 404, { error: 'not_found', message: `no run with id "${id}"` });
  else sendJson(res, 200, run);
  return true;
}

async function create(deps: RunDeps, store: RunStore, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readJsonBody(req, RUN_BODY_LIMIT_BYTES);
  if (!body.ok) {
    sendError(res, body.status, body.body, body.closeConnection ? { Connection: 'close' } : {});
    return;
  }
  const checked = validateRunInput(body.value);
  if (!checked.ok) {
    const n = checked.issues.length;
    sendError(res, 400, {
      error: 'invalid_body',
      message: `run body has ${n} invalid field${n === 1 ? '' : 's'}: ${checked.issues
        .slice(0, 8)
        .map((i) => `${i.path} (${i.reason})`)
        .join(', ')}${n > 8 ? ', …' : ''}`,
      issues: checked.issues,
    });
    return;
  }
  const created = await store.create(checked.value);
  deps.logger.info('run.saved', `run ${created.id} "${checked.value.name}" saved`, {
    id: created.id, points: checked.value.curve.ts.length, dataset: checked.value.dataset.hash,
  });
  sendJson(res, 201, created, { Location: `${RUNS_PATH}/${created.id}` });
}
