/**
 * A pid lock file: created exclusively, holding the owner's pid. A lock whose pid is no longer running is stale
 * (the owner was killed) and is taken over.
 */
import { openSync, readFileSync, unlinkSync, writeSync, closeSync } from 'node:fs';

export interface Lock {
  path: string;
  /** Removes the lock file if this process still owns it. Idempotent. */
  release(): void;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err instanceof Error && 'code' in err && err.code === 'EPERM';
  }
}

function readPid(path: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** @throws Error naming the lock file and the pid holding it when another live process owns it. */
export function acquireLock(path: string): Lock {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      let held = true;
      return {
        path,
        release(): void {
          if (!held) return;
          held = false;
          if (readPid(path) === process.pid) unlinkSync(path);
        },
      };
    } catch (err) {
      if (!(err instanceof Error && 'code' in err && err.code === 'EEXIST')) throw err;
      const owner = readPid(path);
      if (owner !== null && owner !== process.pid && isAlive(owner)) {
        throw new Error(`data directory is in use: ${path} is held by running process ${owner}`);
      }
      unlinkSync(path);
    }
  }
  throw new Error(`could not acquire ${path}`);
}
