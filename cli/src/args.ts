// Minimal, strict argument parsing for the CLI: every flag is declared; unknown or malformed ones are errors
// that name the flag, the value and the reason.

export class UsageError extends Error {}

export interface FlagSpec {
  /** Takes a value (`--in FILE`) or is a switch (`--json`). */
  value: boolean;
  required?: boolean;
}

export type ParsedFlags = Record<string, string | true>;

export function parseFlags(argv: readonly string[], spec: Record<string, FlagSpec>): ParsedFlags {
  const out: ParsedFlags = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument '${arg}': flags start with --`);
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    const s = spec[name];
    if (!s) throw new UsageError(`unknown flag '--${name}' (expected one of: ${Object.keys(spec).map((k) => `--${k}`).join(', ')})`);
    if (name in out) throw new UsageError(`flag '--${name}' given twice`);
    if (!s.value) {
      if (eq >= 0) throw new UsageError(`flag '--${name}' takes no value, got '${arg.slice(eq + 1)}'`);
      out[name] = true;
      continue;
    }
    const v = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (v === undefined || (eq < 0 && v.startsWith('--'))) throw new UsageError(`flag '--${name}' needs a value`);
    out[name] = v;
  }
  for (const [name, s] of Object.entries(spec)) {
    if (s.required && !(name in out)) throw new UsageError(`missing required flag '--${name}'`);
  }
  return out;
}

/** Parses an integer flag within [min, max]; the error names the flag, value and range. */
export function intFlag(flags: ParsedFlags, name: string, fallback: number, min: number, max: number): number {
  const raw = flags[name];
  if (raw === undefined) return fallback;
  if (raw === true || !/^-?\d+$/.test(raw)) throw new UsageError(`--${name} must be an integer, got '${String(raw)}'`);
  const n = Number(raw);
  if (n < min || n > max) throw new UsageError(`--${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

export function strFlag(flags: ParsedFlags, name: string): string | undefined {
  const v = flags[name];
  return v === true ? undefined : v;
}
