/**
 * `window.__ferrodesk`: a small typed read-only view of the running app for end-to-end tests and debugging.
 * It reads the latest render snapshot and the store; it changes nothing.
 */
import type { WorkspaceSettings } from '../protocol/messages';
import { Stat, type ConnectionStatus } from '../protocol/worker';
import type { EngineClient } from '../engine/client';
import { stat, summarise, type RenderSummary } from '../engine/renderFrame';
import { selectWorkspace, type AppStore, type SaveStatus } from '../state';

export interface FerrodeskStats {
  /** Render snapshots received from the worker (its frame counter). */
  frame: number;
  fps: number;
  msgsPerSec: number;
  bytesPerSec: number;
  latencyMeanMs: number | null;
  latencyMaxMs: number | null;
  applyMs: number;
  rttMs: number | null;
  framesApplied: number;
  snapshots: number;
  deltas: number;
  trades: number;
  rejected: number;
  stale: number;
  gaps: number;
  resyncsRequested: number;
  invalidMessages: number;
}

export interface FerrodeskTestApi {
  readonly version: 1;
  /** The newest render snapshot, summarised; null before the first. */
  lastRender(): RenderSummary | null;
  stats(): FerrodeskStats | null;
  connection(): ConnectionStatus;
  /** The settings that are saved to the server (null before an instrument is chosen). */
  settings(): WorkspaceSettings | null;
  saveStatus(): SaveStatus;
  instruments(): string[];
  engineVersion(): string | null;
}

declare global {
  interface Window {
    __ferrodesk?: FerrodeskTestApi;
  }
}

const orNull = (v: number): number | null => (Number.isFinite(v) ? v : null);

export function createTestApi(store: AppStore, engine: EngineClient): FerrodeskTestApi {
  return {
    version: 1,
    lastRender: () => {
      const f = engine.lastFrame();
      return f ? summarise(f) : null;
    },
    stats: () => {
      const f = engine.lastFrame();
      if (!f) return null;
      return {
        frame: f.meta.frame,
        fps: engine.frames.fps,
        msgsPerSec: stat(f, Stat.MsgsPerSec),
        bytesPerSec: stat(f, Stat.BytesPerSec),
        latencyMeanMs: orNull(stat(f, Stat.LatencyMeanMs)),
        latencyMaxMs: orNull(stat(f, Stat.LatencyMaxMs)),
        applyMs: stat(f, Stat.ApplyMs),
        rttMs: orNull(stat(f, Stat.RttMs)),
        framesApplied: stat(f, Stat.FramesApplied),
        snapshots: stat(f, Stat.Snapshots),
        deltas: stat(f, Stat.Deltas),
        trades: stat(f, Stat.Trades),
        rejected: stat(f, Stat.Rejected),
        stale: stat(f, Stat.Stale),
        gaps: stat(f, Stat.Gaps),
        resyncsRequested: stat(f, Stat.ResyncsRequested),
        invalidMessages: stat(f, Stat.InvalidMessages),
      };
    },
    connection: () => store.getState().connection,
    settings: () => selectWorkspace(store.getState()),
    saveStatus: () => store.getState().save,
    instruments: () => store.getState().instruments.map((i) => i.symbol),
    engineVersion: () => store.getState().engineVersion,
  };
}
