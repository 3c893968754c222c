/**
 * HTTP routing: the JSON API under `/api/`, the static app everywhere else.
 *
 *   GET  /api/health             200 when Redis is ready, 503 otherwise (HealthResponse either way)
 *   GET  /api/workspace/:name    200 SavedWorkspace | 404 | 503
 *   PUT  /api/workspace/:name    200 SavedWorkspace once Redis acknowledged | 400 | 413 | 415 | 503
 *   /api/strategies[/:name]      named option strategies (server/src/strategies/routes.ts)
 *   /api/runs[/:id]              saved backtest runs (server/src/runs/routes.ts)
 *   /api/feed/speed              the replay feed's speed (server/src/feed/routes.ts)
 * Every error is JSON (`HttpErrorBody`). Redis being unreachable is 503 `redis_unavailable`, `retryable: true`,
 * with `Retry-After: 1`, returned within the Redis command timeout.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HealthResponse } from '../../../src/protocol/messages.js';
import { describeError, type Logger } from '../log.js';
import { RedisUnavailableError, type RedisClient } from '../redis/client.js';
import type { MarketFeed } from '../feed/types.js';
import type { ReplayMarket } from '../feed/replay.js';
import { handleFeedSpeed } from '../feed/routes.js';
import type { Recorder } from '../recorder/recorder.js';
import type { Gateway } from '../ws/gateway.js';
import { WORKSPACE_NAME, WORKSPACE_NAME_HELP, validateWorkspace } from '../workspace/schema.js';
import type { WorkspaceStore } from '../workspace/store.js';
import { handleRuns } from '../runs/routes.js';
import { handleStrategies } from '../strategies/routes.js';
import { readJsonBody } from './body.js';
import { sendError, sendJson } from './respond.js';
import type { StaticFiles } from './static.js';

export const BODY_LIMIT_BYTES = 64 * 1024;

export interface HttpDeps {
  logger: Logger;
  redis: RedisClient;
  workspaces: WorkspaceStore;
  market: MarketFeed;
  /** The replay feed, when the backend replays recordings. */
  replay?: ReplayMarket | null;
  gateway: Gateway;
  /** The feed recorder, when recording is on. */
  recorder?: Recorder | null;
  staticFiles: StaticFiles | null;
  startedAtMs: number;
}

const WORKSPACE_PREFIX = '/api/workspace/';

function methodNotAllowed(res: ServerResponse, method: string, path: string, allow: string): void {
  sendError(res, 405, { error: 'method_not_allowed', message: `${method} is not allowed on ${path}; allowed: ${allow}` }, { Allow: allow });
}

function health(deps: HttpDeps, res: ServerResponse): void {
  const redis = deps.redis.status();
  const body: HealthResponse = {
    status: redis.state === 'ready' ? 'ok' : 'degraded',
    redis,
    uptimeS: Math.round((Date.now() - deps.startedAtMs) / 100) / 10,
    clients: deps.gateway.clientCount,
    instruments: deps.market.stats(),
    ws: deps.gateway.counters,
    ...(deps.recorder ? { recorder: deps.recorder.status() } : {}),
  };
  sendJson(res, redis.state === 'ready' ? 200 : 503, body);
}

async function workspace(deps: HttpDeps, req: IncomingMessage, res: ServerResponse, rawName: string): Promise<void> {
  const method = req.method ?? 'GET';
  if (method !== 'GET' && method !== 'HEAD' && method !== 'PUT') {
    methodNotAllowed(res, method, `${WORKSPACE_PREFIX}:name`, 'GET, HEAD, PUT');
    return;
  }
  let name: string;
  try {
    name = decodeURIComponent(rawName);
  } catch {
    name = rawName;
  }
  if (!WORKSPACE_NAME.test(name)) {
    sendError(res, 400, {
      error: 'invalid_name',
      message: `workspace name ${JSON.stringify(name)} is invalid: expected ${WORKSPACE_NAME_HELP}`,
      issues: [{ path: 'name', value: name, reason: `expected ${WORKSPACE_NAME_HELP}` }],
    });
    return;
  }
  if (method !== 'PUT') {
    const saved = await deps.workspaces.get(name);
    if (!saved) sendError(res, 404, { error: 'not_found', message: `no workspace named "${name}"` });
    else sendJson(res, 200, saved);
    return;
  }
  const body = await readJsonBody(req, BODY_LIMIT_BYTES);
  if (!body.ok) {
    sendError(res, body.status, body.body, body.closeConnection ? { Connection: 'close' } : {});
    return;
  }
  const checked = validateWorkspace(body.value);
  if (!checked.ok) {
    const n = checked.issues.length;
    sendError(res, 400, {
      error: 'invalid_body',
      message: `workspace body has ${n} invalid field${n === 1 ? '' : 's'}: ${checked.issues.map((i) => i.path).join(', ')}`,
      issues: checked.issues,
    });
    return;
  }
  const saved = await deps.workspaces.put(name, checked.value);
  deps.logger.info('workspace.saved', `workspace "${name}" saved`, { name });
  sendJson(res, 200, saved);
}

async function route(deps: HttpDeps, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  const method = req.method ?? 'GET';
  if (path === '/api/health') {
    if (method === 'GET' || method === 'HEAD') health(deps, res);
    else methodNotAllowed(res, method, path, 'GET, HEAD');
    return;
  }
  if (path.startsWith(WORKSPACE_PREFIX)) {
    await workspace(deps, req, res, path.slice(WORKSPACE_PREFIX.length));
    return;
  }
  if (await handleStrategies(deps, req, res, path)) return;
  if (await handleRuns(deps, req, res, path)) return;
  if (await handleFeedSpeed(deps, req, res, path)) return;
  if (path === '/api' || path.startsWith('/api/') || !deps.staticFiles) {
    sendError(res, 404, { error: 'not_found', message: `no route for ${method} ${path}` });
    return;
  }
  if (method !== 'GET' && method !== 'HEAD') {
    methodNotAllowed(res, method, path, 'GET, HEAD');
    return;
  }
  const outcome = await deps.staticFiles.serve(req, res, path);
  if (outcome !== 'served') sendError(res, 404, { error: 'not_found', message: `no file at ${path}` });
}

export function createRequestHandler(deps: HttpDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const started = performance.now();
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    res.on('finish', () => {
      deps.logger.info('http.request', `${req.method ?? '?'} ${path} ${res.statusCode}`, {
        method: req.method,
        path,
        status: res.statusCode,
        ms: Math.round((performance.now() - started) * 10) / 10,
      });
    });
    route(deps, req, res, path).catch((err: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (err instanceof RedisUnavailableError) {
        sendError(res, 503, { error: 'redis_unavailable', message: err.message, retryable: true }, { 'Retry-After': '1' });
        return;
      }
      deps.logger.error('http.error', `${req.method ?? '?'} ${path}: ${describeError(err)}`, { path });
      sendError(res, 500, { error: 'internal', message: describeError(err) });
    });
  };
}
