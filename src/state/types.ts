/** The application's UI state: connection, instruments, settings, workspace persistence, notices. */
import type { InstrumentInfo, WorkspaceSettings } from '../protocol/messages';
import type { CandleSeconds, ConnectionStatus, NoticeCode, NoticeLevel } from '../protocol/worker';
import type { CurveAxis, ModelName, OptionKind, Scenario, Strategy } from '../protocol/options';

export type Theme = WorkspaceSettings['theme'];

/** Panel id → size as a fraction (0..1) of the split that contains it. */
export type PanelSizes = Record<string, number>;

export interface ConnectionSlice {
  connection: ConnectionStatus;
  /** Server name from the last `hello`. */
  server: string | null;
  engineVersion: string | null;
  setConnection(status: ConnectionStatus): void;
  setEngineVersion(version: string): void;
}

export interface InstrumentsSlice {
  instruments: InstrumentInfo[];
  /** The instrument shown; null until the server has listed instruments and the workspace has loaded. */
  selected: string | null;
  setInstruments(server: string, instruments: InstrumentInfo[]): void;
  select(symbol: string): void;
  /** Selects the instrument at `index` (0-based) in the server's list, if there is one. */
  selectIndex(index: number): void;
}

export interface SettingsSlice {
  theme: Theme;
  panels: PanelSizes;
  /** Ladder levels a side. */
  depth: number;
  /** Ladder price grouping, ticks per row. */
  grouping: number;
  candleSec: CandleSeconds;
  setTheme(theme: Theme): void;
  toggleTheme(): void;
  setPanels(panels: PanelSizes): void;
  setDepth(depth: number): void;
  /** Moves `steps` along the grouping presets (negative: finer). */
  stepGrouping(steps: number): void;
  setGrouping(grouping: number): void;
  /** Moves `steps` along the depth presets. */
  stepDepth(steps: number): void;
  setCandleSec(sec: CandleSeconds): void;
}

export type SaveStatus =
  | { state: 'loading' }
  /** The server has nothing saved under this workspace name: defaults are in use. */
  | { state: 'defaults' }
  | { state: 'saving' }
  | { state: 'saved'; savedAt: string }
  | { state: 'error'; message: string; retrying: boolean };

export interface WorkspaceSlice {
  workspaceName: string;
  /** True once the saved workspace was loaded (or found missing, or given up on): saving may start. */
  hydrated: boolean;
  /** The instrument the loaded workspace asked for; applied once the server lists it. */
  preferredInstrument: string | null;
  save: SaveStatus;
  /** Applies a workspace loaded from the server and marks the store hydrated. */
  hydrate(workspace: WorkspaceSettings | null, status: SaveStatus): void;
  setSave(status: SaveStatus): void;
}

export interface Notice {
  id: number;
  level: NoticeLevel;
  source: NoticeCode | 'settings' | 'app';
  message: string;
  /** Wall-clock ms since the epoch. */
  ts: number;
}

export interface NoticesSlice {
  notices: Notice[];
  pushNotice(notice: Omit<Notice, 'id'>): void;
  dismissNotice(id: number): void;
  clearNotices(): void;
}

export interface UiSlice {
  helpOpen: boolean;
  setHelpOpen(open: boolean): void;
}

/** The option pricer's inputs as the user set them (percentages as shown; σ absolute for Bachelier). */
export interface PricerState {
  model: ModelName;
  type: OptionKind;
  spot: number;
  strike: number;
  volPct: number;
  ratePct: number;
  divPct: number;
  days: number;
  steps: number;
  /** Theta and charm per calendar day (else per year). */
  perDay: boolean;
  /** Vega, rho, dividend rho, vanna per 1% and volga per 1%² (else per 1.00). */
  perPct: boolean;
  axis: CurveAxis;
  expiryMode: 'days' | 'date';
}

export interface OptionsSlice {
  optionsTab: 'pricer' | 'strategy';
  pricer: PricerState;
  strategyDoc: { strategy: Strategy; scenario: Scenario };
  /** Name under which the strategy is saved on the server ('' until named). */
  strategyName: string;
  heatRows: 'day' | 'volShift';
  setOptionsTab(tab: OptionsSlice['optionsTab']): void;
  setPricer(patch: Partial<PricerState>): void;
  setStrategyDoc(doc: OptionsSlice['strategyDoc']): void;
  setStrategy(patch: Partial<Strategy>): void;
  setScenario(patch: Partial<Scenario>): void;
  setStrategyName(name: string): void;
  setHeatRows(rows: OptionsSlice['heatRows']): void;
}

export type AppState = ConnectionSlice & InstrumentsSlice & SettingsSlice & WorkspaceSlice & NoticesSlice & UiSlice & OptionsSlice;
