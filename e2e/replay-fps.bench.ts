// Frame rate of the visual replay in Chromium: the real Binance BTCUSDT recording dropped into the Replay
// workspace, the market maker run, then played at 100× (and at "max") while the page counts its animation frames
// and the replay frames the worker delivered. Writes .bench-out/replay.json for scripts/bench.mjs.
import { expect, test } from '@playwright/test';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, useBackend } from './fixtures/processes';
import { ReplayPage } from './fixtures/replayPage';

const SPOT = join(ROOT, '..', 'shared', 'data', 'orderbook', 'binance', 'spot_btcusdt_20240808.gz');
const stack = useBackend();

interface Measure {
  fps: number;
  replayFps: number;
  p99FrameMs: number;
  seconds: number;
}

test('replay: frames per second at 100× on BTCUSDT', async ({ page }) => {
  test.skip(!existsSync(SPOT), `${SPOT} is absent: the replay benchmark needs ../shared/data`);
  const r = new ReplayPage(page);
  await r.open(stack.backend.url);
  await r.loadFile(SPOT);
  await r.field('orderQty').fill('0.001');
  await r.field('maxPosition').fill('0.005');
  await r.runBacktest();

  const measure = async (speed: string, ms: number): Promise<Measure> => {
    await page.keyboard.press('Home');
    await expect.poll(() => r.index()).toBeLessThan(10);
    await r.speed.selectOption(speed);
    await page.evaluate(() => {
      const w = window as unknown as { __fpsTimes: number[]; __fpsRun: boolean };
      w.__fpsTimes = [];
      w.__fpsRun = true;
      const loop = (t: number): void => {
        if (!w.__fpsRun) return;
        w.__fpsTimes.push(t);
        requestAnimationFrame(loop);
      };
      requestAnimationFrame(loop);
    });
    const f0 = await page.evaluate(() => (window as unknown as { __ferrodeskReplay?: { framesReceived(): number } }).__ferrodeskReplay?.framesReceived() ?? 0);
    await r.play.click();
    await page.waitForTimeout(ms);
    const f1 = await page.evaluate(() => (window as unknown as { __ferrodeskReplay?: { framesReceived(): number } }).__ferrodeskReplay?.framesReceived() ?? 0);
    await r.play.click();
    const times = await page.evaluate(() => {
      const w = window as unknown as { __fpsTimes: number[]; __fpsRun: boolean };
      w.__fpsRun = false;
      return w.__fpsTimes;
    });
    const gaps = times.slice(1).map((t, i) => t - (times[i] ?? t)).sort((a, b) => a - b);
    const span = ((times[times.length - 1] ?? 0) - (times[0] ?? 0)) / 1000;
    return {
      fps: (times.length - 1) / span,
      replayFps: (f1 - f0) / (ms / 1000),
      p99FrameMs: gaps[Math.floor(gaps.length * 0.99)] ?? NaN,
      seconds: span,
    };
  };
  // The recording is ~346 s long: 3 s of wall time at 100× stays inside it.
  const at100 = await measure('100', 3000);
  mkdirSync(join(ROOT, '.bench-out'), { recursive: true });
  writeFileSync(join(ROOT, '.bench-out', 'replay.json'), JSON.stringify({ at100 }, null, 2));
  console.log(JSON.stringify({ at100 }));
  expect(at100.fps).toBeGreaterThan(0);
});
