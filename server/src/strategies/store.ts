/**
 * Named strategies in Redis: one string key per strategy, `ferrodesk:v1:strategy:<name>`, holding
 * `{"v":1,"savedAt":ISO,"doc":{strategy,scenario}}`, and the set `ferrodesk:v1:strategies` of saved names for
 * listing (written in the same MULTI as the key). Writes resolve only once Redis acknowledged them.
 */
import type { SavedStrategy, StrategyDocument, StrategyList } from '../../../src/protocol/options.js';
import type { RedisClient } from '../redis/client.js';
import { validateStrategyDocument } from './schema.js';

export const STRATEGY_KEY_PREFIX = 'ferrodesk:v1:strategy:';
export const STRATEGY_INDEX_KEY = 'ferrodesk:v1:strategies';

interface StoredRecord {
  v: 1;
  savedAt: string;
  doc: StrategyDocument;
}

export class CorruptStrategyError extends Error {
  constructor(key: string, reason: string) {
    super(`stored strategy ${key} is unreadable: ${reason}`);
    this.name = 'CorruptStrategyError';
  }
}

function parse(key: string, raw: string): StoredRecord {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new CorruptStrategyError(key, 'not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || !('v' in parsed) || parsed.v !== 1) {
    throw new CorruptStrategyError(key, 'not a version 1 record');
  }
  const rec = parsed as Partial<StoredRecord>;
  const checked = validateStrategyDocument(rec.doc);
  if (!checked.ok || typeof rec.savedAt !== 'string') throw new CorruptStrategyError(key, 'fields do not validate');
  return { v: 1, savedAt: rec.savedAt, doc: checked.value };
}

export class StrategyStore {
  constructor(private readonly redis: RedisClient) {}

  /** @throws RedisUnavailableError, CorruptStrategyError */
  async get(name: string): Promise<SavedStrategy | null> {
    const key = STRATEGY_KEY_PREFIX + name;
    const raw = await this.redis.get(key);
    if (raw === null) return null;
    const rec = parse(key, raw);
    return { name, savedAt: rec.savedAt, ...rec.doc };
  }

  /** Every saved strategy, sorted by name; unreadable records are skipped. @throws RedisUnavailableError */
  async list(): Promise<StrategyList> {
    const names = (await this.redis.members(STRATEGY_INDEX_KEY)).sort();
    const raws = await this.redis.mget(names.map((n) => STRATEGY_KEY_PREFIX + n));
    const strategies: StrategyList['strategies'] = [];
    names.forEach((name, i) => {
      const raw = raws[i];
      if (raw === null || raw === undefined) return;
      try {
        const rec = parse(STRATEGY_KEY_PREFIX + name, raw);
        strategies.push({ name, savedAt: rec.savedAt, legs: rec.doc.strategy.legs.length });
      } catch {
        // Listed names whose record is unreadable are left out of the list; GET on them reports why.
      }
    });
    return { strategies };
  }

  /** Resolves once Redis acknowledged the write. @throws RedisUnavailableError */
  async put(name: string, doc: StrategyDocument): Promise<SavedStrategy> {
    const record: StoredRecord = { v: 1, savedAt: new Date().toISOString(), doc };
    await this.redis.setIndexed(STRATEGY_KEY_PREFIX + name, JSON.stringify(record), STRATEGY_INDEX_KEY, name);
    return { name, savedAt: record.savedAt, ...doc };
  }

  /** True when there was a strategy of that name. @throws RedisUnavailableError */
  async delete(name: string): Promise<boolean> {
    return this.redis.delIndexed(STRATEGY_KEY_PREFIX + name, STRATEGY_INDEX_KEY, name);
  }
}
