// The backtest replay workspace against the real backend (serving the built app), a real Redis and the real wasm
// engine in the replay worker, in Chromium: the sample day, playback, seeking, own orders, and bad input.
import { expect, test } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, SHOTS, useBackend } from './fixtures/processes';
import { ReplayPage } from './fixtures/replayPage';

const stack = useBackend();

test('the sample day runs the market maker and plays, steps and seeks like a video', async ({ page }) => {
  test.setTimeout(180_000);
  const r = new ReplayPage(page);
  await r.open(stack.backend.url);
  await expect(r.play).toBeDisabled();
  const events = await r.loadSample(7, 10);
  expect(events).toBeGreaterThan(10_000);

  await r.runBacktest();
  expect(await r.stat('events')).toBe(events.toLocaleString('en-US'));
  expect(Number((await r.stat('fills')).replace(/,/g, ''))).toBeGreaterThan(0);
  await expect(r.cursor).toHaveAttribute('data-index', '0');

  // Play at 100×: the cursor and the clock advance; pause holds them.
  await r.speed.selectOption('100');
  await r.play.click();
  await expect.poll(() => r.index(), { timeout: 20_000 }).toBeGreaterThan(1000);
  await r.play.click();
  const paused = await r.index();
  await page.waitForTimeout(300);
  expect(await r.index()).toBe(paused);

  // Step moves by one receive-time group; → does the same from the keyboard.
  await r.step.click();
  await expect.poll(() => r.index()).toBeGreaterThan(paused);
  const stepped = await r.index();
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => r.index()).toBeGreaterThan(stepped);

  // Seek by clicking the timeline: to about the middle, then back near the start.
  await r.seekTo(0.5);
  await expect.poll(() => r.index()).toBeGreaterThan(events * 0.3);
  const mid = await r.index();
  expect(mid).toBeLessThan(events * 0.7);
  await r.seekTo(0.1);
  await expect.poll(() => r.index()).toBeLessThan(mid);

  // The ladder shows the book at the cursor with the market maker's own orders and their queue position.
  await r.seekTo(0.6);
  await expect(page.getByTestId('replay.ladder.own').filter({ hasText: '▸' }).first()).toBeVisible();
  await expect(page.getByTestId('replay.ladder.spread')).toContainText('spread');
  await page.getByTestId('replay.tab.orders').click();
  await expect(page.getByTestId('replay.orders').locator('tbody tr').first()).toBeVisible();
  await page.getByTestId('replay.tab.fills').click();
  await expect(page.getByTestId('replay.fills').locator('tbody tr').first()).toBeVisible();
  await page.screenshot({ path: join(SHOTS, 'replay-sample.png') });

  // Space plays, Home goes back to the start.
  await page.keyboard.press('Space');
  await expect(r.play).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('Space');
  await expect(r.play).toHaveAttribute('aria-pressed', 'false');
  await page.keyboard.press('Home');
  await expect.poll(() => r.index()).toBeLessThan(10);
});

test('bad input gets a readable error and nothing runs', async ({ page }) => {
  const r = new ReplayPage(page);
  await r.open(stack.backend.url);
  // A file that is not an Arrow dataset.
  const junk = join(tmpdir(), `ferrodesk-junk-${process.pid}.arrow`);
  writeFileSync(junk, 'this is not arrow');
  await page.getByTestId('replay.file').setInputFiles(junk);
  await expect(r.error).toContainText(/arrow|Arrow|ARROW/);
  await expect(r.info).toHaveCount(0);

  await r.loadSample(3, 2);
  await r.field('spreadTicks').fill('1.5');
  await r.run.click();
  await expect(r.fieldError).toHaveText('Spread (ticks) 1.5 must be a whole number');
  await expect(r.field('spreadTicks')).toHaveAttribute('aria-invalid', 'true');
  await expect(r.summary).toHaveCount(0);
});

const SPOT = join(ROOT, '..', 'shared', 'data', 'orderbook', 'binance', 'spot_btcusdt_20240808.gz');

test('the BTCUSDT recording dropped into the browser runs the market maker with the numbers the CLI gives, and two runs compare', async ({ page }) => {
  test.skip(!existsSync(SPOT), `${SPOT} is absent (../shared/data): the real-recording replay is skipped`);
  test.setTimeout(240_000);
  const r = new ReplayPage(page);
  await r.open(stack.backend.url);
  // The raw capture, as recorded (gzip text); the worker recognises Binance spot and converts it.
  const events = await r.loadFile(SPOT);
  await expect(r.info).toContainText('binance-spot');
  await expect(r.info).toContainText('BTCUSDT');
  expect(events).toBe(135_830);

  // BTCUSDT has 6 decimals of quantity: 0.001 BTC quotes, at most 0.005 BTC of inventory.
  await r.field('orderQty').fill('0.001');
  await r.field('maxPosition').fill('0.005');
  await r.runBacktest();
  const ui = async (k: string): Promise<number> =>
    Number(await page.getByTestId(`replay.stat.${k}`).getAttribute('data-value'));
  const first = { pnl: await ui('pnl'), fills: await ui('fills'), orders: await ui('orders'), fees: await ui('fees') };
  expect(first.fills).toBeGreaterThan(0);

  // The CLI command the workspace shows gives the same numbers.
  const cli = (await page.getByTestId('replay.cli').inputValue());
  const config = /--config '(.*)'$/.exec(cli)?.[1] ?? '';
  expect(config).toContain('"kind":"mm"');
  const out = spawnSync(process.execPath, [join(ROOT, 'cli/bin/ferrodesk.mjs'), 'backtest', '--data', SPOT,
    '--venue', 'binance-spot', '--strategy', 'mm', '--config', config], { encoding: 'utf8' });
  expect(out.stderr).toBe('');
  const s = JSON.parse(out.stdout) as Record<string, number>;
  expect(s.fills).toBe(first.fills);
  expect(s.orders).toBe(first.orders);
  expect(s.pnl).toBeCloseTo(first.pnl, 9);
  expect(s.fees).toBeCloseTo(first.fees, 9);

  // Seek around the real data: the book at the cursor is BTCUSDT's.
  await r.seekTo(0.5);
  await expect(page.getByTestId('replay.ladder.spread')).toContainText('spread 0.01');
  await r.seekTo(0.9);
  await expect.poll(() => r.index()).toBeGreaterThan(events * 0.8);

  // Save this run, run again with 5 ms of feed latency, save that too, and compare them.
  await page.getByTestId('replay.save.name').fill('BTCUSDT MM 0.5 ms feed');
  await page.getByTestId('replay.save.button').click();
  await expect(page.getByTestId('replay.save.status')).toContainText('saved as');
  await r.field('feed.a').fill('5000');
  await r.runBacktest();
  await page.getByTestId('replay.save.name').fill('BTCUSDT MM 5 ms feed');
  await page.getByTestId('replay.save.button').click();
  await expect(page.getByTestId('replay.save.status')).toContainText('saved as');

  await page.getByTestId('replay.tab.runs').click();
  const rows = page.getByTestId('runs.item');
  await expect(rows).toHaveCount(2);
  await rows.nth(0).getByRole('checkbox').check();
  await rows.nth(1).getByRole('checkbox').check();
  await page.getByTestId('runs.compare').click();
  const cmp = page.getByTestId('replay.compare');
  await expect(cmp).toBeVisible();
  await expect(cmp).toContainText('BTCUSDT MM 0.5 ms feed');
  await expect(cmp).toContainText('BTCUSDT MM 5 ms feed');
  await expect(cmp).toContainText('feedLatency');
  await page.screenshot({ path: join(SHOTS, 'replay-compare.png') });
  await page.keyboard.press('Escape');
  await expect(cmp).toHaveCount(0);
});

test('a strategy written in the editor runs in its sandbox, replays, and its errors show their line', async ({ page }) => {
  test.setTimeout(180_000);
  const r = new ReplayPage(page);
  await r.open(stack.backend.url);
  await r.loadSample(5, 3);
  await r.field('strategy').selectOption('js');
  await r.run.click();
  // The side panel's Run points to the editor, which opens.
  await expect(r.error).toContainText('Strategy code tab');
  await expect(page.getByTestId('strat.editor')).toBeVisible();

  await page.getByTestId('strat.template').selectOption('market-maker');
  await page.getByTestId('strat.params').fill('{"spreadTicks":2,"skewTicksPerLot":0.5,"orderQtyLots":100,"maxPositionLots":500,"requoteTicks":1}');
  await page.getByTestId('strat.run').click();
  await expect(r.summary).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId('replay.busy')).toHaveCount(0, { timeout: 120_000 });
  expect(Number(await page.getByTestId('replay.stat.orders').getAttribute('data-value'))).toBeGreaterThan(0);
  // The recorded run replays: play, then seek back.
  await r.speed.selectOption('100');
  await r.play.click();
  await expect.poll(() => r.index(), { timeout: 20_000 }).toBeGreaterThan(500);
  await r.play.click();
  await r.seekTo(0.05);
  await expect.poll(() => r.index()).toBeGreaterThan(0);

  // A runtime error: the run stops, the editor marks line 3.
  const source = page.getByTestId('strat.source');
  await source.fill('function onBook(ctx, book) {\n  const none = null;\n  return none.price;\n}\n');
  await page.getByTestId('strat.run').click();
  await expect(page.getByTestId('strat.error')).toContainText('line 3');
  await expect(page.getByTestId('strat.errorLine')).toBeVisible();
  await expect(r.error).toContainText('onBook');

  // An infinite loop is stopped by the time budget.
  await source.fill('function onBook() {\n  for (;;) {}\n}\n');
  await page.getByTestId('strat.run').click();
  await expect(page.getByTestId('strat.error')).toContainText('time budget', { timeout: 30_000 });
  await expect(page.getByTestId('replay.busy')).toHaveCount(0);
});
