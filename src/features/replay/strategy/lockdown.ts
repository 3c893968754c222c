/**
 * Locks a worker scope before user strategies run in it: removes the globals that reach the network, storage,
 * other contexts or a code compiler (own properties and inherited ones: `fetch`, `postMessage`… live on the
 * WorkerGlobalScope prototypes), and makes every kind of function's `constructor` throw, so code that cannot
 * name `Function` cannot reach it through `(function () {}).constructor` either.
 */
import { SHADOWED_GLOBALS } from './host';

/** Removed from the sandbox worker's scope (the lexical shadows in host.ts plus what only a worker has). */
export const LOCKED_GLOBALS: readonly string[] = [
  ...SHADOWED_GLOBALS.filter((n) => n !== 'process' && n !== 'require' && n !== 'module' && n !== 'exports'),
  'onmessageerror', 'Notification', 'ServiceWorker', 'FileReaderSync', 'RTCPeerConnection', 'WebSocketStream',
  'CacheStorage', 'IDBFactory', 'StorageManager', 'LockManager', 'scheduler',
];

/**
 * Deletes each name from `scope` and its prototype chain (Object.prototype excluded); a property that cannot be
 * deleted is overwritten with undefined when it can be. Returns the names that remain reachable.
 */
export function lockGlobals(scope: object, names: readonly string[]): string[] {
  const chain: object[] = [];
  for (let o: object | null = scope; o && o !== Object.prototype; o = Object.getPrototypeOf(o) as object | null) chain.push(o);
  for (const name of names) {
    for (const o of chain) {
      const d = Object.getOwnPropertyDescriptor(o, name);
      if (!d) continue;
      if (d.configurable) {
        delete (o as Record<string, unknown>)[name];
      } else if (d.writable) {
        (o as Record<string, unknown>)[name] = undefined;
      }
    }
  }
  return names.filter((n) => (scope as Record<string, unknown>)[n] !== undefined);
}

/** Makes `constructor` of plain, async, generator and async generator functions a function that throws. */
export function disableFunctionConstructors(): void {
  const blocked = function constructor(): never {
    throw new EvalError('compiling code at run time is not available to strategies');
  };
  const samples: unknown[] = [
    function plain() {},
    async function asyncFn() {},
    function* generator() {},
    async function* asyncGenerator() {},
  ];
  for (const f of samples) {
    const proto = Object.getPrototypeOf(f) as object;
    Object.defineProperty(proto, 'constructor', { value: blocked, writable: false, configurable: false });
  }
}
