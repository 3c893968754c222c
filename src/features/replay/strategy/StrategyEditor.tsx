/**
 * The user strategy editor: source with a line-number gutter, a params field (JSON), example templates, and
 * Run (button or Ctrl/Cmd+Enter). The document is saved to localStorage as it is typed (the status says when it
 * is saved and why when it cannot be); choosing a template keeps what it replaced, with an Undo. An error from
 * the strategy highlights its line and is shown beneath the source.
 */
import {
  useCallback, useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode,
} from 'react';
import type { StrategyError } from './api';
import {
  PREVIOUS_KEY, STORAGE_KEY, indent, lineCount, lineRange, parseParams, readDoc, writeDoc,
  type StorageLike, type StrategyDoc,
} from './editorModel';
import { DEFAULT_TEMPLATE, TEMPLATES } from './templates';
import './strategy.css';

const LINE_PX = 18;
const PAD_PX = 6;
const SAVE_DELAY_MS = 400;

export interface StrategyEditorProps {
  /** Run (button or Ctrl/Cmd+Enter) with the source and the parsed params. */
  onRun(source: string, params: Record<string, unknown>): void;
  /** Shown as a Stop button while `running`. */
  onStop?: () => void;
  running?: boolean;
  /** The last error of the strategy (its line is highlighted), or null. */
  error?: StrategyError | null;
  /** Recent strategy log lines, newest last. */
  logs?: readonly string[];
  storageKey?: string;
}

type SaveState = { kind: 'saved' } | { kind: 'pending' } | { kind: 'failed'; reason: string };

function browserStorage(): StorageLike | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

const templateDoc = (id: string): StrategyDoc | null => {
  const t = TEMPLATES.find((x) => x.id === id);
  return t ? { source: t.source, params: JSON.stringify(t.params, null, 0) } : null;
};

export function StrategyEditor(props: StrategyEditorProps): ReactNode {
  const { onRun, onStop, running = false, error = null, logs } = props;
  const key = props.storageKey ?? STORAGE_KEY;
  const previousKey = `${key === STORAGE_KEY ? PREVIOUS_KEY : `${key}.previous`}`;
  const storage = useRef<StorageLike | null>(browserStorage());
  const [doc, setDoc] = useState<StrategyDoc>(() => readDoc(storage.current, key) ?? templateDoc(DEFAULT_TEMPLATE.id) as StrategyDoc);
  const [save, setSave] = useState<SaveState>({ kind: 'saved' });
  const [previous, setPrevious] = useState<{ doc: StrategyDoc; label: string } | null>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [escaped, setEscaped] = useState(false);
  const textRef = useRef<HTMLTextAreaElement>(null);
  const gutterRef = useRef<HTMLDivElement>(null);
  const docRef = useRef(doc);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const paramsId = useId();

  const flush = useCallback(() => {
    if (timer.current !== null) {
      clearTimeout(timer.current);
      timer.current = null;
    }
    const why = writeDoc(storage.current, key, docRef.current);
    setSave(why === null ? { kind: 'saved' } : { kind: 'failed', reason: why });
  }, [key]);

  const update = useCallback((next: StrategyDoc) => {
    docRef.current = next;
    setDoc(next);
    setSave({ kind: 'pending' });
    if (timer.current !== null) clearTimeout(timer.current);
    timer.current = setTimeout(flush, SAVE_DELAY_MS);
  }, [flush]);

  // Never lose typing: save on leaving the page and when the editor goes away.
  useEffect(() => {
    const onHide = (): void => {
      if (timer.current !== null) flush();
    };
    window.addEventListener('pagehide', onHide);
    window.addEventListener('beforeunload', onHide);
    return () => {
      window.removeEventListener('pagehide', onHide);
      window.removeEventListener('beforeunload', onHide);
      onHide();
    };
  }, [flush]);

  const params = parseParams(doc.params);

  const run = useCallback(() => {
    const p = parseParams(docRef.current.params);
    if (!p.ok) return;
    flush();
    onRun(docRef.current.source, p.value);
  }, [flush, onRun]);

  const chooseTemplate = (id: string): void => {
    const t = TEMPLATES.find((x) => x.id === id);
    const next = templateDoc(id);
    if (!t || !next) return;
    const current = docRef.current;
    if (current.source !== next.source || current.params !== next.params) {
      writeDoc(storage.current, previousKey, current);
      setPrevious({ doc: current, label: t.label });
    }
    update(next);
  };

  const undoTemplate = (): void => {
    if (!previous) return;
    update(previous.doc);
    setPrevious(null);
  };

  const selectLine = (line: number): void => {
    const ta = textRef.current;
    if (!ta) return;
    const r = lineRange(ta.value, line);
    ta.focus();
    ta.setSelectionRange(r.start, r.end);
    ta.scrollTop = Math.max(0, (line - 3) * LINE_PX);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>): void => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      run();
      return;
    }
    if (e.key === 'Escape') {
      // The next Tab leaves the editor instead of indenting (keyboard users are not trapped).
      setEscaped(true);
      return;
    }
    if (e.key === 'Tab' && !e.ctrlKey && !e.metaKey && !e.altKey) {
      if (escaped) {
        setEscaped(false);
        return;
      }
      e.preventDefault();
      const ta = e.currentTarget;
      const edit = indent(ta.value, ta.selectionStart, ta.selectionEnd, e.shiftKey);
      update({ ...docRef.current, source: edit.text });
      // Restore the selection after React writes the new value.
      requestAnimationFrame(() => ta.setSelectionRange(edit.start, edit.end));
      return;
    }
    if (escaped) setEscaped(false);
  };

  const lines = lineCount(doc.source);
  const errLine = error?.line !== undefined && error.line >= 1 && error.line <= lines ? error.line : null;
  const saveText = save.kind === 'saved' ? 'saved' : save.kind === 'pending' ? 'saving…' : `not saved: ${save.reason}`;

  return (
    <div className="panel strat-editor" data-testid="strat.editor">
      <div className="panel-head">
        <span className="panel-title">Strategy</span>
        <select className="ctl" aria-label="Start from a template" data-testid="strat.template" value=""
          onChange={(e) => chooseTemplate(e.target.value)}>
          <option value="" disabled>Templates…</option>
          {TEMPLATES.map((t) => <option key={t.id} value={t.id}>{t.label}</option>)}
        </select>
        {previous ? (
          <button type="button" className="ctl" data-testid="strat.undo" onClick={undoTemplate}
            title="Bring back the source the template replaced">Undo “{previous.label}”</button>
        ) : null}
        <span className="spacer" />
        <span className={`strat-save ${save.kind}`} role="status" data-testid="strat.saved">{saveText}</span>
        {running && onStop ? (
          <button type="button" className="ctl" data-testid="strat.stop" onClick={onStop}>Stop</button>
        ) : null}
        <button type="button" className="ctl strat-run" data-testid="strat.run" disabled={!params.ok} onClick={run}
          title="Run the strategy from the start of the replay (Ctrl+Enter / ⌘+Enter)">{running ? 'Restart' : 'Run'}</button>
      </div>
      <div className="strat-params">
        <label htmlFor={paramsId}>params</label>
        <input id={paramsId} className={`num${params.ok ? '' : ' invalid'}`} type="text" spellCheck={false}
          value={doc.params} aria-invalid={!params.ok} data-testid="strat.params"
          onChange={(e) => update({ ...docRef.current, params: e.target.value })}
          onBlur={flush}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              run();
            }
          }} />
      </div>
      {!params.ok ? <div className="field-error strat-params-error" role="alert" data-testid="strat.paramsError">{params.error}</div> : null}
      <div className="strat-code">
        <div className="strat-gutter num" ref={gutterRef} aria-hidden="true" data-testid="strat.gutter">
          <div style={{ transform: `translateY(${-scrollTop}px)` }}>
            {Array.from({ length: lines }, (_, i) => (
              <div key={i} className={i + 1 === errLine ? 'err' : undefined}>{i + 1}</div>
            ))}
          </div>
        </div>
        <div className="strat-text">
          {errLine !== null ? (
            <div className="strat-errband" data-testid="strat.errorBand"
              style={{ top: PAD_PX + (errLine - 1) * LINE_PX - scrollTop, height: LINE_PX }} />
          ) : null}
          <textarea ref={textRef} className="num" value={doc.source} spellCheck={false} wrap="off"
            autoCapitalize="off" autoComplete="off" aria-label="Strategy source (JavaScript)"
            aria-invalid={errLine !== null} data-testid="strat.source"
            onChange={(e) => update({ ...docRef.current, source: e.target.value })}
            onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
            onBlur={flush}
            onKeyDown={onKeyDown} />
        </div>
      </div>
      {error ? (
        <div className="strat-error" role="alert" data-testid="strat.error">
          {errLine !== null ? (
            <button type="button" className="strat-errline" data-testid="strat.errorLine" onClick={() => selectLine(errLine)}>
              line {errLine}
            </button>
          ) : null}
          <span className="strat-errmsg">{error.message}</span>
        </div>
      ) : null}
      {logs && logs.length > 0 ? (
        <pre className="strat-logs num" data-testid="strat.logs" aria-label="Strategy log">{logs.join('\n')}</pre>
      ) : null}
    </div>
  );
}
