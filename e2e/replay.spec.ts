// The backtest replay workspace against the real backend (serving the built app), a real Redis and the real wasm
// engine in the replay worker, in Chromium: the sample day, playback, seeking, own orders, and bad input.
import { expect, test } from '@playwright/test';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SHOTS, useBackend } from './fixtures/processes';
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
