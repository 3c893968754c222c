// `npm start`: serves the built workstation with its own local Redis and the simulated market.
// Extra flags pass through to the backend (e.g. `npm start -- --port 9000`).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, say } from './lib/util.mjs';

const args = process.argv.slice(2);
const child = spawn(process.execPath, [join(ROOT, 'build/server/src/main.js'), '--static', join(ROOT, 'dist'), ...args], {
  cwd: ROOT,
  stdio: ['inherit', 'pipe', 'inherit'],
});
let announced = false;
child.stdout.on('data', (d) => {
  process.stdout.write(d);
  const m = !announced && /listening on (http:\/\/[^\s"]+)/.exec(d.toString());
  if (m) {
    announced = true;
    say('start', `Ferrodesk is running: open ${m[1]}/ in a browser (Ctrl+C stops it and its Redis)`);
  }
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
