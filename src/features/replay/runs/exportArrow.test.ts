import { tableFromIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import {
  arrowName, EQUITY_SCHEMA, equityArrow, equityFromCurve, equityFromEngine, FILLS_SCHEMA, fillsArrow, fillsFromEngine,
} from './exportArrow';

const T0 = 1_767_225_600_123_456_768; // exactly representable as a double

describe('fills as Arrow IPC', () => {
  it('round-trips the engine fills with Int64 ns timestamps, ticks and lots', () => {
    const flat = Float64Array.from([
      T0, 1, 0, 6_543_210, 15, -0.0125, 1,
      T0 + 4096, 2, 1, 6_543_190, 3, 0.5, 0,
    ]);
    const bytes = fillsArrow(fillsFromEngine(flat), { dataset_hash: 'ab'.repeat(32), price_decimals: '2' });
    const table = tableFromIPC(bytes);
    expect(table.schema.fields.map((f) => [f.name, String(f.type)])).toEqual([
      ['ts_recv', 'Int64'], ['order_id', 'Int64'], ['side', 'Uint8'], ['price', 'Int64'], ['qty', 'Int64'],
      ['fee', 'Float64'], ['maker', 'Bool'],
    ]);
    expect(table.schema.metadata.get('ferrodesk.schema')).toBe(FILLS_SCHEMA);
    expect(table.schema.metadata.get('price_decimals')).toBe('2');
    expect(table.numRows).toBe(2);
    expect(table.toArray().map((r) => ({ ...(r.toJSON() as object) }))).toEqual([
      { ts_recv: BigInt(T0), order_id: 1n, side: 0, price: 6_543_210n, qty: 15n, fee: -0.0125, maker: true },
      { ts_recv: BigInt(T0 + 4096), order_id: 2n, side: 1, price: 6_543_190n, qty: 3n, fee: 0.5, maker: false },
    ]);
  });

  it('writes an empty file for no fills, and names bad input', () => {
    expect(tableFromIPC(fillsArrow(fillsFromEngine(new Float64Array(0)))).numRows).toBe(0);
    expect(() => fillsFromEngine(new Float64Array(8))).toThrow('fills: length 8 is not a multiple of 7');
    expect(() => fillsFromEngine(Float64Array.from([0, 1, 2, 0, 0, 0, 0]))).toThrow('fills[0].side is 2');
    expect(() => fillsFromEngine(Float64Array.from([Number.NaN, 1, 0, 0, 0, 0, 0]))).toThrow('fills[0].ts_recv is NaN');
  });
});

describe('equity as Arrow IPC', () => {
  it('round-trips engine samples', () => {
    const flat = Float64Array.from([T0, 0, 0, 0, 0, T0 + 1e9 + 256, 12.5, -3, 10, 2.5]);
    const table = tableFromIPC(equityArrow(equityFromEngine(flat), { run: 'mm' }));
    expect(table.schema.metadata.get('ferrodesk.schema')).toBe(EQUITY_SCHEMA);
    expect(table.schema.fields.map((f) => `${f.name}:${String(f.type)}`)).toEqual([
      'ts:Int64', 'equity:Float64', 'position:Float64', 'realised:Float64', 'unrealised:Float64',
    ]);
    expect(table.getChild('ts')?.toArray()).toEqual(BigInt64Array.from([BigInt(T0), BigInt(T0 + 1e9 + 256)]));
    expect([...(table.getChild('equity')?.toArray() as Float64Array)]).toEqual([0, 12.5]);
    expect([...(table.getChild('unrealised')?.toArray() as Float64Array)]).toEqual([0, 2.5]);
  });

  it('writes a saved curve with null realised and unrealised', () => {
    const table = tableFromIPC(equityArrow(equityFromCurve({ ts: [T0, T0 + 1e9], equity: [1, 2], position: [0, 1] })));
    expect(table.numRows).toBe(2);
    expect(table.getChild('realised')?.nullCount).toBe(2);
    expect(table.getChild('realised')?.get(0)).toBeNull();
    expect(table.getChild('position')?.get(1)).toBe(1);
  });

  it('refuses columns of different lengths', () => {
    const e = equityFromCurve({ ts: [T0], equity: [1], position: [0] });
    expect(() => equityArrow({ ...e, equity: new Float64Array(2) })).toThrow('equity: column equity has 2 rows, expected 1');
  });
});

describe('arrowName', () => {
  it('keeps a readable stem', () => {
    expect(arrowName('mm / latency 5ms', 'fills')).toBe('mm-latency-5ms.fills.arrow');
    expect(arrowName('***', 'equity')).toBe('run.equity.arrow');
  });
});
