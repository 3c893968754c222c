import type { StateCreator } from 'zustand/vanilla';
import type { AppState, ConnectionSlice } from '../types';

export const createConnectionSlice: StateCreator<AppState, [], [], ConnectionSlice> = (set) => ({
  connection: { state: 'connecting', attempt: 1, url: '' },
  server: null,
  engineVersion: null,
  setConnection: (connection) =>
    set(connection.state === 'connected' ? { connection, server: connection.server } : { connection }),
  setEngineVersion: (engineVersion) => set({ engineVersion }),
});
