/**
 * Saves workspace settings to the server so that no change is silently dropped:
 * - changes are debounced (300 ms) and only the latest state is sent, one request at a time;
 * - a retryable failure (Redis down, server unreachable, 5xx) is retried with capped exponential backoff —
 *   honouring `Retry-After` — until it succeeds or a newer change replaces it;
 * - a change the server refuses (400) is reported with the offending fields and not retried;
 * - the status ("saving…", "saved", "Not saved: … — retrying") is reported after every step.
 */
import type { SavedWorkspace, WorkspaceSettings } from '../protocol/messages';
import type { SaveStatus } from '../state';
import { backoffDelay, type BackoffPolicy } from '../util/backoff';
import { saveErrorText, type ApiResult } from './api';
import { describeIssues, validateWorkspaceSettings } from './validate';

export interface Timers {
  setTimeout(fn: () => void, ms: number): number;
  clearTimeout(id: number): void;
}

export interface SaverDeps {
  save(workspace: WorkspaceSettings, opts: { keepalive: boolean }): Promise<ApiResult<SavedWorkspace>>;
  setStatus(status: SaveStatus): void;
  timers: Timers;
  random?: () => number;
  debounceMs?: number;
  retry?: BackoffPolicy;
}

export const SAVE_DEBOUNCE_MS = 300;
export const SAVE_RETRY: BackoffPolicy = { baseMs: 500, capMs: 10_000 };

/** Key order is fixed by `selectWorkspace`, so the JSON text identifies a state. */
const keyOf = (ws: WorkspaceSettings | null): string | null => (ws ? JSON.stringify(ws) : null);

export class WorkspaceSaver {
  private latest: WorkspaceSettings | null = null;
  private latestKey: string | null = null;
  private savedKey: string | null = null;
  /** The status to show whenever the latest state is the one the server has. */
  private synced: SaveStatus = { state: 'defaults' };
  private inFlight = false;
  private timer: number | null = null;
  private attempt = 0;
  private readonly debounceMs: number;
  private readonly retry: BackoffPolicy;

  constructor(private readonly deps: SaverDeps) {
    this.debounceMs = deps.debounceMs ?? SAVE_DEBOUNCE_MS;
    this.retry = deps.retry ?? SAVE_RETRY;
  }

  /** True while the latest change is not known to be on the server. */
  get dirty(): boolean {
    return this.latestKey !== null && this.latestKey !== this.savedKey;
  }

  /** True once `baseline` was called. */
  get started(): boolean {
    return this.latestKey !== null;
  }

  /**
   * The state the UI starts from, taken as in sync with the server: nothing is saved until the user changes
   * something. `status` is what to show while nothing has changed (saved, defaults, or a load error).
   */
  baseline(current: WorkspaceSettings, status: SaveStatus): void {
    this.latest = current;
    this.latestKey = keyOf(current);
    this.savedKey = this.latestKey;
    this.synced = status;
  }

  change(workspace: WorkspaceSettings): void {
    const key = keyOf(workspace);
    if (key === this.latestKey) return;
    this.latest = workspace;
    this.latestKey = key;
    this.attempt = 0;
    if (!this.dirty && !this.inFlight) {
      this.cancel();
      this.deps.setStatus(this.synced);
      return;
    }
    const checked = validateWorkspaceSettings(workspace);
    if (!checked.ok) {
      this.cancel();
      this.deps.setStatus({ state: 'error', message: `Not saved: ${describeIssues(checked.issues)}`, retrying: false });
      return;
    }
    this.deps.setStatus({ state: 'saving' });
    this.schedule(this.debounceMs);
  }

  /** Sends an unsaved change at once, with `keepalive` so it survives the page closing. */
  flushOnExit(): void {
    if (!this.dirty || !this.latest || this.inFlight) return;
    this.cancel();
    void this.deps.save(this.latest, { keepalive: true });
  }

  dispose(): void {
    this.cancel();
  }

  private schedule(ms: number): void {
    this.cancel();
    this.timer = this.deps.timers.setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, ms);
  }

  private cancel(): void {
    if (this.timer !== null) this.deps.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  private async flush(): Promise<void> {
    if (this.inFlight) return; // the request in flight checks for newer changes when it completes
    const sending = this.latest;
    const sentKey = this.latestKey;
    if (!sending || sentKey === this.savedKey) {
      this.deps.setStatus(this.synced);
      return;
    }
    this.inFlight = true;
    this.deps.setStatus({ state: 'saving' });
    const result = await this.deps.save(sending, { keepalive: false });
    this.inFlight = false;
    if (result.ok) {
      this.savedKey = sentKey;
      this.synced = { state: 'saved', savedAt: result.value.savedAt };
      this.attempt = 0;
      if (this.dirty) {
        this.deps.setStatus({ state: 'saving' });
        this.schedule(0);
      } else {
        this.deps.setStatus(this.synced);
      }
      return;
    }
    const { error } = result;
    if (sentKey !== this.latestKey && this.timer !== null) return; // a newer change is already scheduled
    if (error.retryable) {
      const delay = Math.max(error.retryAfterMs ?? 0, backoffDelay(this.retry, this.attempt, this.deps.random));
      this.attempt += 1;
      this.deps.setStatus({ state: 'error', message: saveErrorText(error), retrying: true });
      this.schedule(delay);
    } else {
      this.deps.setStatus({ state: 'error', message: saveErrorText(error), retrying: false });
      // A change made while the refused one was in flight still deserves its own attempt.
      if (this.dirty && sentKey !== this.latestKey) this.schedule(this.debounceMs);
    }
  }
}
