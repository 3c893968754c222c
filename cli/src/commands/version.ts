import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../args.js';
import type { Command } from '../command.js';
import { loadWasm, projectRoot } from '../wasm.js';

export const version: Command = {
  summary: 'print the package and engine versions',
  usage: 'ferrodesk version',
  async run(argv) {
    if (argv.length) throw new UsageError(`'version' takes no arguments, got '${argv.join(' ')}'`);
    const pkg = JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version: string };
    const wasm = await loadWasm();
    process.stdout.write(`ferrodesk ${pkg.version}\nengine ${wasm.engineVersion()} (wasm)\n`);
    return 0;
  },
};
