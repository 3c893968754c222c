/** The page's one scan session: one worker per core, or `scan.workers=N` from the URL. */
import { createScanPool } from '../../scan/spawn';
import { workersFromSearch } from './form';
import { ScanSession } from './session';

const asked = workersFromSearch(window.location.search);
if (asked.error) console.warn(asked.error);

export const scanSession = new ScanSession(() => createScanPool(asked.workers ?? undefined));
