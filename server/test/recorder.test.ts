/**
 * The feed recorder against a real redis-server: every step lands in a Redis Stream with sequence numbers that
 * chain from a snapshot; Redis freezing (SIGSTOP) or being killed and restarted never stalls the fan-out, the
 * losses are counted, and recording resumes behind a `gap` entry and a fresh snapshot.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthResponse } from '../../src/protocol/messages.js';
import { decodeFrames, FrameKind } from '../../src/protocol/wire.js';
import type { App } from '../src/app.js';
import { sessionInstrumentsKey, SESSIONS_KEY } from '../src/recorder/recorder.js';
import type { OwnedRedis } from '../src/redis/owned.js';
import { followDeltas, ReferenceBook, TestClient, eventually, startRedis, startTestApp, tempDir, wsUrl } from './helpers.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
let redis: OwnedRedis;
let app: App;
let reader: Redis;
let client: TestClient;
const book = new ReferenceBook();

const status = () => {
  const s = app.recorder?.status();
  if (!s) throw new Error('recording is off');
  return s;
};

interface Walk {
  snapshots: number;
  deltas: number;
  gaps: Array<{ dropped: number; reason: string }>;
}

/**
 * Reads a whole stream and checks its invariant: after a snapshot, delta frames chain (seqFirst = previous
 * seqLast + 1) until a `gap` entry, which is followed by a snapshot before any delta.
 */
async function walk(key: string): Promise<Walk> {
  const entries = await reader.xrangeBuffer(key, '-', '+');
  const out: Walk = { snapshots: 0, deltas: 0, gaps: [] };
  let seq: bigint | null = null;
  for (const [, raw] of entries) {
    const fields = new Map<string, Buffer>();
    for (let i = 0; i + 1 < raw.length; i += 2) fields.set(raw[i]!.toString(), raw[i + 1]!);
    const kind = fields.get('k')?.toString();
    if (kind === 'gap') {
      out.gaps.push(JSON.parse(fields.get('info')?.toString() ?? '{}') as Walk['gaps'][number]);
      seq = null;
      continue;
    }
    const [frame] = decodeFrames(new Uint8Array(fields.get('f') ?? Buffer.alloc(0)));
    if (!frame) throw new Error(`entry without a frame in ${key}`);
    if (kind === 's') {
      expect(frame.kind).toBe(FrameKind.Snapshot);
      seq = frame.seqLast;
      out.snapshots += 1;
    } else if (kind === 'd') {
      expect(frame.kind).toBe(FrameKind.Delta);
      expect(seq, `a delta before any snapshot in ${key}`).not.toBeNull();
      // Deltas older than the latest snapshot (written before a resync) are skipped, as a reader would.
      if (seq !== null && frame.seqLast <= seq) continue;
      expect(frame.seqFirst).toBe((seq ?? 0n) + 1n);
      seq = frame.seqLast;
      out.deltas += 1;
    } else {
      expect(kind).toBe('t');
    }
  }
  return out;
}

/** The WebSocket client keeps receiving a gap-free book. */
const streamAdvances = (updates: bigint): Promise<void> => followDeltas(client, book, book.seq + updates);

beforeAll(async () => {
  dir = await tempDir('recorder');
  redis = await startRedis(dir.path);
  app = await startTestApp({
    redisUrl: redis.url,
    batchesPerSecond: 100,
    record: { maxLen: 1_000_000, maxQueue: 300, batchSize: 64, commandTimeoutMs: 500 },
  });
  await app.redis.waitReady(5000);
  reader = new Redis(redis.url, { maxRetriesPerRequest: 1 });
  client = await TestClient.connect(wsUrl(app));
  client.send({ type: 'subscribe', reqId: 1, instrument: 'BTC-USD', channels: ['book'] });
  book.load(await client.nextFrame('snapshot', (f) => f.kind === FrameKind.Snapshot));
});

afterAll(async () => {
  await client?.close();
  await app?.close();
  reader?.disconnect();
  await redis?.stop();
  await dir?.remove();
});

describe('feed recorder', () => {
  it('records every instrument to its own stream, snapshot first, deltas chaining', async () => {
    await eventually('200 entries written', () => (status().written >= 200 ? true : undefined));
    expect(await reader.sismember(SESSIONS_KEY, status().session)).toBe(1);
    expect(JSON.parse((await reader.get(sessionInstrumentsKey(status().session))) ?? 'null')).toEqual(app.market.instruments());
    for (const inst of app.market.instruments()) {
      const key = app.recorder?.streamKey(inst.id) ?? '';
      expect(key).toBe(`ferrodesk:v1:rec:${status().session}:${inst.symbol}`);
      const w = await walk(key);
      expect(w.snapshots).toBe(1);
      expect(w.deltas).toBeGreaterThan(20);
      expect(w.gaps).toEqual([]);
    }
    const health = (await (await fetch(`${app.url}/api/health`)).json()) as HealthResponse;
    expect(health.recorder).toMatchObject({ state: 'recording', dropped: 0 });
  });

  it('never stalls the fan-out when Redis freezes; counts what it drops and resyncs behind a gap entry', async () => {
    process.kill(redis.pid, 'SIGSTOP');
    try {
      await streamAdvances(150n);
      await eventually('drops while Redis is frozen', () => (status().dropped > 0 ? true : undefined), 15_000);
    } finally {
      process.kill(redis.pid, 'SIGCONT');
    }
    await streamAdvances(20n);
    await eventually('a closed gap after Redis answers again', () => {
      const s = status();
      return s.state === 'recording' && s.gaps.some((g) => g.resumedMs !== null) && s.queued < 300 ? true : undefined;
    }, 15_000);
    const before = status().written;
    await eventually('writes after the gap', () => (status().written > before + 20 ? true : undefined));
    const key = app.recorder?.streamKey(app.market.bySymbol('BTC-USD')?.id ?? -1) ?? '';
    const w = await walk(key);
    expect(w.gaps.length).toBeGreaterThanOrEqual(1);
    expect(w.snapshots).toBeGreaterThanOrEqual(2);
    expect(w.gaps[0]?.dropped).toBeGreaterThan(0);
  });

  it('resumes after Redis is killed and restarted, reporting the gap', async () => {
    const gapsBefore = status().gaps.length;
    const droppedBefore = status().dropped;
    await redis.stop();
    await streamAdvances(100n);
    // Down long enough for the bounded queue to overflow, so entries are really lost.
    await eventually('losses while Redis is gone', () => (status().dropped > droppedBefore ? true : undefined), 15_000);
    expect(status().state).toBe('down');
    redis = await startRedis(dir.path, redis.port);
    await eventually('recording again', () => {
      const s = status();
      return s.state === 'recording' && s.gaps.length > gapsBefore && s.gaps.every((g) => g.resumedMs !== null)
        ? true
        : undefined;
    }, 20_000);
    const before = status().written;
    await eventually('writes after the restart', () => (status().written > before + 20 ? true : undefined), 10_000);
    const w = await walk(app.recorder?.streamKey(app.market.bySymbol('ETH-USD')?.id ?? -1) ?? '');
    expect(w.gaps.length).toBeGreaterThan(gapsBefore);
    await streamAdvances(20n);
  });
});
