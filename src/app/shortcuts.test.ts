import { describe, expect, it } from 'vitest';
import { moveBoundary, normaliseFractions } from './layout';
import { shortcutFor, type KeyLike } from './shortcuts';

const key = (k: string, extra: Partial<KeyLike> = {}): KeyLike =>
  ({ key: k, ctrlKey: false, altKey: false, metaKey: false, targetTag: 'BODY', targetEditable: false, ...extra });

describe('keyboard shortcuts', () => {
  it('maps the frequent actions', () => {
    expect(shortcutFor(key('1'))).toEqual({ type: 'instrument', index: 0 });
    expect(shortcutFor(key('2'))).toEqual({ type: 'instrument', index: 1 });
    expect(shortcutFor(key('t'))).toEqual({ type: 'theme' });
    expect(shortcutFor(key('?'))).toEqual({ type: 'help' });
    expect(shortcutFor(key('Escape'))).toEqual({ type: 'close' });
    expect(shortcutFor(key('g'))).toEqual({ type: 'grouping', steps: 1 });
    expect(shortcutFor(key('G'))).toEqual({ type: 'grouping', steps: -1 });
    expect(shortcutFor(key(']'))).toEqual({ type: 'depth', steps: 1 });
    expect(shortcutFor(key('f'))).toEqual({ type: 'heatmap-fit' });
    // Enter belongs to the focused ladder row (copy its price), not to the global table.
    expect(shortcutFor(key('Enter'))).toBeNull();
    expect(shortcutFor(key('x'))).toBeNull();
    expect(shortcutFor(key('0'))).toBeNull();
  });

  it('stays out of text entry and browser chords', () => {
    expect(shortcutFor(key('t', { targetTag: 'INPUT' }))).toBeNull();
    expect(shortcutFor(key('t', { targetEditable: true }))).toBeNull();
    expect(shortcutFor(key('1', { ctrlKey: true }))).toBeNull();
    expect(shortcutFor(key('r', { metaKey: true }))).toBeNull();
    // A focused <select> still gets shortcuts (after picking an instrument with the mouse, focus stays there).
    expect(shortcutFor(key('t', { targetTag: 'SELECT' }))).toEqual({ type: 'theme' });
  });
});

describe('split layout arithmetic', () => {
  it('normalises stored fractions and fills in defaults', () => {
    const f = normaliseFractions(['ladder', 'chart', 'tape'], { ladder: 0.6, chart: 0.6 });
    expect(f.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(f[0]).toBeCloseTo(0.6 / 1.38, 12);
    expect(normaliseFractions(['a', 'b'], { a: -1, b: Number.NaN })).toEqual([0.5, 0.5]);
  });

  it('moves a boundary without pushing a pane below its minimum', () => {
    const start = [0.3, 0.5, 0.2];
    const mins = [0.2, 0.25, 0.15];
    const moved = moveBoundary(start, 0, 0.1, mins);
    expect(moved.map((v) => Math.round(v * 1000) / 1000)).toEqual([0.4, 0.4, 0.2]);
    expect(moveBoundary(start, 0, -0.5, mins)[0]).toBeCloseTo(0.2, 12);
    expect(moveBoundary(start, 1, 0.5, mins)[2]).toBeCloseTo(0.15, 12);
    expect(moveBoundary(start, 1, 0.5, mins).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });
});
