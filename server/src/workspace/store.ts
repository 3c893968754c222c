/**
 * Workspaces in Redis: one string key per workspace, `ferrodesk:v1:workspace:<name>`, holding
 * `{"v":1,"savedAt":ISO,"workspace":{…}}`. The version in the key and the record lets a later format live
 * beside this one and be migrated explicitly.
 */
import type { SavedWorkspace, WorkspaceSettings } from '../../../src/protocol/messages.js';
import type { RedisClient } from '../redis/client.js';
import { validateWorkspace } from './schema.js';

export const WORKSPACE_KEY_PREFIX = 'ferrodesk:v1:workspace:';

interface StoredRecord {
  v: 1;
  savedAt: string;
  workspace: WorkspaceSettings;
}

/** A record under a workspace key that this version cannot read. */
export class CorruptWorkspaceError extends Error {
  constructor(key: string, reason: string) {
    super(`stored workspace ${key} is unreadable: ${reason}`);
    this.name = 'CorruptWorkspaceError';
  }
}

export class WorkspaceStore {
  constructor(private readonly redis: RedisClient) {}

  /** @throws RedisUnavailableError, CorruptWorkspaceError */
  async get(name: string): Promise<SavedWorkspace | null> {
    const key = WORKSPACE_KEY_PREFIX + name;
    const raw = await this.redis.get(key);
    if (raw === null) return null;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new CorruptWorkspaceError(key, 'not JSON');
    }
    if (typeof parsed !== 'object' || parsed === null || !('v' in parsed) || parsed.v !== 1) {
      throw new CorruptWorkspaceError(key, 'not a version 1 record');
    }
    const rec = parsed as Partial<StoredRecord>;
    const checked = validateWorkspace(rec.workspace);
    if (!checked.ok || typeof rec.savedAt !== 'string') throw new CorruptWorkspaceError(key, 'fields do not validate');
    return { name, savedAt: rec.savedAt, workspace: checked.value };
  }

  /** Resolves once Redis acknowledged the write. @throws RedisUnavailableError */
  async put(name: string, workspace: WorkspaceSettings): Promise<SavedWorkspace> {
    const record: StoredRecord = { v: 1, savedAt: new Date().toISOString(), workspace };
    await this.redis.set(WORKSPACE_KEY_PREFIX + name, JSON.stringify(record));
    return { name, savedAt: record.savedAt, workspace };
  }
}
