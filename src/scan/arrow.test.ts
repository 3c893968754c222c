// The Arrow export read back by apache-arrow and, where python3 has pyarrow, by pyarrow.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChunkColumns, ScanSpec } from '../protocol/scan';
import { ARROW_COLUMNS, arrowFileName, writeScanArrow } from './arrow';
import { chunkRows, gridSize, OUTPUTS, rowInputs } from './grid';
import { loadScanWasm, type ScanKernel } from './kernel';
import type { ScanResult } from './pool';
import { valueAt } from './result';

const WASM = resolve(import.meta.dirname, '../../core-wasm/pkg/ferrodesk_wasm_bg.wasm');
let kernel: ScanKernel;
let dir: string;

beforeAll(async () => {
  kernel = await loadScanWasm(readFileSync(WASM));
  dir = mkdtempSync(join(tmpdir(), 'ferrodesk-arrow-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A result priced directly by the kernel, cut into chunks the way the pool cuts it. */
function priced(spec: ScanSpec, rows = chunkRows(spec.model, gridSize(spec), 2)): ScanResult {
  const total = gridSize(spec);
  const chunks: ChunkColumns[] = [];
  for (let start = 0; start < total; start += rows) chunks.push(kernel.priceChunk(spec, start, Math.min(rows, total - start)));
  return { spec, total, chunkRows: rows, chunks, elapsedMs: 0, computeMs: 0, workers: 1 };
}

async function toBytes(result: ScanResult, pauses?: { n: number }): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  const progress: number[] = [];
  const bytes = await writeScanArrow(result, {
    sink: (p) => parts.push(p.slice()),
    pause: async () => {
      if (pauses) pauses.n++;
    },
    onProgress: (done) => progress.push(done),
    metadata: { engine_version: kernel.engineVersion },
  });
  expect(progress.at(-1)).toBe(result.total);
  const out = Buffer.concat(parts);
  expect(out.byteLength).toBe(bytes);
  return out;
}

const spec: ScanSpec = {
  model: 'bsm', type: 'call', r: 0.03, q: 0.015,
  S: { min: 60, max: 140, steps: 30 },
  K: { min: 100, max: 100, steps: 1 },
  sigma: { min: 0.1, max: 0.6, steps: 11 },
  t: { min: 0.1, max: 1.5, steps: 7 },
};

describe('Arrow export', () => {
  it('writes an IPC file apache-arrow reads back: columns, rows, values, metadata', async () => {
    const result = priced(spec, 500);
    const pauses = { n: 0 };
    const table = tableFromIPC(await toBytes(result, pauses));
    expect(pauses.n).toBeGreaterThan(0);
    expect(table.numRows).toBe(gridSize(spec));
    expect(table.schema.fields.map((f) => f.name)).toEqual([...ARROW_COLUMNS]);
    expect(table.schema.fields.every((f) => f.type.toString() === 'Float64')).toBe(true);
    const md = table.schema.metadata;
    expect(md.get('model')).toBe('bsm');
    expect(md.get('option_type')).toBe('call');
    expect(md.get('r')).toBe('0.03');
    expect(md.get('q')).toBe('0.015');
    expect(JSON.parse(md.get('sigma_range') ?? '')).toEqual(spec.sigma);
    expect(md.get('engine_version')).toBe(kernel.engineVersion);
    for (const row of [0, 1, 499, 500, 1234, gridSize(spec) - 1]) {
      const r = table.get(row)?.toJSON() as Record<string, number>;
      const inp = rowInputs(spec, row);
      expect([r.S, r.K, r.sigma, r.t]).toEqual([inp.S, inp.K, inp.sigma, inp.t]);
      for (const o of OUTPUTS) expect(r[o]).toBe(valueAt(result, o, row));
    }
  });

  it('gathers small chunks into larger record batches', async () => {
    const tree: ScanSpec = { ...spec, model: 'binomial', S: { min: 80, max: 120, steps: 3 }, t: { min: 0.5, max: 1, steps: 2 } };
    const result = priced(tree, 7);
    const table = tableFromIPC(await toBytes(result));
    expect(table.numRows).toBe(gridSize(tree));
    expect(table.batches.length).toBe(1);
    for (let row = 0; row < gridSize(tree); row++) expect(table.get(row)?.toJSON().price).toBe(valueAt(result, 'price', row));
  });

  it('names the file after what it holds', () => {
    expect(arrowFileName(spec, 2310)).toBe('scan-bsm-call-2310.arrow');
  });

  it('pyarrow reads the file unchanged (skipped without python3 + pyarrow)', async (ctx) => {
    const probe = spawnSync('python3', ['-c', 'import pyarrow'], { encoding: 'utf8' });
    if (probe.status !== 0) {
      ctx.skip(`python3 with pyarrow is not available (${(probe.stderr || String(probe.error)).trim().split('\n').at(-1)})`);
      return;
    }
    const result = priced(spec);
    const file = join(dir, arrowFileName(spec, result.total));
    writeFileSync(file, await toBytes(result));
    const row = 1234;
    const script = `
import json, sys, math
import pyarrow as pa, pyarrow.ipc as ipc
with pa.memory_map(sys.argv[1]) as src:
    t = ipc.open_file(src).read_all()
md = {k.decode(): v.decode() for k, v in (t.schema.metadata or {}).items()}
r = int(sys.argv[2])
print(json.dumps({
  "rows": t.num_rows,
  "names": t.column_names,
  "types": [str(f.type) for f in t.schema],
  "nullable": [f.nullable for f in t.schema],
  "model": md.get("model"), "option_type": md.get("option_type"), "r": md.get("r"), "q": md.get("q"),
  "row": {n: t.column(n)[r].as_py() for n in t.column_names},
}))
`;
    const out = spawnSync('python3', ['-c', script, file, String(row)], { encoding: 'utf8' });
    expect(out.stderr).toBe('');
    const got = JSON.parse(out.stdout) as {
      rows: number; names: string[]; types: string[]; nullable: boolean[]; model: string; option_type: string;
      r: string; q: string; row: Record<string, number>;
    };
    expect(got.rows).toBe(gridSize(spec));
    expect(got.names).toEqual([...ARROW_COLUMNS]);
    expect(new Set(got.types)).toEqual(new Set(['double']));
    expect(got.nullable.every((n) => !n)).toBe(true);
    expect([got.model, got.option_type, got.r, got.q]).toEqual(['bsm', 'call', '0.03', '0.015']);
    const inp = rowInputs(spec, row);
    expect([got.row.S, got.row.K, got.row.sigma, got.row.t]).toEqual([inp.S, inp.K, inp.sigma, inp.t]);
    for (const o of OUTPUTS) expect(got.row[o]).toBe(valueAt(result, o, row));
  });

  it('polars reads the file unchanged (skipped without python3 + polars)', async (ctx) => {
    const probe = spawnSync('python3', ['-c', 'import polars'], { encoding: 'utf8' });
    if (probe.status !== 0) {
      ctx.skip(`python3 with polars is not available (${(probe.stderr || String(probe.error)).trim().split('\n').at(-1)})`);
      return;
    }
    const result = priced(spec);
    const file = join(dir, `polars-${arrowFileName(spec, result.total)}`);
    writeFileSync(file, await toBytes(result));
    const row = 2009;
    const script = `
import json, sys
import polars as pl
df = pl.read_ipc(sys.argv[1])
r = int(sys.argv[2])
print(json.dumps({"rows": df.height, "names": df.columns, "dtypes": [str(d) for d in df.dtypes], "row": df.row(r, named=True)}))
`;
    const out = spawnSync('python3', ['-c', script, file, String(row)], { encoding: 'utf8' });
    expect(out.stderr).toBe('');
    const got = JSON.parse(out.stdout) as { rows: number; names: string[]; dtypes: string[]; row: Record<string, number> };
    expect(got.rows).toBe(gridSize(spec));
    expect(got.names).toEqual([...ARROW_COLUMNS]);
    expect(new Set(got.dtypes)).toEqual(new Set(['Float64']));
    const inp = rowInputs(spec, row);
    expect([got.row.S, got.row.K, got.row.sigma, got.row.t]).toEqual([inp.S, inp.K, inp.sigma, inp.t]);
    for (const o of OUTPUTS) expect(got.row[o]).toBe(valueAt(result, o, row));
  });
});
