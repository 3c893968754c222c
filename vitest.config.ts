import { defineConfig } from 'vitest/config';

// Vitest 5 targets Node >= 22.12; its reporter calls Map.groupBy (Node 21+) when printing failures.
// Until the toolchain moves past Node 20, supply it so failures are reported instead of crashing the reporter.
type GroupBy = <K, V>(items: Iterable<V>, key: (item: V, index: number) => K) => Map<K, V[]>;
const mapCtor = Map as unknown as { groupBy?: GroupBy };
if (typeof mapCtor.groupBy !== 'function') {
  mapCtor.groupBy = <K, V>(items: Iterable<V>, key: (item: V, index: number) => K): Map<K, V[]> => {
    const groups = new Map<K, V[]>();
    let index = 0;
    for (const item of items) {
      const k = key(item, index++);
      const group = groups.get(k);
      if (group) group.push(item);
      else groups.set(k, [item]);
    }
    return groups;
  };
}

export default defineConfig({
  test: {
    include: ['server/test/**/*.test.ts', 'src/**/*.test.ts', 'cli/test/**/*.test.ts'],
    testTimeout: 30000,
  },
});
