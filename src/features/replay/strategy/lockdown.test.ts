import { describe, expect, it } from 'vitest';
import { LOCKED_GLOBALS, lockGlobals } from './lockdown';

describe('lockGlobals', () => {
  it('removes own and inherited globals and reports what it could not remove', () => {
    const base = { fetch: () => 1, postMessage: () => 2, keep: 3 };
    const scope = Object.create(base) as Record<string, unknown>;
    scope.self = scope;
    scope.WebSocket = class {};
    Object.defineProperty(scope, 'indexedDB', { value: {}, writable: true, configurable: false });
    Object.defineProperty(scope, 'caches', { value: {}, writable: false, configurable: false });
    const left = lockGlobals(scope, ['self', 'fetch', 'postMessage', 'WebSocket', 'indexedDB', 'caches']);
    expect(left).toEqual(['caches']);
    expect(scope.fetch).toBeUndefined();
    expect(scope.postMessage).toBeUndefined();
    expect(scope.self).toBeUndefined();
    expect(scope.WebSocket).toBeUndefined();
    expect(scope.indexedDB).toBeUndefined();
    expect(scope.keep).toBe(3);
  });

  it('covers the network, storage, messaging and compilers', () => {
    for (const n of ['fetch', 'XMLHttpRequest', 'WebSocket', 'importScripts', 'indexedDB', 'caches', 'postMessage', 'Worker', 'eval', 'Function', 'self', 'globalThis']) {
      expect(LOCKED_GLOBALS).toContain(n);
    }
  });
});
