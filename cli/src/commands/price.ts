import { readFileSync } from 'node:fs';
import { parseFlags, strFlag, UsageError } from '../args.js';
import type { Command } from '../command.js';
import { formatCsv, parseCsv, writeFileAtomic } from '../csv.js';
import { ivRows, MODELS, priceRows, type RowsResult } from '../options/rows.js';
import { loadWasm, type WasmModule } from '../wasm.js';
import type { CsvTable } from '../csv.js';

function readTable(path: string): CsvTable {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`--in: cannot read '${path}': ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  return parseCsv(text);
}

/** Shared body of `price` and `iv`: read, compute row by row, write all at once, report failed rows on stderr. */
async function runRows(argv: string[], compute: (w: WasmModule, t: CsvTable) => RowsResult): Promise<number> {
  const flags = parseFlags(argv, { in: { value: true, required: true }, out: { value: true } });
  const table = readTable(strFlag(flags, 'in') ?? '');
  const result = compute(await loadWasm(), table);
  const text = formatCsv(result.header, result.rows);
  const out = strFlag(flags, 'out');
  if (out) writeFileAtomic(out, text);
  else process.stdout.write(text);
  if (result.errors) {
    process.stderr.write(`${result.errors} of ${result.rows.length} rows could not be computed (see the error column)\n`);
  }
  return 0;
}

export const price: Command = {
  summary: 'price options with Greeks from a CSV (model,type,spot,strike,rate,div,time,vol[,steps])',
  usage:
    'ferrodesk price --in F.csv [--out F.csv]\n' +
    `  columns: model,type,spot,strike,rate,div,time,vol[,steps]; model ∈ ${MODELS.join(' | ')}; type ∈ call | put\n` +
    '  adds price,delta,gamma,vega,theta,rho (vega and rho per 1.00, theta per year) and error.\n' +
    '  black76: spot is the forward. bachelier: vol is in price units. binomial: steps defaults to 201.',
  run: (argv) => runRows(argv, priceRows),
};

export const iv: Command = {
  summary: 'implied volatilities from a CSV of option prices (model,type,spot,strike,rate,div,time,price)',
  usage:
    'ferrodesk iv --in F.csv [--out F.csv]\n' +
    `  columns: model,type,spot,strike,rate,div,time,price; model ∈ ${MODELS.join(' | ')}\n` +
    '  adds iv and error (a price outside the no-arbitrage bounds gets no iv and the reason).',
  run: (argv) => runRows(argv, ivRows),
};
