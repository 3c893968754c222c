/**
 * Keyboard shortcuts of the live workspace. The table is data (shown by the help overlay); `shortcutFor` maps
 * a key event to an action, ignoring events meant for text fields and chords with Ctrl/Alt/Meta.
 */
export type ShortcutAction =
  | { type: 'instrument'; index: number }
  | { type: 'theme' }
  | { type: 'help' }
  | { type: 'close' }
  | { type: 'grouping'; steps: number }
  | { type: 'depth'; steps: number }
  | { type: 'candles' }
  | { type: 'reconnect' };

export const SHORTCUTS: ReadonlyArray<{ keys: string[]; what: string }> = [
  { keys: ['1', '…', '9'], what: 'Show the 1st … 9th instrument' },
  { keys: ['t'], what: 'Toggle dark / light theme' },
  { keys: ['g'], what: 'Coarser ladder price step' },
  { keys: ['G'], what: 'Finer ladder price step' },
  { keys: [']'], what: 'More ladder levels' },
  { keys: ['['], what: 'Fewer ladder levels' },
  { keys: ['c'], what: 'Switch 1 s / 5 s candles' },
  { keys: ['r'], what: 'Reconnect now' },
  { keys: ['?'], what: 'Show / hide this help' },
  { keys: ['Esc'], what: 'Close help, dismiss the message' },
  { keys: ['←', '→'], what: 'Move a focused panel splitter (Shift: faster)' },
];

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  altKey: boolean;
  metaKey: boolean;
  /** What has focus: shortcuts stay out of text entry. */
  targetTag: string;
  targetEditable: boolean;
}

export function shortcutFor(e: KeyLike): ShortcutAction | null {
  if (e.ctrlKey || e.altKey || e.metaKey) return null;
  if (e.targetEditable || e.targetTag === 'INPUT' || e.targetTag === 'TEXTAREA') return null;
  const k = e.key;
  if (k.length === 1 && k >= '1' && k <= '9') return { type: 'instrument', index: Number(k) - 1 };
  switch (k) {
    case 't':
    case 'T':
      return { type: 'theme' };
    case '?':
      return { type: 'help' };
    case 'Escape':
      return { type: 'close' };
    case 'g':
      return { type: 'grouping', steps: 1 };
    case 'G':
      return { type: 'grouping', steps: -1 };
    case ']':
      return { type: 'depth', steps: 1 };
    case '[':
      return { type: 'depth', steps: -1 };
    case 'c':
    case 'C':
      return { type: 'candles' };
    case 'r':
    case 'R':
      return { type: 'reconnect' };
    default:
      return null;
  }
}
