import { describe, expect, it } from 'vitest';
import { indent, lineCount, lineRange, parseParams, readDoc, writeDoc, type StorageLike } from './editorModel';

class MemoryStorage implements StorageLike {
  readonly items = new Map<string, string>();
  full = false;
  getItem(k: string): string | null {
    return this.items.get(k) ?? null;
  }
  setItem(k: string, v: string): void {
    if (this.full) throw new Error('QuotaExceededError: the quota has been exceeded');
    this.items.set(k, v);
  }
}

describe('strategy editor model', () => {
  it('saves and reads the document, and says why it could not save', () => {
    const s = new MemoryStorage();
    expect(readDoc(s, 'k')).toBeNull();
    expect(writeDoc(s, 'k', { source: 'function onStart() {}', params: '{"a":1}' })).toBeNull();
    expect(readDoc(s, 'k')).toEqual({ source: 'function onStart() {}', params: '{"a":1}' });
    s.full = true;
    expect(writeDoc(s, 'k', { source: 'x', params: '' })).toBe('QuotaExceededError: the quota has been exceeded');
    expect(readDoc(s, 'k')?.source).toBe('function onStart() {}');
    s.items.set('bad', '{not json');
    expect(readDoc(s, 'bad')).toBeNull();
    expect(writeDoc(null, 'k', { source: '', params: '' })).toBe('this browser gives the page no local storage');
  });

  it('parses params as a JSON object and names what is wrong', () => {
    expect(parseParams('')).toEqual({ ok: true, value: {} });
    expect(parseParams('{"spreadTicks": 2}')).toEqual({ ok: true, value: { spreadTicks: 2 } });
    const bad = parseParams('{spreadTicks: 2}');
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error).toMatch(/^params is not valid JSON: /);
    expect(parseParams('[1]')).toEqual({ ok: false, error: 'params [1] is not a JSON object ({"name": value, …})' });
  });

  it('inserts two spaces for Tab and indents or outdents selected lines', () => {
    expect(indent('ab', 1, 1, false)).toEqual({ text: 'a  b', start: 3, end: 3 });
    const text = 'a\nb\nc';
    expect(indent(text, 0, 3, false)).toEqual({ text: '  a\n  b\nc', start: 2, end: 7 });
    expect(indent('  a\n  b\nc', 2, 7, true)).toEqual({ text: 'a\nb\nc', start: 0, end: 3 });
    expect(indent(' x', 1, 1, true)).toEqual({ text: 'x', start: 0, end: 0 });
  });

  it('finds lines', () => {
    expect(lineCount('a\nbb\n')).toBe(3);
    expect(lineRange('a\nbb\nc', 2)).toEqual({ start: 2, end: 4 });
    expect(lineRange('a', 5)).toEqual({ start: 0, end: 1 });
  });
});
