/** The page's one scan session: one worker per core, or `scan.workers=N` from the URL. */
import { createScanPool } from '../../scan/spawn';
import { workersFromSearch } from './form';
import { ScanSession } from './session';

const asked = workersFromSearch(window.location.search);

/** Why `scan.workers` in the URL was not used, for the view to show; null when it was fine or absent. */
export const workersProblem = asked.error;

export const scanSession = new ScanSession(() => createScanPool(asked.workers ?? undefined));
