/**
 * Runs long computations in slices so that short requests (quotes) are answered between them, and lets a newer
 * request on the same channel supersede an older one. A job is a generator: it yields after each unit of work
 * (reporting `[done, total]`) and returns its result.
 */
export type JobStep = [done: number, total: number];
export type JobBody<T> = Generator<JobStep, T, void>;

interface Job {
  channel: string;
  reqId: number;
  body: JobBody<unknown>;
  done(result: unknown): void;
  fail(error: string, superseded: boolean): void;
  progress(done: number, total: number): void;
  lastProgressMs: number;
}

export interface JobClock {
  now(): number;
  /** Runs `fn` as a new task soon (after pending messages). */
  defer(fn: () => void): void;
}

export class JobRunner {
  private readonly jobs: Job[] = [];
  private scheduled = false;

  /** `sliceMs`: how long one slice may run before yielding to incoming messages. */
  constructor(private readonly clock: JobClock, private readonly sliceMs = 4) {}

  submit<T>(channel: string, reqId: number, body: JobBody<T>, handlers: {
    done(result: T): void;
    fail(error: string, superseded: boolean): void;
    progress(done: number, total: number): void;
  }): void {
    const old = this.jobs.findIndex((j) => j.channel === channel);
    if (old >= 0) {
      const [gone] = this.jobs.splice(old, 1);
      gone?.fail(`superseded by request ${reqId}`, true);
    }
    this.jobs.push({ channel, reqId, body: body as JobBody<unknown>, done: handlers.done as (r: unknown) => void,
      fail: handlers.fail, progress: handlers.progress, lastProgressMs: this.clock.now() });
    this.schedule();
  }

  get pending(): number {
    return this.jobs.length;
  }

  private schedule(): void {
    if (this.scheduled || this.jobs.length === 0) return;
    this.scheduled = true;
    this.clock.defer(() => {
      this.scheduled = false;
      this.slice();
    });
  }

  private slice(): void {
    const until = this.clock.now() + this.sliceMs;
    while (this.jobs.length > 0 && this.clock.now() < until) {
      const job = this.jobs[0] as Job;
      let step: IteratorResult<JobStep, unknown>;
      try {
        step = job.body.next();
      } catch (err) {
        this.jobs.shift();
        job.fail(err instanceof Error ? err.message : String(err), false);
        continue;
      }
      if (step.done) {
        this.jobs.shift();
        job.done(step.value);
        continue;
      }
      const now = this.clock.now();
      if (now - job.lastProgressMs > 100) {
        job.lastProgressMs = now;
        job.progress(step.value[0], step.value[1]);
      }
      // Round robin: one unit of work per job per turn.
      this.jobs.push(this.jobs.shift() as Job);
    }
    this.schedule();
  }
}
