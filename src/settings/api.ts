/**
 * The workspace REST API (`/api/workspace/:name`). Every outcome is a value: a failure says whether the same
 * request may succeed later (`retryable`), how long the server asked to wait, and a message fit for the UI.
 */
import type { FeedSpeedResponse, HttpErrorBody, SavedWorkspace, ValidationIssue, WorkspaceSettings } from '../protocol/messages';
import { describeIssues, validateSavedWorkspace } from './validate';

export interface ApiFailure {
  /** HTTP status, or null when no response arrived. */
  status: number | null;
  code: HttpErrorBody['error'] | 'network' | 'bad_response';
  /** Short, readable cause, e.g. "Redis unavailable". */
  message: string;
  retryable: boolean;
  retryAfterMs: number | null;
  issues: ValidationIssue[];
}

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiFailure };
export type LoadResult = ApiResult<SavedWorkspace | null>;

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

const HTTP_CODES: ReadonlySet<string> = new Set<HttpErrorBody['error']>([
  'invalid_body', 'invalid_json', 'invalid_name', 'invalid_id', 'invalid_query', 'unsupported_media_type',
  'payload_too_large', 'not_found', 'method_not_allowed', 'redis_unavailable', 'not_replaying', 'internal',
]);

const READABLE: Partial<Record<ApiFailure['code'], string>> = {
  redis_unavailable: 'Redis unavailable',
  network: 'server unreachable',
  internal: 'server error',
  payload_too_large: 'settings too large',
  bad_response: 'unexpected reply from the server',
};

function failure(status: number | null, code: ApiFailure['code'], detail: string, extra: Partial<ApiFailure> = {}):
  ApiFailure {
  return {
    status,
    code,
    message: READABLE[code] ?? detail,
    retryable: false,
    retryAfterMs: null,
    issues: [],
    ...extra,
  };
}

async function readJson(res: Response): Promise<unknown> {
  try {
    return (await res.json()) as unknown;
  } catch {
    return undefined;
  }
}

async function errorFrom(res: Response): Promise<ApiFailure> {
  const body = await readJson(res);
  const retryAfter = Number(res.headers.get('Retry-After'));
  const retryAfterMs = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : null;
  const obj = typeof body === 'object' && body !== null ? (body as Partial<Record<string, unknown>>) : {};
  const code = typeof obj.error === 'string' && HTTP_CODES.has(obj.error) ? (obj.error as HttpErrorBody['error']) : null;
  const issues = Array.isArray(obj.issues) ? (obj.issues as ValidationIssue[]) : [];
  const serverMessage = typeof obj.message === 'string' ? obj.message : `HTTP ${res.status}`;
  // 5xx without a body we understand (a proxy, a crash) may well pass on retry; 4xx will not.
  const retryable = obj.retryable === true || (code === null && res.status >= 500);
  const detail = issues.length > 0 ? describeIssues(issues) : serverMessage;
  return failure(res.status, code ?? 'bad_response', detail, { retryable, retryAfterMs, issues,
    ...(code === null && res.status >= 500 ? { message: `server error (HTTP ${res.status})` } : {}) });
}

function networkFailure(err: unknown): ApiFailure {
  return failure(null, 'network', err instanceof Error ? err.message : String(err), { retryable: true });
}

export class WorkspaceApi {
  constructor(private readonly fetchFn: Fetch, private readonly base = '/api/workspace') {}

  /** The saved workspace, or null when nothing is saved under `name` (404). */
  async load(name: string): Promise<LoadResult> {
    let res: Response;
    try {
      res = await this.fetchFn(`${this.base}/${encodeURIComponent(name)}`, { headers: { Accept: 'application/json' },
        cache: 'no-store' });
    } catch (err) {
      return { ok: false, error: networkFailure(err) };
    }
    if (res.status === 404) {
      const body = await readJson(res);
      const code = typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined;
      if (code === 'not_found' || code === undefined) return { ok: true, value: null };
    }
    if (!res.ok) return { ok: false, error: await errorFrom(res) };
    const checked = validateSavedWorkspace(await readJson(res));
    if (!checked.ok) {
      return { ok: false, error: failure(res.status, 'bad_response', describeIssues(checked.issues),
        { issues: checked.issues }) };
    }
    return { ok: true, value: checked.value };
  }

  /** Saves; resolves only once the server answered (200 means Redis has the write). */
  async save(name: string, workspace: WorkspaceSettings, opts: { keepalive?: boolean } = {}):
    Promise<ApiResult<SavedWorkspace>> {
    let res: Response;
    try {
      res = await this.fetchFn(`${this.base}/${encodeURIComponent(name)}`, {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(workspace),
        keepalive: opts.keepalive ?? false,
      });
    } catch (err) {
      return { ok: false, error: networkFailure(err) };
    }
    if (!res.ok) return { ok: false, error: await errorFrom(res) };
    const checked = validateSavedWorkspace(await readJson(res));
    if (!checked.ok) {
      return { ok: false, error: failure(res.status, 'bad_response', describeIssues(checked.issues),
        { issues: checked.issues }) };
    }
    return { ok: true, value: checked.value };
  }
}

/** The reply's shape, or the first field that is not what `FeedSpeedResponse` says. */
export function checkFeedSpeed(body: unknown): ApiResult<FeedSpeedResponse> {
  const bad = (path: string, value: unknown, reason: string): ApiResult<FeedSpeedResponse> => ({
    ok: false,
    error: failure(200, 'bad_response', `${path} ${JSON.stringify(value) ?? 'missing'}: ${reason}`, { issues: [{ path, value, reason }] }),
  });
  if (typeof body !== 'object' || body === null) return bad('$', body, 'expected an object');
  const b = body as Partial<Record<keyof FeedSpeedResponse, unknown>>;
  if (typeof b.replaying !== 'boolean') return bad('replaying', b.replaying, 'expected a boolean');
  if (b.speed !== null && typeof b.speed !== 'number') return bad('speed', b.speed, 'expected a number or null');
  if (!Array.isArray(b.choices) || !b.choices.every((c) => typeof c === 'number')) return bad('choices', b.choices, 'expected numbers');
  if (!Array.isArray(b.sources)) return bad('sources', b.sources, 'expected an array');
  return { ok: true, value: body as FeedSpeedResponse };
}

/** The replay feed's speed (`/api/feed/speed`). */
export class FeedSpeedApi {
  constructor(private readonly fetchFn: Fetch, private readonly url = '/api/feed/speed') {}

  async get(): Promise<ApiResult<FeedSpeedResponse>> {
    return this.call({ headers: { Accept: 'application/json' }, cache: 'no-store' });
  }

  async set(speed: number): Promise<ApiResult<FeedSpeedResponse>> {
    return this.call({
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ speed }),
    });
  }

  private async call(init: RequestInit): Promise<ApiResult<FeedSpeedResponse>> {
    let res: Response;
    try {
      res = await this.fetchFn(this.url, init);
    } catch (err) {
      return { ok: false, error: networkFailure(err) };
    }
    if (!res.ok) return { ok: false, error: await errorFrom(res) };
    return checkFeedSpeed(await readJson(res));
  }
}

/** "Not saved: Redis unavailable — retrying" and the like. */
export function saveErrorText(error: ApiFailure): string {
  const cause = error.code === 'invalid_body' && error.issues.length > 0 ? describeIssues(error.issues) : error.message;
  return `Not saved: ${cause}${error.retryable ? ' — retrying' : ''}`;
}
