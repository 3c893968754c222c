/**
 * Redis keys of feed recordings (docs/protocol.md, "Recording (Redis Streams)"): shared by the backend's recorder
 * (server/src/recorder/recorder.ts) and the CLI's `export-recording`.
 */
export const RECORDING_PREFIX = 'ferrodesk:v1:rec';
/** The set of recorded session ids (UTC start times such as `20261122T183000Z`). */
export const SESSIONS_KEY = `${RECORDING_PREFIX}:sessions`;
/**
 * The instruments of a session (JSON `InstrumentInfo[]`: symbol, venue, tick and lot sizes, decimals), written when
 * the recorder connects: the frames carry ticks and lots only, so a reader needs these to scale them.
 */
export const sessionInstrumentsKey = (session: string): string => `${RECORDING_PREFIX}:${session}`;
/** The stream of one instrument in one session. */
export const recordingStreamKey = (session: string, symbol: string): string => `${RECORDING_PREFIX}:${session}:${symbol}`;
