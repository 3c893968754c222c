// The live workspace against the real backend, a real Redis and the real wasm engine in Chromium.
import { expect, test } from '@playwright/test';
import { join } from 'node:path';
import { SHOTS, useBackend } from './fixtures/processes';
import { Workstation } from './fixtures/workstation';

const stack = useBackend();

test('the ladder shows at least 20 levels a side, uncrossed, and moves', async ({ page }) => {
  const ws = new Workstation(page);
  await ws.open(stack.backend.url);
  await ws.waitForLadder(20);

  const { bid: bids, ask: asks } = await ws.book();
  expect(bids.prices.length).toBeGreaterThanOrEqual(20);
  expect(asks.prices.length).toBeGreaterThanOrEqual(20);
  const bestBid = bids.prices[0] ?? NaN;
  const bestAsk = asks.prices[0] ?? NaN;
  expect(bestBid).toBeLessThan(bestAsk);
  // Bids strictly descending, asks strictly ascending, sizes positive.
  for (let i = 1; i < bids.prices.length; i++) expect(bids.prices[i]).toBeLessThan(bids.prices[i - 1] ?? 0);
  for (let i = 1; i < asks.prices.length; i++) expect(asks.prices[i]).toBeGreaterThan(asks.prices[i - 1] ?? 0);
  for (const s of [...bids.sizes, ...asks.sizes]) expect(s).toBeGreaterThan(0);
  await page.screenshot({ path: join(SHOTS, 'live-ladder.png') });

  // The book changes over time: some price or size on the first rows differs within a few seconds.
  const before = JSON.stringify([bids, asks]);
  await expect
    .poll(async () => JSON.stringify(Object.values(await ws.book())) !== before, { timeout: 10_000 })
    .toBe(true);

  await expect(page.getByTestId('tape.row').first()).toBeVisible();
  await expect(page.getByTestId('chart.price').locator('canvas').first()).toBeVisible();
});

test('settings come back from Redis after a reload and a backend restart', async ({ page, context }) => {
  const ws = new Workstation(page);
  const wsName = `e2e-${Date.now()}`;
  await ws.open(stack.backend.url, `?ws=${wsName}`);
  await ws.waitForLadder(5);

  await ws.instrument.selectOption('ETH-USD');
  const themeBefore = await ws.documentTheme();
  await ws.theme.click();
  const themeAfter = await ws.documentTheme();
  expect(themeAfter).not.toBe(themeBefore);
  await expect(ws.saveStatus).toHaveText(/saved/i);
  await expect(ws.saveStatus).not.toHaveText(/not saved|saving/i);

  // Prove it is the server's copy that comes back: wipe every browser-side store first.
  await page.evaluate(() => {
    localStorage.clear();
    sessionStorage.clear();
  });
  await page.reload();
  await expect(ws.status).toHaveAttribute('data-state', 'connected');
  await expect(ws.instrument).toHaveValue('ETH-USD');
  expect(await ws.documentTheme()).toBe(themeAfter);

  await stack.backend.stop();
  await stack.backend.start();
  await context.clearCookies();
  const fresh = await context.newPage();
  const ws2 = new Workstation(fresh);
  await ws2.open(stack.backend.url, `?ws=${wsName}`);
  await expect(ws2.instrument).toHaveValue('ETH-USD');
  expect(await ws2.documentTheme()).toBe(themeAfter);
  await ws2.waitForLadder(20);
  const bestBid = (await ws2.side('bid')).prices[0] ?? NaN;
  // ETH-USD trades in the thousands, BTC-USD in the tens of thousands: the book shown is the saved instrument's.
  expect(bestBid).toBeLessThan(20_000);
});

test('killing the backend shows disconnected, and the book recovers when it returns', async ({ page }) => {
  const ws = new Workstation(page);
  await ws.open(stack.backend.url);
  await ws.waitForLadder(20);

  await stack.backend.kill();
  await expect(ws.status).toHaveText(/disconnected|reconnecting/);
  await page.screenshot({ path: join(SHOTS, 'live-disconnected.png') });

  await stack.backend.start();
  await expect(ws.status).toHaveAttribute('data-state', 'connected', { timeout: 30_000 });
  await ws.waitForLadder(20);
  const { bid: bids, ask: asks } = await ws.book();
  expect(bids.prices[0] ?? NaN).toBeLessThan(asks.prices[0] ?? NaN);
});
