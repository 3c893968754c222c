/**
 * One JSON object per line on stdout: `{"ts":…,"level":…,"event":…,"msg":…, …fields}`.
 * `event` is a stable dotted name to filter on; `msg` is the human sentence. Fields must be JSON-safe
 * (bigints are written as strings).
 */

export type Level = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(event: string, msg: string, fields?: LogFields): void;
  info(event: string, msg: string, fields?: LogFields): void;
  warn(event: string, msg: string, fields?: LogFields): void;
  error(event: string, msg: string, fields?: LogFields): void;
}

const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

function replacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Error) return { name: value.name, message: value.message };
  return value;
}

export function createLogger(opts: { minLevel?: Level; write?: (line: string) => void } = {}): Logger {
  const min = ORDER[opts.minLevel ?? 'info'];
  const write = opts.write ?? ((line: string) => process.stdout.write(line + '\n'));
  const emit = (level: Level, event: string, msg: string, fields?: LogFields): void => {
    if (ORDER[level] < min) return;
    write(JSON.stringify({ ts: new Date().toISOString(), level, event, msg, ...fields }, replacer));
  };
  return {
    debug: (e, m, f) => emit('debug', e, m, f),
    info: (e, m, f) => emit('info', e, m, f),
    warn: (e, m, f) => emit('warn', e, m, f),
    error: (e, m, f) => emit('error', e, m, f),
  };
}

/** A logger that discards everything (tests that do not inspect logs). */
export const silentLogger: Logger = createLogger({ write: () => undefined });

/** Describes a thrown value for a log line or an error reply. */
export function describeError(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
