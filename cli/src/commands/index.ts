import type { Command } from '../command.js';
import { backtest } from './backtest.js';
import { book } from './book.js';
import { importCmd, inspect, sample } from './dataset.js';
import { exportRecording } from './exportRecording.js';
import { iv, price } from './price.js';
import { surface } from './surface.js';
import { version } from './version.js';

/** Every command, by name, in the order `--help` lists them. */
export const commands: Record<string, Command> = {
  version,
  price,
  iv,
  surface,
  book,
  backtest,
  import: importCmd,
  sample,
  inspect,
  'export-recording': exportRecording,
};
