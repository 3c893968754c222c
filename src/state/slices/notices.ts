import type { StateCreator } from 'zustand/vanilla';
import { MAX_NOTICES } from '../defaults';
import type { AppState, NoticesSlice, UiSlice } from '../types';

let nextNoticeId = 1;

export const createNoticesSlice: StateCreator<AppState, [], [], NoticesSlice> = (set, get) => ({
  notices: [],
  pushNotice: (notice) => {
    const list = get().notices;
    const last = list[list.length - 1];
    // The same message again replaces the previous one (with the new time) instead of stacking up.
    const base = last && last.message === notice.message ? list.slice(0, -1) : list;
    set({ notices: [...base, { ...notice, id: nextNoticeId++ }].slice(-MAX_NOTICES) });
  },
  dismissNotice: (id) => set({ notices: get().notices.filter((n) => n.id !== id) }),
  clearNotices: () => set({ notices: [] }),
});

export const createUiSlice: StateCreator<AppState, [], [], UiSlice> = (set) => ({
  helpOpen: false,
  setHelpOpen: (helpOpen) => set({ helpOpen }),
});
