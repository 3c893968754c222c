/** "Export Arrow": writes the scan as an Arrow IPC file with a progress readout, then offers it as a download. */
import { useState, type ReactNode } from 'react';
import type { ScanResult } from '../../scan/pool';
import { scanSession } from './pageSession';

type ExportState =
  | { state: 'idle' }
  | { state: 'writing'; rows: number; total: number }
  | { state: 'done'; name: string; bytes: number }
  | { state: 'failed'; message: string };

const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;

export function ExportButton(props: { result: ScanResult }): ReactNode {
  const [st, setSt] = useState<ExportState>({ state: 'idle' });
  const run = async (): Promise<void> => {
    const { result } = props;
    setSt({ state: 'writing', rows: 0, total: result.total });
    try {
      // apache-arrow loads with the first export, not with the view.
      const { buildArrowBlob, download } = await import('./exportFile');
      const version = scanSession.poolStats()?.engineVersion;
      const blob = await buildArrowBlob(result, (rows, total) => setSt({ state: 'writing', rows, total }),
        version ? { engine_version: version } : {});
      const name = download(blob, result);
      setSt({ state: 'done', name, bytes: blob.size });
    } catch (err) {
      setSt({ state: 'failed', message: `Export failed: ${err instanceof Error ? err.message : String(err)}` });
    }
  };
  return (
    <span className="scan-export">
      <button type="button" className="ctl" disabled={st.state === 'writing'} data-testid="scan.export"
        title="Save every row (S, K, σ, t and the six outputs) as an Arrow IPC file for pyarrow / polars"
        onClick={() => void run()}>
        Export Arrow
      </button>
      <span className="scan-export-status" data-testid="scan.export.status" data-state={st.state}
        role={st.state === 'failed' ? 'alert' : 'status'}>
        {st.state === 'writing' && `writing ${Math.round((100 * st.rows) / Math.max(1, st.total))} %`}
        {st.state === 'done' && `${st.name} · ${mb(st.bytes)}`}
        {st.state === 'failed' && st.message}
      </span>
    </span>
  );
}
