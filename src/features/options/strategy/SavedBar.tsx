/** Save, load, delete and share named strategies (server: /api/strategies; link: `st=` in the URL). */
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { StrategyList } from '../../../protocol/options';
import { useAppState, useStoreApi } from '../../../state';
import { optionsEvents } from '../shortcuts';
import { STRATEGY_NAME, STRATEGY_NAME_HELP, strategyApi } from './api';
import { checkStrategy, describeErrors } from './codec';

type Status = { kind: 'idle' } | { kind: 'busy'; what: string } | { kind: 'ok'; text: string } | { kind: 'error'; text: string };

export function SavedBar(): ReactNode {
  const store = useStoreApi();
  const name = useAppState((s) => s.strategyName);
  const [list, setList] = useState<StrategyList['strategies']>([]);
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const nameError = name !== '' && !STRATEGY_NAME.test(name) ? `name ${JSON.stringify(name)} is invalid: expected ${STRATEGY_NAME_HELP}` : null;

  const refresh = useCallback(async () => {
    const r = await strategyApi.list();
    if (r.ok && r.value) setList(r.value.strategies);
    else if (!r.ok) setStatus({ kind: 'error', text: `Could not list saved strategies: ${r.message}${r.retryable ? ' (retry later)' : ''}` });
  }, []);
  useEffect(() => {
    void refresh();
  }, [refresh]);

  const save = useCallback(async () => {
    const s = store.getState();
    const n = s.strategyName;
    if (!STRATEGY_NAME.test(n)) {
      setStatus({ kind: 'error', text: n === '' ? 'Give the strategy a name to save it' : `Name ${JSON.stringify(n)} is invalid: expected ${STRATEGY_NAME_HELP}` });
      return;
    }
    const errors = checkStrategy(s.strategyDoc);
    if (errors.length) {
      setStatus({ kind: 'error', text: `Not saved: ${describeErrors(errors)}` });
      return;
    }
    setStatus({ kind: 'busy', what: 'saving…' });
    const r = await strategyApi.put(n, s.strategyDoc);
    if (r.ok) {
      setStatus({ kind: 'ok', text: `saved “${n}”` });
      void refresh();
    } else {
      setStatus({ kind: 'error', text: `Not saved: ${r.message}${r.retryable ? ' (the server may accept it shortly: try again)' : ''}` });
    }
  }, [store, refresh]);

  useEffect(() => {
    const onSave = (): void => void save();
    optionsEvents.addEventListener('save', onSave);
    return () => optionsEvents.removeEventListener('save', onSave);
  }, [save]);

  const load = async (n: string): Promise<void> => {
    setStatus({ kind: 'busy', what: 'loading…' });
    const r = await strategyApi.get(n);
    if (!r.ok) return setStatus({ kind: 'error', text: `Could not load “${n}”: ${r.message}` });
    if (!r.value) return setStatus({ kind: 'error', text: `No strategy named “${n}”` });
    const doc = { strategy: r.value.strategy, scenario: r.value.scenario };
    const errors = checkStrategy(doc);
    if (errors.length) return setStatus({ kind: 'error', text: `“${n}” cannot be shown: ${describeErrors(errors)}` });
    store.getState().setStrategyDoc(doc);
    store.getState().setStrategyName(n);
    setStatus({ kind: 'ok', text: `loaded “${n}” (saved ${r.value.savedAt})` });
  };

  const remove = async (): Promise<void> => {
    const n = store.getState().strategyName;
    if (!STRATEGY_NAME.test(n)) return;
    const r = await strategyApi.remove(n);
    setStatus(r.ok ? { kind: 'ok', text: `deleted “${n}”` } : { kind: 'error', text: `Could not delete “${n}”: ${r.message}` });
    void refresh();
  };

  const share = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(window.location.href);
      setStatus({ kind: 'ok', text: 'link copied' });
    } catch {
      setStatus({ kind: 'ok', text: 'copy the address bar: it holds the strategy' });
    }
  };

  return (
    <div className="saved-bar">
      <label>Name
        <input className="ctl" value={name} placeholder="my-condor" data-testid="strat.name" aria-invalid={nameError !== null}
          onChange={(e) => store.getState().setStrategyName(e.target.value)} />
      </label>
      <button type="button" className="ctl" data-testid="strat.save" title="Save to the server (S)" onClick={() => void save()}>Save</button>
      <select className="ctl" value="" data-testid="strat.saved" aria-label="Load a saved strategy"
        onChange={(e) => void load(e.target.value)}>
        <option value="">Saved ({list.length})…</option>
        {list.map((s) => <option key={s.name} value={s.name}>{s.name} · {s.legs} legs</option>)}
      </select>
      <button type="button" className="ctl" data-testid="strat.delete" disabled={!list.some((s) => s.name === name)}
        onClick={() => void remove()}>Delete</button>
      <button type="button" className="ctl" data-testid="strat.share" title="Copy a link to this strategy" onClick={() => void share()}>Share link</button>
      {nameError ? <span className="field-error" role="alert">{nameError}</span> : null}
      <span className={`save-msg ${status.kind}`} data-testid="strat.save-status" role="status">
        {status.kind === 'busy' ? status.what : status.kind === 'ok' || status.kind === 'error' ? status.text : ''}
      </span>
    </div>
  );
}
