/**
 * What the gateway, the recorder and the HTTP routes need from a market feed. The local simulator (`Market`) is
 * one; `RemoteMarket` — the feed of another backend process, received through Redis — is the other, which is how
 * several backends on one Redis serve the same book.
 */
import type { InstrumentInfo } from '../../../src/protocol/messages.js';
import type { InstrumentStats, SnapshotFrame, StepFrames } from '../sim/market.js';

export interface MarketFeed {
  instruments(): InstrumentInfo[];
  bySymbol(symbol: string): InstrumentInfo | undefined;
  /** Registers a listener for every step of every instrument; returns the function that removes it. */
  onStep(listener: (frames: StepFrames) => void): () => void;
  /** The current book of an instrument as an encoded snapshot frame. */
  snapshot(instrumentId: number): SnapshotFrame;
  stats(): InstrumentStats[];
  start(): void;
  stop(): void;
}

/** Redis keys and channel of the shared feed (versioned like every other key). */
export const FEED_CHANNEL = 'ferrodesk:v1:feed';
export const FEED_INSTRUMENTS_KEY = 'ferrodesk:v1:feed:instruments';
export const feedSnapshotKey = (instrumentId: number): string => `ferrodesk:v1:feed:snapshot:${instrumentId}`;
