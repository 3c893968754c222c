import type { Command } from '../command.js';
import { version } from './version.js';

/** Every command, by name, in the order `--help` lists them. */
export const commands: Record<string, Command> = {
  version,
};
