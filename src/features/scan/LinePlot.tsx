/** A line slice: one output along one axis, the other axes held at the selected cell; the cell is marked. */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { cssVar, fitCanvas, fmtNum, niceTicks } from './plot';

const M = { left: 58, right: 12, top: 10, bottom: 30 };

export interface LinePlotProps {
  xs: Float64Array;
  ys: Float64Array;
  xLabel: string;
  yLabel: string;
  /** Index of the marked point. */
  mark: number;
  testId: string;
}

export function LinePlot(props: LinePlotProps): ReactNode {
  const { xs, ys, xLabel, yLabel, mark, testId } = props;
  const box = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const ro = new ResizeObserver(([e]) => {
      if (e) setSize({ width: Math.floor(e.contentRect.width), height: Math.floor(e.contentRect.height) });
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    const c = canvas.current;
    const { width, height } = size;
    if (!c || width < 60 || height < 40) return;
    const ctx = fitCanvas(c, width, height);
    if (!ctx) return;
    ctx.clearRect(0, 0, width, height);
    const w = width - M.left - M.right;
    const h = height - M.top - M.bottom;
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of ys) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    const x0 = xs[0] ?? 0;
    const x1 = xs[xs.length - 1] ?? 0;
    if (lo === hi) {
      lo -= Math.abs(lo) * 0.05 || 1;
      hi += Math.abs(hi) * 0.05 || 1;
    }
    const px = (v: number): number => M.left + (x1 > x0 ? ((v - x0) / (x1 - x0)) * w : w / 2);
    const py = (v: number): number => M.top + h - ((v - lo) / (hi - lo)) * h;
    const text = cssVar(c, '--text-dim', '#8b96a5');
    const grid = cssVar(c, '--grid', '#161c25');
    ctx.font = '10.5px ' + cssVar(c, '--mono', 'monospace');
    ctx.fillStyle = text;
    ctx.strokeStyle = grid;
    ctx.lineWidth = 1;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    if (Number.isFinite(lo)) {
      for (const v of niceTicks(lo, hi, 5)) {
        const y = Math.round(py(v)) + 0.5;
        ctx.beginPath();
        ctx.moveTo(M.left, y);
        ctx.lineTo(M.left + w, y);
        ctx.stroke();
        ctx.fillText(fmtNum(v, 4), M.left - 6, y);
      }
    }
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (const v of niceTicks(Math.min(x0, x1), Math.max(x0, x1), 6)) ctx.fillText(fmtNum(v, 4), px(v), M.top + h + 5);
    ctx.fillText(xLabel, M.left + w / 2, M.top + h + 17);
    ctx.save();
    ctx.translate(11, M.top + h / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.fillText(yLabel, 0, -6);
    ctx.restore();

    ctx.strokeStyle = cssVar(c, '--bid', '#21c07a');
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    let pen = false;
    for (let i = 0; i < ys.length; i++) {
      const v = ys[i] ?? NaN;
      if (!Number.isFinite(v)) {
        pen = false;
        continue;
      }
      if (pen) ctx.lineTo(px(xs[i] ?? 0), py(v));
      else ctx.moveTo(px(xs[i] ?? 0), py(v));
      pen = true;
    }
    ctx.stroke();
    const mv = ys[mark];
    if (mv !== undefined && Number.isFinite(mv)) {
      ctx.fillStyle = cssVar(c, '--accent', '#e5a823');
      ctx.beginPath();
      ctx.arc(px(xs[mark] ?? 0), py(mv), 3.5, 0, Math.PI * 2);
      ctx.fill();
    }
  }, [xs, ys, xLabel, yLabel, mark, size]);

  return (
    <div className="scan-line" ref={box} data-testid={testId}>
      <canvas ref={canvas} role="img" aria-label={`${yLabel} against ${xLabel}`} />
    </div>
  );
}
