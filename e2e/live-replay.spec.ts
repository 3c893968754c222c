// The live workspace fed by a replayed venue recording (--replay) instead of the simulator: the real backend
// replaying the Binance BTCUSDT spot recording (../shared/data), a real Redis and the real wasm engine in Chromium.
import { expect, test } from '@playwright/test';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ROOT, SHOTS, useBackend } from './fixtures/processes';
import { Workstation } from './fixtures/workstation';

const DATA = process.env.FERRODESK_SHARED_DATA ?? resolve(ROOT, '..', 'shared', 'data');
const SPOT = join(DATA, 'orderbook', 'binance', 'spot_btcusdt_20240808.gz');
const hasData = existsSync(SPOT);
if (!hasData) console.warn(`skipping the live replay e2e test: ${SPOT} is absent (set FERRODESK_SHARED_DATA)`);

test.skip(!hasData, `${SPOT} is absent`);

const stack = useBackend({ backendArgs: ['--replay', SPOT, '--replay-venue', 'binance-spot', '--replay-speed', '10'] });

test('the ladder shows the replayed BTCUSDT book and the header changes the replay speed', async ({ page }) => {
  const ws = new Workstation(page);
  await ws.open(stack.backend.url);
  await expect(ws.instrument).toHaveValue('BTCUSDT');
  await ws.waitForLadder(10);

  const { bid, ask } = await ws.book();
  const bestBid = bid.prices[0] ?? NaN;
  const bestAsk = ask.prices[0] ?? NaN;
  expect(bestBid).toBeGreaterThan(56_000);
  expect(bestAsk).toBeLessThan(62_000);
  expect(bestBid).toBeLessThan(bestAsk);

  const replay = page.getByTestId('feed.replay');
  await expect(replay).toBeVisible();
  await expect(page.getByTestId('feed.replay-source')).toHaveText('spot_btcusdt_20240808.gz');
  const speed = page.getByTestId('feed.speed');
  await expect(speed).toHaveValue('10');
  await speed.selectOption('100');
  await expect(speed).toHaveValue('100');
  await expect(speed).toBeEnabled();
  const state = (await (await page.request.get(`${stack.backend.url}/api/feed/speed`)).json()) as { speed: number };
  expect(state.speed).toBe(100);

  // Still real BTCUSDT data, and moving.
  const before = JSON.stringify(await ws.book());
  await expect.poll(async () => JSON.stringify(await ws.book()) !== before, { timeout: 10_000 }).toBe(true);
  await expect(page.getByTestId('tape.row').first()).toBeVisible();
  await page.screenshot({ path: join(SHOTS, 'live-replay.png') });
});
