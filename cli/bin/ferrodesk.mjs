#!/usr/bin/env node
// Launcher for the `ferrodesk` command: runs the compiled CLI (build/cli/src/main.js).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const main = join(root, 'build', 'cli', 'src', 'main.js');
if (!existsSync(main)) {
  process.stderr.write('ferrodesk: the CLI is not built yet; run `npm start` or `node scripts/build.mjs` first\n');
  process.exit(1);
}
const { main: run } = await import(pathToFileURL(main).href);
process.exitCode = await run(process.argv.slice(2));
