/**
 * The replay speed over HTTP:
 *
 *   GET /api/feed/speed   200 FeedSpeedResponse (`replaying: false` for the simulator or a subscribed feed)
 *   PUT /api/feed/speed   body `{"speed": N}`, N an integer 1..100: 200 FeedSpeedResponse | 400 (issues name the
 *                         field, value and reason) | 409 `not_replaying` | 413 | 415
 * Not stored: the speed is the running replay's and starts at `--replay-speed` again after a restart.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FeedSpeedResponse } from '../../../src/protocol/messages.js';
import { readJsonBody } from '../http/body.js';
import { sendError, sendJson } from '../http/respond.js';
import type { Logger } from '../log.js';
import { MAX_SPEED, MIN_SPEED, SPEED_CHOICES, speedProblem, type ReplayMarket } from './replay.js';

export const FEED_SPEED_PATH = '/api/feed/speed';
const BODY_LIMIT_BYTES = 1024;

export interface FeedSpeedDeps {
  logger: Logger;
  replay?: ReplayMarket | null;
}

function describe(replay: ReplayMarket | null): FeedSpeedResponse {
  return {
    replaying: replay !== null,
    speed: replay ? replay.speed : null,
    min: MIN_SPEED,
    max: MAX_SPEED,
    choices: [...SPEED_CHOICES],
    sources: replay ? replay.sources() : [],
  };
}

/** Answers requests to /api/feed/speed; false for any other path. */
export async function handleFeedSpeed(deps: FeedSpeedDeps, req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
  if (path !== FEED_SPEED_PATH) return false;
  const method = req.method ?? 'GET';
  const replay = deps.replay ?? null;
  if (method === 'GET' || method === 'HEAD') {
    sendJson(res, 200, describe(replay));
    return true;
  }
  if (method !== 'PUT') {
    sendError(res, 405, { error: 'method_not_allowed', message: `${method} is not allowed on ${path}; allowed: GET, HEAD, PUT` }, { Allow: 'GET, HEAD, PUT' });
    return true;
  }
  const body = await readJsonBody(req, BODY_LIMIT_BYTES);
  if (!body.ok) {
    sendError(res, body.status, body.body, body.closeConnection ? { Connection: 'close' } : {});
    return true;
  }
  const value: unknown = body.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const reason = 'expected a JSON object such as {"speed": 10}';
    sendError(res, 400, { error: 'invalid_body', message: `body is invalid: ${reason}`, issues: [{ path: '$', value, reason }] });
    return true;
  }
  const fields = value as Record<string, unknown>;
  const extra = Object.keys(fields).filter((k) => k !== 'speed');
  const issues = extra.map((k) => ({ path: k, value: fields[k], reason: 'unknown field (expected only "speed")' }));
  const problem = 'speed' in fields ? speedProblem(fields.speed) : `required: an integer from ${MIN_SPEED} to ${MAX_SPEED}`;
  if (problem) issues.unshift({ path: 'speed', value: fields.speed, reason: problem });
  if (issues.length > 0) {
    sendError(res, 400, {
      error: 'invalid_body',
      message: `body has ${issues.length} invalid field${issues.length === 1 ? '' : 's'}: ${issues.map((i) => `${i.path} ${JSON.stringify(i.value) ?? 'missing'} (${i.reason})`).join('; ')}`,
      issues,
    });
    return true;
  }
  if (!replay) {
    sendError(res, 409, { error: 'not_replaying', message: 'the backend runs the simulator or a subscribed feed, not a replay (start it with --replay)' });
    return true;
  }
  replay.setSpeed(fields.speed as number);
  deps.logger.info('replay.speed', `replay speed set to ${replay.speed}×`, { speed: replay.speed });
  sendJson(res, 200, describe(replay));
  return true;
}
