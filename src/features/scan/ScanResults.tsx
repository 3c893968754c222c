/**
 * A finished scan: the heatmap of one output over two chosen axes (the other two set by sliders), the selected
 * cell's inputs and outputs, line slices through it along both axes, and the Arrow export.
 */
import { useMemo, useState, type ReactNode } from 'react';
import { AXES, axisValues, OUTPUTS, type Axis, type GridIndex, type Output } from '../../scan/grid';
import type { ScanResult } from '../../scan/pool';
import { cellAt, extractLine } from '../../scan/result';
import { indexOf } from '../../scan/grid';
import { ExportButton } from './ExportButton';
import { AXIS_LABEL, type ScanDisplay } from './form';
import { Heatmap } from './Heatmap';
import { LinePlot } from './LinePlot';
import { fmtNum } from './plot';

const OUTPUT_HINT: Record<Output, string> = {
  price: 'present value',
  delta: '∂V/∂S',
  gamma: '∂²V/∂S²',
  vega: '∂V/∂σ per 1.00 of σ',
  theta: '∂V/∂t per year',
  rho: '∂V/∂r per 1.00 of r',
};

export interface ScanResultsProps {
  result: ScanResult;
  display: ScanDisplay;
  onDisplay: (d: ScanDisplay) => void;
  at: GridIndex;
  onAt: (at: GridIndex) => void;
}

function CellReadout(props: { result: ScanResult; at: GridIndex; output: Output }): ReactNode {
  const cell = cellAt(props.result, indexOf(props.result.spec, props.at));
  return (
    <div className="scan-cell" data-testid="scan.cell" data-row={cell.row}>
      <div className="scan-cell-head">selected cell <span className="num">#{cell.row.toLocaleString('en-US')}</span></div>
      <dl>
        {AXES.map((a) => (
          <div key={a}><dt>{AXIS_LABEL[a]}</dt><dd className="num" data-testid={`scan.cell.${a}`}>{fmtNum(cell.inputs[a], 8)}</dd></div>
        ))}
        {OUTPUTS.map((o) => (
          <div key={o} title={OUTPUT_HINT[o]} data-current={o === props.output ? 'true' : undefined}>
            <dt>{o}</dt><dd className="num" data-testid={`scan.cell.${o}`}>{fmtNum(cell.outputs[o], 8)}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

export function ScanResults(props: ScanResultsProps): ReactNode {
  const { result, display, onDisplay, at, onAt } = props;
  const { x, y, output } = display;
  const spec = result.spec;
  const [hover, setHover] = useState<GridIndex | null>(null);
  const fixedAxes = AXES.filter((a) => a !== x && a !== y);

  // The indices of the axes not on the map, stable while only the selection on the map moves.
  const fS = x === 'S' || y === 'S' ? 0 : at.S;
  const fK = x === 'K' || y === 'K' ? 0 : at.K;
  const fV = x === 'sigma' || y === 'sigma' ? 0 : at.sigma;
  const fT = x === 't' || y === 't' ? 0 : at.t;
  const fixed = useMemo(() => ({ S: fS, K: fK, sigma: fV, t: fT }), [fS, fK, fV, fT]);

  const axisX = useMemo(() => axisValues(spec[x]), [spec, x]);
  const axisY = useMemo(() => axisValues(spec[y]), [spec, y]);
  const lineX = useMemo(() => extractLine(result, output, x, at), [result, output, x, at]);
  const lineY = useMemo(() => extractLine(result, output, y, at), [result, output, y, at]);

  const setAxis = (which: 'x' | 'y', a: Axis): void => {
    const otherKey = which === 'x' ? 'y' : 'x';
    const other = display[otherKey];
    onDisplay(a === other ? { ...display, [which]: a, [otherKey]: display[which] } : { ...display, [which]: a });
  };
  const shown = hover ?? at;
  const shownCell = cellAt(result, indexOf(spec, shown));

  return (
    <div className="scan-results" data-testid="scan.results">
      <div className="scan-toolbar">
        <label>x
          <select className="ctl" value={x} data-testid="scan.axis.x" onChange={(e) => setAxis('x', e.target.value as Axis)}>
            {AXES.map((a) => <option key={a} value={a}>{AXIS_LABEL[a]}</option>)}
          </select>
        </label>
        <label>y
          <select className="ctl" value={y} data-testid="scan.axis.y" onChange={(e) => setAxis('y', e.target.value as Axis)}>
            {AXES.map((a) => <option key={a} value={a}>{AXIS_LABEL[a]}</option>)}
          </select>
        </label>
        <label>output
          <select className="ctl" value={output} data-testid="scan.output"
            onChange={(e) => onDisplay({ ...display, output: e.target.value as Output })}>
            {OUTPUTS.map((o) => <option key={o} value={o}>{o} ({OUTPUT_HINT[o]})</option>)}
          </select>
        </label>
        {fixedAxes.map((a) => (
          <label key={a} className="scan-slider">
            <span className="num">{AXIS_LABEL[a]} = {fmtNum(shownCell.inputs[a], 5)}</span>
            <input type="range" min={0} max={spec[a].steps - 1} value={at[a]} disabled={spec[a].steps < 2}
              data-testid={`scan.slider.${a}`} aria-label={`${AXIS_LABEL[a]} index`}
              onChange={(e) => onAt({ ...at, [a]: Number(e.target.value) })} />
          </label>
        ))}
        <span className="spacer" />
        <ExportButton result={result} />
      </div>
      <div className="scan-hover num" data-testid="scan.hover">
        {AXES.map((a) => `${AXIS_LABEL[a]} ${fmtNum(shownCell.inputs[a], 6)}`).join(' · ')}
        {' → '}{output} <b>{fmtNum(shownCell.outputs[output], 8)}</b>
      </div>
      <div className="scan-main">
        <Heatmap result={result} output={output} x={x} y={y} at={at} fixed={fixed} onSelect={onAt} onHover={setHover} />
        <CellReadout result={result} at={at} output={output} />
      </div>
      <div className="scan-lines">
        <LinePlot xs={axisX} ys={lineX} xLabel={AXIS_LABEL[x]} yLabel={output} mark={at[x]} testId="scan.line.x" />
        <LinePlot xs={axisY} ys={lineY} xLabel={AXIS_LABEL[y]} yLabel={output} mark={at[y]} testId="scan.line.y" />
      </div>
    </div>
  );
}
