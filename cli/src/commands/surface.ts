import { readFileSync } from 'node:fs';
import { parseFlags, strFlag, UsageError } from '../args.js';
import type { Command } from '../command.js';
import { writeFileAtomic } from '../csv.js';
import { loadWasm } from '../wasm.js';

const FORMATS = ['yfinance', 'deribit', 'generic'];
const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Milliseconds since the epoch of an ISO-8601 date or date-time; a date alone or a time without zone is UTC. */
export function parseAsOf(raw: string): number {
  const s = raw.trim();
  if (!ISO.test(s)) throw new UsageError(`--as-of must be an ISO-8601 date or date-time (e.g. 2026-01-30T21:00:00Z), got '${raw}'`);
  const withZone = s.length === 10 ? `${s}T00:00:00Z` : /(Z|[+-]\d{2}:?\d{2})$/.test(s) ? s : `${s}Z`;
  const ms = Date.parse(withZone);
  if (!Number.isFinite(ms)) throw new UsageError(`--as-of: '${raw}' is not a real date`);
  return ms;
}

interface SurfaceJson {
  expiries?: Array<Record<string, unknown>>;
  import?: { n_errors?: number } | null;
}

export const surface: Command = {
  summary: 'fit a volatility surface (parity forwards, SVI per expiry, SSVI, arbitrage checks) to an option chain',
  usage:
    'ferrodesk surface --in CHAIN --format yfinance|deribit|generic --as-of ISO-8601 [--mapping JSON] [--quotes] ' +
    '[--out F.json]\n' +
    '  prints JSON: per expiry forward, df, svi {a,b,rho,m,sigma}, rmse_vol_points, butterfly report; the calendar\n' +
    '  report and the SSVI fit. --quotes adds every quote\'s bid/ask/mid IV. --mapping maps generic CSV columns.',
  async run(argv) {
    const flags = parseFlags(argv, {
      in: { value: true, required: true },
      format: { value: true, required: true },
      'as-of': { value: true, required: true },
      mapping: { value: true },
      quotes: { value: false },
      out: { value: true },
    });
    const format = (strFlag(flags, 'format') ?? '').toLowerCase();
    if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(' | ')}, got '${String(flags.format)}'`);
    const asOf = parseAsOf(strFlag(flags, 'as-of') ?? '');
    const mapping = strFlag(flags, 'mapping');
    if (mapping !== undefined && format !== 'generic') throw new UsageError('--mapping is only used with --format generic');
    if (format === 'generic' && mapping === undefined) throw new UsageError('--format generic needs --mapping JSON naming the columns');
    const path = strFlag(flags, 'in') ?? '';
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      throw new UsageError(`--in: cannot read '${path}': ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
    const wasm = await loadWasm();
    const report = JSON.parse(wasm.buildSurfaceJson(text, format, asOf, mapping)) as SurfaceJson;
    if (!flags.quotes) for (const e of report.expiries ?? []) delete e.quotes;
    const out = `${JSON.stringify(report, null, 2)}\n`;
    const file = strFlag(flags, 'out');
    if (file) writeFileAtomic(file, out);
    else process.stdout.write(out);
    const nErr = report.import?.n_errors ?? 0;
    if (nErr) process.stderr.write(`${nErr} chain rows were rejected (listed under "import.errors")\n`);
    return 0;
  },
};
