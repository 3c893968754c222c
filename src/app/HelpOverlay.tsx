/** The keyboard shortcut overlay (`?`). */
import type { ReactNode } from 'react';
import { useAppState, useStoreApi } from '../state';
import { OPTIONS_SHORTCUTS, SHORTCUTS } from './shortcuts';

export function HelpOverlay(): ReactNode {
  const open = useAppState((s) => s.helpOpen);
  const store = useStoreApi();
  if (!open) return null;
  const close = (): void => store.getState().setHelpOpen(false);
  return (
    <div className="overlay" onClick={close} data-testid="help.overlay">
      <div className="help" role="dialog" aria-modal="true" aria-label="Keyboard shortcuts"
        onClick={(e) => e.stopPropagation()}>
        <h2>Keyboard shortcuts</h2>
        <table>
          <tbody>
            {[...SHORTCUTS, ...OPTIONS_SHORTCUTS].map((s) => (
              <tr key={s.what}>
                <td>
                  {s.keys.map((k, i) => (k === '…' ? <span key={i}> … </span> : <span key={i} className="kbd">{k}</span>))}
                </td>
                <td>{s.what}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="foot">Drag the splitters between panels to resize them; double-click one to reset. Layout, theme,
          instrument and price step are saved to the server for this workspace.</div>
      </div>
    </div>
  );
}
