import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../src/config.js';
import { locateJsonError } from '../src/jsonError.js';
import { validateWorkspace } from '../src/workspace/schema.js';
import { parseClientMessage } from '../src/ws/clientMessages.js';
import { MessageRateLimiter } from '../src/ws/rateLimit.js';
import { tempDir } from './helpers.js';

describe('workspace schema', () => {
  it('accepts a valid body and keeps only known fields', () => {
    const body = { instrument: 'BTC-USD', theme: 'light', panels: { ladder: 0.25, chart: 0.75, trades: 0 }, grouping: 10 };
    expect(validateWorkspace(body)).toEqual({ ok: true, value: body });
    const noGrouping = { instrument: 'ETH-USD', theme: 'dark', panels: {} };
    expect(validateWorkspace(noGrouping)).toEqual({ ok: true, value: noGrouping });
  });

  it('lists every offending field with its path, value and reason', () => {
    const result = validateWorkspace({
      instrument: 42,
      theme: 'blue',
      panels: { ladder: 1.5, chart: 'wide', 'bad key': 0.5 },
      grouping: 2.5,
      colour: 'red',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toEqual([
      { path: '$.instrument', value: 42, reason: 'expected a string, got number' },
      { path: '$.theme', value: 'blue', reason: 'expected one of "dark", "light"' },
      { path: '$.panels.ladder', value: 1.5, reason: 'expected a value from 0 to 1' },
      { path: '$.panels.chart', value: 'wide', reason: 'expected a number, got string' },
      { path: '$.panels["bad key"]', value: 'bad key', reason: expect.stringContaining('invalid key') },
      { path: '$.grouping', value: 2.5, reason: 'expected an integer' },
      { path: '$.colour', value: 'red', reason: expect.stringContaining('unknown field') },
    ]);
  });

  it('reports missing fields and a non-object root', () => {
    const missing = validateWorkspace({ theme: 'dark' });
    expect(missing.ok ? [] : missing.issues.map((i) => [i.path, i.reason])).toEqual([
      ['$.instrument', 'required field is missing'],
      ['$.panels', 'required field is missing'],
    ]);
    const notObject = validateWorkspace([1, 2]);
    expect(notObject.ok ? [] : notObject.issues).toEqual([{ path: '$', value: '[1,2]', reason: 'expected an object, got array' }]);
  });

  it('bounds sizes: instrument length, panel count, NaN-free numbers', () => {
    const panels = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`p${i}`, 0.1]));
    const r = validateWorkspace({ instrument: 'X'.repeat(65), theme: 'dark', panels });
    expect(r.ok ? [] : r.issues.map((i) => i.path)).toEqual(['$.instrument', '$.panels']);
  });
});

describe('locateJsonError', () => {
  const cases: Array<[string, number]> = [
    ['', 0],
    ['xyz', 0],
    ['{a}', 1],
    ['{"a":1,}', 7],
    ['[1,2', 4],
    ['{"a": tru}', 9],
    ['  {"a":1} x', 10],
    ['{"a":"\u0001"}', 6],
    ['{"a":01}', 6],
    ['{"a":"\\x"}', 7],
    ['[[[[', 4],
  ];
  for (const [text, position] of cases) {
    it(`finds position ${position} in ${JSON.stringify(text)}`, () => {
      expect(() => JSON.parse(text)).toThrow();
      expect(locateJsonError(text)?.position).toBe(position);
    });
  }

  it('agrees with valid JSON, reports lines and columns, survives deep nesting', () => {
    expect(locateJsonError('{"a":[1,2,{"b":null}],"c":"\\u00e9"}')).toBeNull();
    expect(locateJsonError('{\n  "a": 1,\n  "b": }')).toMatchObject({ position: 19, line: 3, column: 8, reason: 'unexpected character "}"' });
    const deep = '['.repeat(200_000);
    expect(locateJsonError(deep)).toMatchObject({ position: 200_000, reason: 'unexpected end of input' });
  });
});

describe('client message validation', () => {
  const known = ['BTC-USD', 'ETH-USD'];
  it('accepts every request type', () => {
    expect(parseClientMessage('{"type":"subscribe","reqId":1,"instrument":"BTC-USD"}', known)).toEqual({
      ok: true,
      msg: { type: 'subscribe', reqId: 1, instrument: 'BTC-USD' },
    });
    expect(parseClientMessage('{"type":"subscribe","reqId":2,"instrument":"ETH-USD","channels":["trades"],"x":1}', known)).toEqual({
      ok: true,
      msg: { type: 'subscribe', reqId: 2, instrument: 'ETH-USD', channels: ['trades'] },
    });
    expect(parseClientMessage('{"type":"ping","reqId":3,"ts":12.5}', known)).toEqual({ ok: true, msg: { type: 'ping', reqId: 3, ts: 12.5 } });
  });

  it('names the field, value and reason of each rejection', () => {
    const reject = (text: string) => parseClientMessage(text, known);
    expect(reject('{"type":"subscribe",')).toMatchObject({ ok: false, code: 'bad_json', message: expect.stringContaining('position 20') });
    expect(reject('[1]')).toMatchObject({ code: 'bad_message', message: 'message must be a JSON object, got an array' });
    expect(reject('{"type":"order","reqId":4}')).toEqual({
      ok: false,
      code: 'bad_message',
      message: 'field "type" has value "order": unknown message type, expected one of subscribe, unsubscribe, resync, ping',
      reqId: 4,
    });
    expect(reject('{"type":"ping","reqId":-1,"ts":1}')).toMatchObject({ code: 'bad_message', message: 'field "reqId" has value -1: expected a non-negative integer' });
    expect(reject('{"type":"ping","reqId":1}')).toMatchObject({ message: 'field "ts" is missing: expected a number (client time in ms)', reqId: 1 });
    expect(reject('{"type":"resync","reqId":5,"instrument":"DOGE-USD"}')).toEqual({
      ok: false,
      code: 'unknown_instrument',
      message: 'field "instrument" has value "DOGE-USD": unknown instrument, expected one of BTC-USD, ETH-USD',
      reqId: 5,
    });
    expect(reject('{"type":"subscribe","reqId":6,"instrument":"BTC-USD","channels":["book","quotes"]}')).toMatchObject({
      message: 'field "channels[1]" has value "quotes": expected "book" or "trades"',
    });
    expect(reject('{"type":"subscribe","reqId":7,"instrument":"BTC-USD","channels":[]}')).toMatchObject({ message: expect.stringContaining('at least one') });
  });
});

describe('MessageRateLimiter', () => {
  it('allows the limit, notifies once per window, then declares a sustained flood', () => {
    const limiter = new MessageRateLimiter({ perSecond: 3, floodWindows: 3, floodFactor: 100 });
    const window = (t: number, n: number): string[] => Array.from({ length: n }, () => limiter.check(t));
    expect(window(0, 5)).toEqual(['allow', 'allow', 'allow', 'drop-and-notify', 'drop']);
    expect(window(1000, 4)).toEqual(['allow', 'allow', 'allow', 'drop-and-notify']);
    expect(window(2000, 4)).toEqual(['allow', 'allow', 'allow', 'flood']);
  });

  it('forgets old windows, and closes at once on an extreme burst', () => {
    const limiter = new MessageRateLimiter({ perSecond: 2, floodWindows: 3, floodFactor: 5 });
    expect(Array.from({ length: 3 }, () => limiter.check(0))).toEqual(['allow', 'allow', 'drop-and-notify']);
    expect(Array.from({ length: 3 }, () => limiter.check(5000))).toEqual(['allow', 'allow', 'drop-and-notify']);
    const burst = Array.from({ length: 11 }, () => limiter.check(9000));
    expect(burst.at(-1)).toBe('flood');
    expect(burst.filter((d) => d === 'flood')).toHaveLength(1);
  });
});

describe('parseConfig', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    dir = await tempDir('config');
    mkdirSync(join(dir.path, 'dist'));
    writeFileSync(join(dir.path, 'dist', 'index.html'), '<!doctype html>');
    mkdirSync(join(dir.path, 'empty'));
    writeFileSync(join(dir.path, 'file'), 'x');
  });
  afterAll(() => dir.remove());

  it('applies defaults, environment fallbacks, and flags over environment', () => {
    const config = parseConfig(['--seed', '7'], {}, dir.path);
    expect(config).toMatchObject({ host: '127.0.0.1', port: 8787, redisUrl: null, dataDir: join(dir.path, '.data'), seed: 7, rate: 20 });
    const env = { PORT: '9000', HOST: 'localhost', REDIS_URL: 'redis://127.0.0.1:6390', FERRODESK_DATA_DIR: 'state' };
    expect(parseConfig([], env, dir.path)).toMatchObject({ port: 9000, host: 'localhost', redisUrl: env.REDIS_URL, dataDir: join(dir.path, 'state') });
    expect(parseConfig(['--port=9100', '--static', 'dist'], env, dir.path)).toMatchObject({ port: 9100, staticDir: join(dir.path, 'dist') });
    expect(parseConfig(['--help'], {}, dir.path)).toBe('help');
  });

  it('names the argument, the value and the reason', () => {
    const fails = (argv: string[], env: NodeJS.ProcessEnv = {}): string => {
      try {
        parseConfig(argv, env, dir.path);
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        return (err as Error).message;
      }
      throw new Error(`accepted ${argv.join(' ')}`);
    };
    expect(fails(['--port', 'abc'])).toBe('invalid --port "abc": expected an integer from 0 to 65535');
    expect(fails([], { PORT: '70000' })).toBe('invalid PORT (environment) "70000": expected an integer from 0 to 65535');
    expect(fails(['--host', 'bad host'])).toBe('invalid --host "bad host": expected an IP address or a host name');
    expect(fails(['--redis-url', 'http://x'])).toBe('invalid --redis-url "http://x": expected the redis: or rediss: scheme, got http:');
    expect(fails(['--static', 'empty'])).toMatch(/^invalid --static "empty": .*has no index.html$/);
    expect(fails(['--static', 'missing'])).toMatch(/does not exist/);
    expect(fails(['--data-dir', 'file'])).toMatch(/^invalid --data-dir "file": .* is not a directory$/);
    expect(fails(['--seed', '-1'])).toMatch(/^invalid --seed "-1"/);
    expect(fails(['--rate', '0'])).toBe('invalid --rate "0": expected an integer from 1 to 1000');
    expect(fails(['--log-level', 'loud'])).toBe('invalid --log-level "loud": expected one of debug, info, warn, error');
    expect(fails(['--port'])).toBe('invalid --port "": a value is required');
    expect(fails(['--verbose'])).toMatch(/^invalid argument "--verbose": unknown option/);
    expect(fails(['--record', '10'])).toBe('invalid --record "10": expected an integer from 1000 to 1000000000');
    expect(fails(['--allow-origin', 'localhost:5173'])).toBe(
      'invalid --allow-origin "localhost:5173": "localhost:5173" is not an origin (http(s)://host[:port], no path)');
    expect(fails([], { FERRODESK_ALLOW_ORIGIN: 'http://a.example/path' })).toMatch(/^invalid FERRODESK_ALLOW_ORIGIN \(environment\)/);
  });

  it('reads the recorder retention and the origin allow-list', () => {
    expect(parseConfig(['--record', '50000', '--allow-origin', 'http://localhost:5173, https://desk.example'], {}, dir.path))
      .toMatchObject({ recordMaxLen: 50000, allowedOrigins: ['http://localhost:5173', 'https://desk.example'] });
    expect(parseConfig([], {}, dir.path)).toMatchObject({ recordMaxLen: null, allowedOrigins: [], feed: 'local' });
    expect(parseConfig(['--feed', 'subscribe'], {}, dir.path)).toMatchObject({ feed: 'subscribe' });
    expect(() => parseConfig(['--feed', 'both'], {}, dir.path)).toThrow('invalid --feed "both": expected one of local, publish, subscribe');
  });
});
