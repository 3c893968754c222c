/** Top bar: instrument selector, instrument facts, workspace save status, theme toggle, help. */
import type { ReactNode } from 'react';
import { useAppShallow, useAppState, useStoreApi, type SaveStatus } from '../state';
import { FeedSpeed } from './FeedSpeed';

export function saveStatusText(save: SaveStatus): string {
  switch (save.state) {
    case 'loading':
      return 'loading…';
    case 'defaults':
      return 'not stored yet';
    case 'saving':
      return 'saving…';
    case 'saved':
      return 'saved';
    case 'error':
      return save.message;
  }
}

function savedTitle(save: SaveStatus): string {
  if (save.state === 'saved' && save.savedAt) return `Saved on the server at ${new Date(save.savedAt).toLocaleString()}`;
  if (save.state === 'defaults') return 'Nothing saved for this workspace yet: defaults in use';
  return '';
}

export function Header(props: { tabs?: ReactNode }): ReactNode {
  const store = useStoreApi();
  const symbols = useAppShallow((s) => s.instruments.map((i) => i.symbol));
  const selected = useAppState((s) => s.selected);
  const info = useAppState((s) => s.instruments.find((i) => i.symbol === s.selected));
  const theme = useAppState((s) => s.theme);
  const save = useAppState((s) => s.save);
  const workspace = useAppState((s) => s.workspaceName);

  return (
    <header className="header">
      <div className="brand">
        <img src="/favicon.svg" alt="" />
        FERRODESK
      </div>
      {props.tabs}
      <span className="sep" />
      <select
        className="ctl instrument-select"
        data-testid="instrument.select"
        aria-label="Instrument (1–9)"
        value={selected ?? ''}
        disabled={symbols.length === 0}
        onChange={(e) => store.getState().select(e.target.value)}
      >
        {symbols.length === 0 && <option value="">{selected ?? '—'}</option>}
        {symbols.map((s) => (
          <option key={s} value={s}>{s}</option>
        ))}
      </select>
      {info && (
        <div className="inst-meta">
          <span>venue <b>{info.venue}</b></span>
          <span>tick <b>{info.tickSize}</b></span>
          <span>lot <b>{info.lotSize}</b></span>
        </div>
      )}
      <FeedSpeed />
      <span className="spacer" />
      <span className="save-status" title={savedTitle(save)}>
        <span className="save-label">workspace <b className="num">{workspace}</b> ·</span>
        <span data-testid="settings.save-status" data-state={save.state}>{saveStatusText(save)}</span>
      </span>
      <button type="button" className="ctl" data-testid="settings.theme" title="Toggle theme (t)"
        aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}
        onClick={() => store.getState().toggleTheme()}>
        {theme === 'dark' ? '☾ dark' : '☀ light'}
      </button>
      <button type="button" className="ctl" data-testid="help.open" title="Keyboard shortcuts (?)"
        onClick={() => store.getState().setHelpOpen(true)}>
        ?
      </button>
    </header>
  );
}
