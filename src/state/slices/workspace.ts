import type { StateCreator } from 'zustand/vanilla';
import { resolveSelection } from './instruments';
import { cleanPanels } from './settings';
import type { AppState, WorkspaceSlice } from '../types';

export const createWorkspaceSlice = (workspaceName: string): StateCreator<AppState, [], [], WorkspaceSlice> =>
  (set, get) => ({
    workspaceName,
    hydrated: false,
    preferredInstrument: null,
    save: { state: 'loading' },
    hydrate: (workspace, save) => {
      const s = get();
      const preferred = workspace?.instrument ?? null;
      set({
        hydrated: true,
        preferredInstrument: preferred,
        save,
        ...(workspace
          ? {
              theme: workspace.theme,
              panels: { ...s.panels, ...cleanPanels(workspace.panels) },
              ...(workspace.grouping !== undefined ? { grouping: workspace.grouping } : {}),
            }
          : {}),
        selected: resolveSelection(s.instruments, s.selected ?? preferred, preferred, true),
      });
    },
    setSave: (save) => set({ save }),
  });
