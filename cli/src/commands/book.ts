import { readFileSync } from 'node:fs';
import { intFlag, parseFlags, strFlag, UsageError } from '../args.js';
import type { Command } from '../command.js';
import { loadWasm } from '../wasm.js';

const VENUES = ['binance-spot', 'binance-futures', 'bybit', 'kraken', 'coinbase'] as const;
const MAX_DEPTH = 5000;

/** `--at 1723161254206652067,1723161300000000000` → the digit strings (ns epochs exceed Number's exact range). */
function parseAt(raw: string | undefined): string[] {
  if (raw === undefined) return [];
  const parts = raw.split(',').map((s) => s.trim());
  for (const p of parts) {
    if (!/^\d{1,19}$/.test(p)) {
      throw new UsageError(`--at must be a comma-separated list of integer nanosecond timestamps, got '${p}' in '${raw}'`);
    }
  }
  return parts;
}

export const book: Command = {
  summary: 'replay a Binance, Bybit, Kraken or Coinbase order-book recording and print the sync report as JSON',
  usage:
    'ferrodesk book --venue binance-spot|binance-futures|bybit|kraken|coinbase --in FILE [--depth N] [--at TS,...]\n' +
    '  FILE: gzip (hftbacktest `<ts_recv_ns> <json>` lines), zip (first member) or plain text.\n' +
    `  --at: nanosecond timestamps at which to print the top --depth levels a side (default 10, max ${MAX_DEPTH}).\n` +
    '  Prints counters (updates, gaps, resyncs, crossed, rejected), the ticker check, the final book and the\n' +
    '  rejected lines with reasons; see docs/recordings.md.',
  async run(argv) {
    const flags = parseFlags(argv, {
      venue: { value: true, required: true },
      in: { value: true, required: true },
      depth: { value: true },
      at: { value: true },
    });
    const venue = strFlag(flags, 'venue') ?? '';
    if (!(VENUES as readonly string[]).includes(venue)) {
      throw new UsageError(`--venue must be one of ${VENUES.join(', ')}, got '${venue}'`);
    }
    const depth = intFlag(flags, 'depth', 10, 1, MAX_DEPTH);
    const at = parseAt(strFlag(flags, 'at'));
    const path = strFlag(flags, 'in') ?? '';
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(path);
    } catch (e) {
      throw new UsageError(`--in: cannot read '${path}': ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
    const wasm = await loadWasm();
    let report: string;
    try {
      report = wasm.bookReport(venue, bytes, depth, JSON.stringify(at));
    } catch (e) {
      throw new UsageError(`--in '${path}': ${e instanceof Error ? e.message : String(e)}`);
    }
    process.stdout.write(`${JSON.stringify(JSON.parse(report) as unknown, null, 2)}\n`);
    return 0;
  },
};
