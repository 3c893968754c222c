/**
 * Named strategies over HTTP:
 *
 *   GET    /api/strategies          200 StrategyList | 503
 *   GET    /api/strategies/:name    200 SavedStrategy | 400 | 404 | 503
 *   PUT    /api/strategies/:name    200 SavedStrategy once Redis acknowledged | 400 (issues name field paths) | 413 | 415 | 503
 *   DELETE /api/strategies/:name    200 {name, deleted: true} once Redis acknowledged | 404 | 503
 * Errors are JSON (`HttpErrorBody`); Redis being unreachable surfaces as RedisUnavailableError, which the router
 * answers 503 `redis_unavailable`, `retryable: true`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readJsonBody } from '../http/body.js';
import { sendError, sendJson } from '../http/respond.js';
import type { Logger } from '../log.js';
import type { RedisClient } from '../redis/client.js';
import { STRATEGY_NAME, STRATEGY_NAME_HELP, validateStrategyDocument } from './schema.js';
import { StrategyStore } from './store.js';

export const STRATEGIES_PATH = '/api/strategies';
const BODY_LIMIT_BYTES = 64 * 1024;

export interface StrategyDeps {
  logger: Logger;
  redis: RedisClient;
}

function notAllowed(res: ServerResponse, method: string, path: string, allow: string): void {
  sendError(res, 405, { error: 'method_not_allowed', message: `${method} is not allowed on ${path}; allowed: ${allow}` }, { Allow: allow });
}

/** Answers requests under /api/strategies; false for any other path. */
export async function handleStrategies(deps: StrategyDeps, req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
  if (path !== STRATEGIES_PATH && !path.startsWith(`${STRATEGIES_PATH}/`)) return false;
  const method = req.method ?? 'GET';
  const store = new StrategyStore(deps.redis);
  if (path === STRATEGIES_PATH || path === `${STRATEGIES_PATH}/`) {
    if (method !== 'GET' && method !== 'HEAD') notAllowed(res, method, STRATEGIES_PATH, 'GET, HEAD');
    else sendJson(res, 200, await store.list());
    return true;
  }
  const raw = path.slice(STRATEGIES_PATH.length + 1);
  if (!['GET', 'HEAD', 'PUT', 'DELETE'].includes(method)) {
    notAllowed(res, method, `${STRATEGIES_PATH}/:name`, 'GET, HEAD, PUT, DELETE');
    return true;
  }
  let name: string;
  try {
    name = decodeURIComponent(raw);
  } catch {
    name = raw;
  }
  if (!STRATEGY_NAME.test(name)) {
    sendError(res, 400, {
      error: 'invalid_name',
      message: `strategy name ${JSON.stringify(name)} is invalid: expected ${STRATEGY_NAME_HELP}`,
      issues: [{ path: 'name', value: name, reason: `expected ${STRATEGY_NAME_HELP}` }],
    });
    return true;
  }
  if (method === 'GET' || method === 'HEAD') {
    const saved = await store.get(name);
    if (!saved) sendError(res, 404, { error: 'not_found', message: `no strategy named "${name}"` });
    else sendJson(res, 200, saved);
    return true;
  }
  if (method === 'DELETE') {
    const deleted = await store.delete(name);
    if (!deleted) sendError(res, 404, { error: 'not_found', message: `no strategy named "${name}"` });
    else {
      deps.logger.info('strategy.deleted', `strategy "${name}" deleted`, { name });
      sendJson(res, 200, { name, deleted: true });
    }
    return true;
  }
  const body = await readJsonBody(req, BODY_LIMIT_BYTES);
  if (!body.ok) {
    sendError(res, body.status, body.body, body.closeConnection ? { Connection: 'close' } : {});
    return true;
  }
  const checked = validateStrategyDocument(body.value);
  if (!checked.ok) {
    const n = checked.issues.length;
    sendError(res, 400, {
      error: 'invalid_body',
      message: `strategy body has ${n} invalid field${n === 1 ? '' : 's'}: ${checked.issues.map((i) => i.path).join(', ')}`,
      issues: checked.issues,
    });
    return true;
  }
  const saved = await store.put(name, checked.value);
  deps.logger.info('strategy.saved', `strategy "${name}" saved`, { name, legs: checked.value.strategy.legs.length });
  sendJson(res, 200, saved);
  return true;
}
