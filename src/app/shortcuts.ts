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
  | { type: 'reconnect' }
  | { type: 'heatmap-fit' };

export const SHORTCUTS: ReadonlyArray<{ keys: string[]; what: string }> = [
  { keys: ['1', '…', '9'], what: 'Show the 1st … 9th instrument' },
  { keys: ['t'], what: 'Toggle dark / light theme' },
  { keys: ['g'], what: 'Coarser ladder price step' },
  { keys: ['G'], what: 'Finer ladder price step' },
  { keys: [']'], what: 'More ladder levels' },
  { keys: ['['], what: 'Fewer ladder levels' },
  { keys: ['c'], what: 'Switch 1 s / 5 s candles' },
  { keys: ['r'], what: 'Reconnect now' },
  { keys: ['f'], what: 'Fit the heatmap colour cutoffs to the book' },
  { keys: ['Enter'], what: 'Copy the price of the focused ladder row (or click it)' },
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
    case 'f':
      return { type: 'heatmap-fit' };
    default:
      return null;
  }
}

/** Keys of the Options workspace (active only while it is shown; they do not clash with the table above). */
export type OptionsShortcut =
  | 'tab-pricer' | 'tab-strategy' | 'toggle-type' | 'next-model' | 'toggle-exercise' | 'next-axis' | 'per-day'
  | 'per-pct' | 'add-leg' | 'reset-scenario' | 'heat-rows' | 'save-strategy';

export const OPTIONS_SHORTCUTS: ReadonlyArray<{ keys: string[]; what: string; action: OptionsShortcut }> = [
  { keys: ['p'], what: 'Options: pricer', action: 'tab-pricer' },
  { keys: ['s'], what: 'Options: strategy builder', action: 'tab-strategy' },
  { keys: ['x'], what: 'Pricer: switch call / put', action: 'toggle-type' },
  { keys: ['m'], what: 'Pricer: next model', action: 'next-model' },
  { keys: ['e'], what: 'Pricer: switch European / American', action: 'toggle-exercise' },
  { keys: ['a'], what: 'Pricer: curves against spot / vol / time', action: 'next-axis' },
  { keys: ['d'], what: 'Pricer: theta and charm per day / per year', action: 'per-day' },
  { keys: ['u'], what: 'Pricer: vega, rho, vanna, volga per 1 % / per 1.00', action: 'per-pct' },
  { keys: ['n'], what: 'Strategy: add a call leg', action: 'add-leg' },
  { keys: ['0'], what: 'Strategy: date back to today, vol shift to 0', action: 'reset-scenario' },
  { keys: ['h'], what: 'Strategy: heatmap rows date / vol shift', action: 'heat-rows' },
  { keys: ['S'], what: 'Strategy: save under its name', action: 'save-strategy' },
];

export function optionsShortcutFor(e: KeyLike): OptionsShortcut | null {
  if (e.ctrlKey || e.altKey || e.metaKey) return null;
  if (e.targetEditable || e.targetTag === 'INPUT' || e.targetTag === 'TEXTAREA' || e.targetTag === 'SELECT') return null;
  return OPTIONS_SHORTCUTS.find((s) => s.keys[0] === e.key)?.action ?? null;
}
