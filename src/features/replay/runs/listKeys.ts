/** What a key does in the runs list (RunsPanel), as a value, so the mapping is testable without a DOM. */
export type ListAction =
  | { type: 'move'; to: number }
  | { type: 'toggle' }
  | { type: 'compare' }
  | { type: 'ask-delete' }
  | { type: 'confirm-delete' }
  | { type: 'cancel-delete' };

/**
 * ↑/↓ move by one, Home/End jump, PageUp/PageDown move by 10, Space toggles, Enter compares, Delete asks to
 * delete; while a delete is being confirmed only Enter/y (confirm) and Escape/n (cancel) act. Null: not ours.
 */
export function listKeyAction(key: string, active: number, count: number, confirming: boolean): ListAction | null {
  if (confirming) {
    if (key === 'Enter' || key === 'y') return { type: 'confirm-delete' };
    if (key === 'Escape' || key === 'n') return { type: 'cancel-delete' };
    return null;
  }
  const last = Math.max(0, count - 1);
  const move = (to: number): ListAction => ({ type: 'move', to: Math.max(0, Math.min(last, to)) });
  switch (key) {
    case 'ArrowDown': return move(active + 1);
    case 'ArrowUp': return move(active - 1);
    case 'PageDown': return move(active + 10);
    case 'PageUp': return move(active - 10);
    case 'Home': return move(0);
    case 'End': return move(last);
    case ' ': return count > 0 ? { type: 'toggle' } : null;
    case 'Enter': return { type: 'compare' };
    case 'Delete': return count > 0 ? { type: 'ask-delete' } : null;
    default: return null;
  }
}
