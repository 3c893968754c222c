// The `ferrodesk` command: the engine headless in Node. Each command lives in its own module under commands/.
import { UsageError } from './args.js';
import { commands } from './commands/index.js';

function help(): string {
  const width = Math.max(...Object.keys(commands).map((k) => k.length));
  const lines = Object.entries(commands).map(([k, c]) => `  ${k.padEnd(width)}  ${c.summary}`);
  return [
    'ferrodesk — the Ferrodesk engine on the command line',
    '',
    'Usage: ferrodesk <command> [flags]',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `ferrodesk <command> --help` for a command\'s flags.',
    '',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(help());
    return 0;
  }
  if (name === '--version') return main(['version']);
  const cmd = commands[name];
  if (!cmd) {
    process.stderr.write(`ferrodesk: unknown command '${name}'\n\n${help()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${cmd.summary}\n\nUsage: ${cmd.usage}\n`);
    return 0;
  }
  try {
    return await cmd.run(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`ferrodesk ${name}: ${e.message}\nUsage: ${cmd.usage}\n`);
      return 2;
    }
    process.stderr.write(`ferrodesk ${name}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}
