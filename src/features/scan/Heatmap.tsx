/**
 * One output over two axes of a finished scan, the other two axes held at the selected indices. Drawn on a
 * canvas at no more cells than pixels (evenly sampled indices when an axis has more steps than the plot has
 * pixels); the selection crosshair sits on a second canvas so moving it does not redraw the map.
 * Click selects a cell; with the map focused, the arrow keys move the selection (Shift: 10 steps).
 */
import { useEffect, useRef, useState, type KeyboardEvent, type PointerEvent, type ReactNode } from 'react';
import { axisValue, type Axis, type GridIndex, type Output } from '../../scan/grid';
import type { ScanResult } from '../../scan/pool';
import { extractPlane, sampleIndices } from '../../scan/result';
import { AXIS_LABEL } from './form';
import { colorIndex, colorScale, cssVar, fitCanvas, fmtNum, LUTS, niceTicks } from './plot';

const M = { left: 52, right: 78, top: 10, bottom: 34 };

export interface HeatmapProps {
  result: ScanResult;
  output: Output;
  x: Axis;
  y: Axis;
  /** The selected cell (the crosshair). */
  at: GridIndex;
  /** The indices of the two axes not shown (the x and y entries are ignored); keep it stable between renders. */
  fixed: GridIndex;
  onSelect: (at: GridIndex) => void;
  onHover: (at: GridIndex | null) => void;
}

interface Layout {
  xs: Int32Array;
  ys: Int32Array;
  w: number;
  h: number;
}

function useSize(ref: React.RefObject<HTMLElement | null>): { width: number; height: number } {
  const [size, setSize] = useState({ width: 0, height: 0 });
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(([entry]) => {
      if (!entry) return;
      const { width, height } = entry.contentRect;
      setSize((s) => (s.width === Math.floor(width) && s.height === Math.floor(height)
        ? s : { width: Math.floor(width), height: Math.floor(height) }));
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);
  return size;
}

/** Where sample `i` of `n` samples sits: the centre of its band in the plot. */
const band = (i: number, n: number, extent: number): number => ((i + 0.5) * extent) / n;
/** The sample position closest to axis index `j` of `steps`. */
const samplePos = (j: number, steps: number, samples: number): number =>
  samples >= steps ? j : Math.round((j * (samples - 1)) / Math.max(1, steps - 1));

export function Heatmap(props: HeatmapProps): ReactNode {
  const { result, output, x, y, at, fixed, onSelect, onHover } = props;
  const box = useRef<HTMLDivElement>(null);
  const base = useRef<HTMLCanvasElement>(null);
  const overlay = useRef<HTMLCanvasElement>(null);
  const layout = useRef<Layout | null>(null);
  const { width, height } = useSize(box);
  const spec = result.spec;

  // The map, axes and colour bar: redrawn when the data, the axes, the fixed indices or the size change.
  useEffect(() => {
    const canvas = base.current;
    if (!canvas || width < 40 || height < 40) return;
    const ctx = fitCanvas(canvas, width, height);
    if (!ctx) return;
    const w = width - M.left - M.right;
    const h = height - M.top - M.bottom;
    const xs = sampleIndices(spec[x].steps, Math.max(1, Math.floor(w)));
    const ys = sampleIndices(spec[y].steps, Math.max(1, Math.floor(h)));
    layout.current = { xs, ys, w, h };
    const plane = extractPlane(result, output, x, y, xs, ys, fixed);
    const scale = colorScale(plane.min, plane.max);
    const lut = LUTS[scale.kind];
    const img = new ImageData(plane.nx, plane.ny);
    const nan = [128, 128, 128, 60];
    for (let yy = 0; yy < plane.ny; yy++) {
      const dst = (plane.ny - 1 - yy) * plane.nx; // low y at the bottom
      for (let xx = 0; xx < plane.nx; xx++) {
        const c = colorIndex(scale, plane.values[yy * plane.nx + xx] ?? NaN);
        const o = (dst + xx) * 4;
        for (let k = 0; k < 4; k++) img.data[o + k] = c < 0 ? (nan[k] ?? 0) : (lut[c * 4 + k] ?? 0);
      }
    }
    const tile = document.createElement('canvas');
    tile.width = plane.nx;
    tile.height = plane.ny;
    tile.getContext('2d')?.putImageData(img, 0, 0);
    ctx.clearRect(0, 0, width, height);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(tile, M.left, M.top, w, h);

    const text = cssVar(canvas, '--text-dim', '#8b96a5');
    const grid = cssVar(canvas, '--border-strong', '#2a3442');
    ctx.font = '10.5px ' + cssVar(canvas, '--mono', 'monospace');
    ctx.fillStyle = text;
    ctx.strokeStyle = grid;
    ctx.strokeRect(M.left - 0.5, M.top - 0.5, w + 1, h + 1);
    const tickPos = (a: Axis, v: number, extent: number): number => {
      const r = spec[a];
      const frac = r.max > r.min ? ((v - r.min) / (r.max - r.min)) * (r.steps - 1) : 0;
      return ((frac + 0.5) * extent) / r.steps;
    };
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (const v of niceTicks(spec[x].min, spec[x].max, 6)) {
      const px = M.left + tickPos(x, v, w);
      ctx.fillRect(px, M.top + h, 1, 4);
      ctx.fillText(fmtNum(v, 4), px, M.top + h + 6);
    }
    ctx.fillText(AXIS_LABEL[x], M.left + w / 2, M.top + h + 20);
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (const v of niceTicks(spec[y].min, spec[y].max, 6)) {
      const py = M.top + h - tickPos(y, v, h);
      ctx.fillRect(M.left - 4, py, 4, 1);
      ctx.fillText(fmtNum(v, 4), M.left - 6, py);
    }
    ctx.save();
    ctx.translate(12, M.top + h / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textAlign = 'center';
    ctx.fillText(AXIS_LABEL[y], 0, 0);
    ctx.restore();

    // Colour bar with its range.
    const bx = width - M.right + 14;
    for (let i = 0; i < h; i++) {
      const c = Math.round(255 * (1 - i / Math.max(1, h - 1))) * 4;
      ctx.fillStyle = `rgb(${lut[c]},${lut[c + 1]},${lut[c + 2]})`;
      ctx.fillRect(bx, M.top + i, 12, 1);
    }
    ctx.fillStyle = text;
    ctx.textAlign = 'left';
    ctx.textBaseline = 'top';
    ctx.fillText(fmtNum(scale.hi, 4), bx + 15, M.top);
    ctx.textBaseline = 'bottom';
    ctx.fillText(fmtNum(scale.lo, 4), bx + 15, M.top + h);
    if (scale.kind === 'diverging') {
      ctx.textBaseline = 'middle';
      ctx.fillText('0', bx + 15, M.top + h / 2);
    }
  }, [result, output, x, y, fixed, width, height, spec]);

  // The selection crosshair.
  useEffect(() => {
    const canvas = overlay.current;
    const l = layout.current;
    if (!canvas || !l || width < 40 || height < 40) return;
    const ctx = fitCanvas(canvas, width, height);
    if (!ctx) return;
    ctx.clearRect(0, 0, width, height);
    const cx = M.left + band(samplePos(at[x], spec[x].steps, l.xs.length), l.xs.length, l.w);
    const cy = M.top + l.h - band(samplePos(at[y], spec[y].steps, l.ys.length), l.ys.length, l.h);
    ctx.strokeStyle = cssVar(canvas, '--accent', '#e5a823');
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(M.left, Math.round(cy) + 0.5);
    ctx.lineTo(M.left + l.w, Math.round(cy) + 0.5);
    ctx.moveTo(Math.round(cx) + 0.5, M.top);
    ctx.lineTo(Math.round(cx) + 0.5, M.top + l.h);
    ctx.stroke();
    ctx.strokeRect(cx - 4, cy - 4, 8, 8);
  }, [at, x, y, width, height, spec, result, output]);

  const cellAtPointer = (e: PointerEvent<HTMLCanvasElement>): GridIndex | null => {
    const l = layout.current;
    if (!l) return null;
    const r = e.currentTarget.getBoundingClientRect();
    const fx = (e.clientX - r.left - M.left) / l.w;
    const fy = 1 - (e.clientY - r.top - M.top) / l.h;
    if (fx < 0 || fx >= 1 || fy < 0 || fy >= 1) return null;
    const xi = l.xs[Math.floor(fx * l.xs.length)] ?? 0;
    const yi = l.ys[Math.floor(fy * l.ys.length)] ?? 0;
    return { ...at, [x]: xi, [y]: yi };
  };

  const onKey = (e: KeyboardEvent<HTMLCanvasElement>): void => {
    const step = e.shiftKey ? 10 : 1;
    const move: Partial<Record<string, [Axis, number]>> = {
      ArrowLeft: [x, -step], ArrowRight: [x, step], ArrowDown: [y, -step], ArrowUp: [y, step],
    };
    const m = move[e.key];
    if (!m) return;
    e.preventDefault();
    const [axis, d] = m;
    onSelect({ ...at, [axis]: Math.max(0, Math.min(spec[axis].steps - 1, at[axis] + d)) });
  };

  return (
    <div className="scan-heatmap" ref={box} data-testid="scan.heatmap" data-output={output} data-x={x} data-y={y}>
      <canvas ref={base} className="scan-heatmap-base" />
      <canvas
        ref={overlay}
        className="scan-heatmap-overlay"
        tabIndex={0}
        role="img"
        aria-label={`${output} over ${AXIS_LABEL[x]} and ${AXIS_LABEL[y]}; selected ${AXIS_LABEL[x]} = ${fmtNum(axisValue(spec[x], at[x]))}, ${AXIS_LABEL[y]} = ${fmtNum(axisValue(spec[y], at[y]))}`}
        data-testid="scan.heatmap.canvas"
        onPointerDown={(e) => {
          const c = cellAtPointer(e);
          if (c) onSelect(c);
        }}
        onPointerMove={(e) => onHover(cellAtPointer(e))}
        onPointerLeave={() => onHover(null)}
        onKeyDown={onKey}
      />
    </div>
  );
}
