/**
 * `window.__ferrodeskScan`: a small typed view of the scan session for end-to-end tests and the browser
 * benchmark. It reads the session and prices single options in the page for comparison; `run` goes through the
 * same session the Run button uses.
 */
import type { Output, ScanSpec } from '../../scan/grid';
import type { OneOption } from '../../scan/kernel';
import type { PoolStats } from '../../scan/pool';
import { cellAt, type Cell } from '../../scan/result';
import type { RunState, ScanSession } from './session';

export interface ScanRunSummary {
  total: number;
  elapsedMs: number;
  computeMs: number;
  chunks: number;
  chunkRows: number;
  workers: number;
}

export interface ScanTestApi {
  readonly version: 1;
  state(): { state: RunState; rowsDone: number; total: number; message: string | null; result: ScanRunSummary | null };
  pool(): PoolStats | null;
  /** Resolves when every worker has loaded its engine (or failed to). */
  ready(): Promise<void>;
  /** Inputs and outputs of one row of the last result; null without a result or for a row outside it. */
  cell(row: number): Cell | null;
  /** One option priced by the scalar binding on the page's own thread (wasm loaded on first use). */
  priceOption(o: OneOption): Promise<Record<Output, number>>;
  /** Runs a scan through the session; null if it was cancelled or failed. */
  run(spec: ScanSpec): Promise<ScanRunSummary | null>;
}

declare global {
  interface Window {
    __ferrodeskScan?: ScanTestApi;
  }
}

export function installScanTestApi(session: ScanSession): void {
  const summary = (): ScanRunSummary | null => {
    const r = session.snapshot().result;
    return r && {
      total: r.total, elapsedMs: r.elapsedMs, computeMs: r.computeMs, chunks: r.chunks.length, chunkRows: r.chunkRows,
      workers: r.workers,
    };
  };
  window.__ferrodeskScan = {
    version: 1,
    state: () => {
      const s = session.snapshot();
      return { state: s.state, rowsDone: s.rowsDone, total: s.total, message: s.message, result: summary() };
    },
    pool: () => session.poolStats(),
    ready: () => session.warm().ready(),
    cell: (row) => {
      const r = session.snapshot().result;
      return r && Number.isInteger(row) && row >= 0 && row < r.total ? cellAt(r, row) : null;
    },
    priceOption: async (o) => {
      const { loadScanWasm } = await import('../../scan/kernel');
      return (await loadScanWasm()).priceOne(o);
    },
    run: async (spec) => ((await session.run(spec)) ? summary() : null),
  };
}
