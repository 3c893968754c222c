// Slider-to-paint latency of the option pricer in Chromium, with the real backend, Redis and wasm engine.
// ~200 slider moves while the mouse is held (10 drags × 21 moves); for each, the time from the input event to the
// animation frame that first shows the new price (src/features/options/latency.ts). Each move waits for its
// sample, so moves never overlap. Writes .bench-out/pricer.json for scripts/bench.mjs.
import { expect, test } from '@playwright/test';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OptionsPage } from './fixtures/options';
import { ROOT, useBackend } from './fixtures/processes';

const DRAGS = 10;
const MOVES = 21;
const WARMUP = 10;

const stack = useBackend();

const pct = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

test('pricer: slider-to-paint latency', async ({ page }) => {
  const opt = new OptionsPage(page);
  await opt.open(stack.backend.url);
  await opt.waitPriced();
  const box = await opt.slider('spot').boundingBox();
  if (!box) throw new Error('spot slider not visible');
  const y = box.y + box.height / 2;
  await page.evaluate(() => window.__ferrodeskPricer?.clearLatencies());
  let expected = 0;
  for (let d = 0; d < DRAGS; d++) {
    const x0 = box.x + box.width * (0.3 + 0.03 * (d % 5));
    await page.mouse.move(x0, y);
    await page.mouse.down();
    expected++;
    await page.waitForFunction((n) => (window.__ferrodeskPricer?.latencies().length ?? 0) >= n, expected);
    for (let m = 1; m < MOVES; m++) {
      await page.mouse.move(x0 + m * 3 * (d % 2 ? -1 : 1), y);
      expected++;
      await page.waitForFunction((n) => (window.__ferrodeskPricer?.latencies().length ?? 0) >= n, expected);
    }
    await page.mouse.up();
  }
  const all = await page.evaluate(() => window.__ferrodeskPricer?.latencies() ?? []);
  expect(all.length).toBe(DRAGS * MOVES);
  const samples = all.slice(WARMUP).sort((a, b) => a - b);
  const stages = (await page.evaluate(() => window.__ferrodeskPricer?.stages() ?? [])).slice(WARMUP);
  const median = (i: number): number => pct(stages.map((s) => s[i] ?? NaN).sort((a, b) => a - b), 50);
  const result = {
    samples: samples.length,
    p50: pct(samples, 50),
    p95: pct(samples, 95),
    max: samples[samples.length - 1] ?? NaN,
    mean: samples.reduce((a, b) => a + b, 0) / samples.length,
    /** Medians, ms after the input event: request sent, reply written to the DOM, frame. */
    stagesP50: { sent: median(0), replied: median(1), frame: median(2) },
  };
  mkdirSync(join(ROOT, '.bench-out'), { recursive: true });
  writeFileSync(join(ROOT, '.bench-out', 'pricer.json'), JSON.stringify(result, null, 2));
  console.log(`pricer slider-to-paint: ${JSON.stringify(result)}`);
});
