import { describe, expect, it } from 'vitest';
import { OPTIONS_SHORTCUTS, SHORTCUTS, optionsShortcutFor, shortcutFor, type KeyLike } from '../../app/shortcuts';

const key = (k: string, extra: Partial<KeyLike> = {}): KeyLike =>
  ({ key: k, ctrlKey: false, altKey: false, metaKey: false, targetTag: 'BODY', targetEditable: false, ...extra });

describe('Options shortcuts', () => {
  it('maps each listed key to its action', () => {
    for (const s of OPTIONS_SHORTCUTS) expect(optionsShortcutFor(key(s.keys[0] as string))).toBe(s.action);
    expect(optionsShortcutFor(key('S'))).toBe('save-strategy');
    expect(optionsShortcutFor(key('s'))).toBe('tab-strategy');
  });

  it('never takes a key the workstation already uses', () => {
    const global = new Set(SHORTCUTS.flatMap((s) => s.keys));
    for (const s of OPTIONS_SHORTCUTS) {
      expect(global.has(s.keys[0] as string)).toBe(false);
      expect(shortcutFor(key(s.keys[0] as string))).toBeNull();
    }
  });

  it('stays out of text fields, selects and chords', () => {
    expect(optionsShortcutFor(key('x', { targetTag: 'INPUT' }))).toBeNull();
    expect(optionsShortcutFor(key('x', { targetTag: 'SELECT' }))).toBeNull();
    expect(optionsShortcutFor(key('x', { ctrlKey: true }))).toBeNull();
  });
});
