/**
 * Backtest runs in Redis. A run is two string keys and one index entry, always written and deleted together in
 * one MULTI/EXEC, so a run is either wholly present (listed, with its curve) or absent:
 *   ferrodesk:v1:run:<id>        {"v":1,"id","createdAt","points","run":{name,strategy,config,dataset,engineVersion,summary}}
 *   ferrodesk:v1:run:<id>:curve  {"ts":[…],"equity":[…],"position":[…]}
 *   ferrodesk:v1:runs            sorted set of ids scored by creation time (ms), listed highest first
 * The curve has its own key so listing reads summaries only. Writes resolve once Redis acknowledged them.
 */
import { randomBytes } from 'node:crypto';
import type { RunCreated, RunCurve, RunInput, RunList, RunListItem, SavedRun } from '../../../src/protocol/runs.js';
import type { RedisClient } from '../redis/client.js';
import { validateRunInput } from './schema.js';

export const RUN_KEY_PREFIX = 'ferrodesk:v1:run:';
export const RUN_CURVE_SUFFIX = ':curve';
export const RUN_INDEX_KEY = 'ferrodesk:v1:runs';
export const MAX_PAGE = 200;

type RunMeta = Omit<RunInput, 'curve'>;

interface StoredMeta {
  v: 1;
  id: string;
  createdAt: string;
  points: number;
  run: RunMeta;
}

export const runKey = (id: string): string => RUN_KEY_PREFIX + id;
export const curveKey = (id: string): string => RUN_KEY_PREFIX + id + RUN_CURVE_SUFFIX;

export class CorruptRunError extends Error {
  constructor(key: string, reason: string) {
    super(`stored run ${key} is unreadable: ${reason}`);
    this.name = 'CorruptRunError';
  }
}

const EMPTY_CURVE: RunCurve = { ts: [], equity: [], position: [] };

function parseJson(key: string, raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    throw new CorruptRunError(key, 'not JSON');
  }
}

/** The stored run record, re-validated with the rules a POST is checked against. */
function parseMeta(id: string, raw: string): StoredMeta {
  const key = runKey(id);
  const parsed = parseJson(key, raw);
  if (typeof parsed !== 'object' || parsed === null || !('v' in parsed) || parsed.v !== 1) {
    throw new CorruptRunError(key, 'not a version 1 record');
  }
  const rec = parsed as Partial<StoredMeta>;
  const checked = validateRunInput({ ...rec.run, curve: EMPTY_CURVE });
  if (!checked.ok || rec.id !== id || typeof rec.createdAt !== 'string' || typeof rec.points !== 'number') {
    throw new CorruptRunError(key, 'fields do not validate');
  }
  const { curve: _unused, ...run } = checked.value;
  return { v: 1, id, createdAt: rec.createdAt, points: rec.points, run };
}

function parseCurve(id: string, meta: StoredMeta, raw: string): RunCurve {
  const key = curveKey(id);
  const checked = validateRunInput({ ...meta.run, curve: parseJson(key, raw) });
  if (!checked.ok) throw new CorruptRunError(key, `fields do not validate: ${checked.issues.map((i) => i.path).join(', ')}`);
  return checked.value.curve;
}

const listItem = (m: StoredMeta): RunListItem => ({ id: m.id, createdAt: m.createdAt, points: m.points, ...m.run });

export class RunStore {
  /** Creation times handed out by this process, kept strictly increasing so runs saved in one millisecond keep their order. */
  private static lastCreatedMs = 0;

  constructor(private readonly redis: RedisClient) {}

  /** Stores a validated run under a new id; resolves once Redis acknowledged it. @throws RedisUnavailableError */
  async create(input: RunInput): Promise<RunCreated> {
    const ms = Math.max(Date.now(), RunStore.lastCreatedMs + 1);
    RunStore.lastCreatedMs = ms;
    const id = ms.toString(36).padStart(9, '0') + randomBytes(6).toString('hex');
    const createdAt = new Date(ms).toISOString();
    const { curve, ...run } = input;
    const meta: StoredMeta = { v: 1, id, createdAt, points: curve.ts.length, run };
    await this.redis.setScored(
      [[runKey(id), JSON.stringify(meta)], [curveKey(id), JSON.stringify(curve)]],
      RUN_INDEX_KEY, ms, id,
    );
    return { id, createdAt };
  }

  /** The run with its curve, or null. @throws RedisUnavailableError, CorruptRunError */
  async get(id: string): Promise<SavedRun | null> {
    const [rawMeta, rawCurve] = await this.redis.mget([runKey(id), curveKey(id)]);
    if (rawMeta === null || rawMeta === undefined) return null;
    const meta = parseMeta(id, rawMeta);
    if (rawCurve === null || rawCurve === undefined) throw new CorruptRunError(curveKey(id), 'missing');
    return { ...listItem(meta), curve: parseCurve(id, meta, rawCurve) };
  }

  /** One page of runs, newest first, without curves; unreadable records are skipped. @throws RedisUnavailableError */
  async list(offset: number, limit: number): Promise<RunList> {
    const { members, total } = await this.redis.rangeByScoreDesc(RUN_INDEX_KEY, offset, offset + limit - 1);
    const raws = await this.redis.mget(members.map(runKey));
    const runs: RunListItem[] = [];
    members.forEach((id, i) => {
      const raw = raws[i];
      // Absent: deleted between the two reads.
      if (raw === null || raw === undefined) return;
      try {
        runs.push(listItem(parseMeta(id, raw)));
      } catch {
        // Unreadable records are left out of the list; GET on them reports why.
      }
    });
    const next = offset + members.length;
    return { runs, total, offset, limit, nextOffset: next < total && members.length > 0 ? next : null };
  }

  /** True when there was a run with that id. @throws RedisUnavailableError */
  async delete(id: string): Promise<boolean> {
    return this.redis.delScored([runKey(id), curveKey(id)], RUN_INDEX_KEY, id);
  }
}
