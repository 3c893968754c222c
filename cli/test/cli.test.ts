// The `ferrodesk` command as a user runs it: the launcher, the compiled CLI and the real wasm engine.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { intFlag, parseFlags, UsageError } from '../src/args';
import { ferrodesk } from './run';

const ROOT = resolve(import.meta.dirname, '..', '..');


describe('ferrodesk CLI', () => {
  it('prints help listing its commands', () => {
    const r = ferrodesk('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: ferrodesk <command>/);
    expect(r.stdout).toMatch(/version\s+print the package and engine versions/);
  });

  it('prints the package and engine versions from the wasm build', () => {
    const r = ferrodesk('version');
    expect(r.code).toBe(0);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const cargo = readFileSync(join(ROOT, 'core-wasm/Cargo.toml'), 'utf8');
    const engineVersion = /\[workspace\.package\][^[]*?version = "([^"]+)"/s.exec(cargo)?.[1];
    expect(r.stdout).toContain(`ferrodesk ${pkg.version}`);
    expect(r.stdout).toContain(`engine ${engineVersion} (wasm)`);
  });

  it('rejects an unknown command with exit code 2 and the help text', () => {
    const r = ferrodesk('frobnicate');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown command 'frobnicate'");
  });

  it('rejects stray arguments to version', () => {
    const r = ferrodesk('version', 'extra');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("got 'extra'");
  });
});

describe('flag parsing', () => {
  const spec = { in: { value: true, required: true }, depth: { value: true }, json: { value: false } };

  it('parses values, switches and --flag=value', () => {
    expect(parseFlags(['--in', 'a.gz', '--depth=5', '--json'], spec)).toEqual({ in: 'a.gz', depth: '5', json: true });
  });

  it('names the flag and value in every error', () => {
    expect(() => parseFlags(['--nope'], spec)).toThrow(/unknown flag '--nope'/);
    expect(() => parseFlags(['--in'], spec)).toThrow(/'--in' needs a value/);
    expect(() => parseFlags([], spec)).toThrow(/missing required flag '--in'/);
    expect(() => parseFlags(['--in', 'a', '--in', 'b'], spec)).toThrow(/given twice/);
    expect(() => parseFlags(['--in', 'a', '--json=1'], spec)).toThrow(/takes no value, got '1'/);
    expect(() => parseFlags(['stray'], spec)).toThrow(UsageError);
  });

  it('checks integer flags against their range', () => {
    const f = parseFlags(['--in', 'x', '--depth', '0'], spec);
    expect(() => intFlag(f, 'depth', 10, 1, 5000)).toThrow(/--depth must be between 1 and 5000, got 0/);
    expect(() => intFlag({ depth: '1.5' }, 'depth', 10, 1, 5000)).toThrow(/must be an integer, got '1.5'/);
    expect(intFlag({}, 'depth', 10, 1, 5000)).toBe(10);
  });
});
