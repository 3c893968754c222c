import { describe, expect, it } from 'vitest';
import { listKeyAction } from './listKeys';

describe('listKeyAction', () => {
  it('moves within the list and clamps at its ends', () => {
    expect(listKeyAction('ArrowDown', 0, 3, false)).toEqual({ type: 'move', to: 1 });
    expect(listKeyAction('ArrowDown', 2, 3, false)).toEqual({ type: 'move', to: 2 });
    expect(listKeyAction('ArrowUp', 0, 3, false)).toEqual({ type: 'move', to: 0 });
    expect(listKeyAction('End', 0, 3, false)).toEqual({ type: 'move', to: 2 });
    expect(listKeyAction('Home', 2, 3, false)).toEqual({ type: 'move', to: 0 });
    expect(listKeyAction('PageDown', 1, 30, false)).toEqual({ type: 'move', to: 11 });
    expect(listKeyAction('ArrowDown', 0, 0, false)).toEqual({ type: 'move', to: 0 });
  });

  it('toggles with space, compares with Enter, asks before deleting', () => {
    expect(listKeyAction(' ', 1, 3, false)).toEqual({ type: 'toggle' });
    expect(listKeyAction(' ', 0, 0, false)).toBeNull();
    expect(listKeyAction('Enter', 1, 3, false)).toEqual({ type: 'compare' });
    expect(listKeyAction('Delete', 1, 3, false)).toEqual({ type: 'ask-delete' });
    expect(listKeyAction('a', 1, 3, false)).toBeNull();
  });

  it('while confirming a delete, only confirm and cancel act', () => {
    expect(listKeyAction('Enter', 1, 3, true)).toEqual({ type: 'confirm-delete' });
    expect(listKeyAction('y', 1, 3, true)).toEqual({ type: 'confirm-delete' });
    expect(listKeyAction('Escape', 1, 3, true)).toEqual({ type: 'cancel-delete' });
    expect(listKeyAction('ArrowDown', 1, 3, true)).toBeNull();
    expect(listKeyAction(' ', 1, 3, true)).toBeNull();
  });
});
