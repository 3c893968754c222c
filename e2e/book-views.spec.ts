// Book views against the real backend, a real Redis and the real wasm engine in Chromium: the ladder's sweep
// tooltip and click-to-copy.
import { expect, test } from '@playwright/test';
import { join } from 'node:path';
import { SHOTS, useBackend } from './fixtures/processes';
import { Workstation } from './fixtures/workstation';

const stack = useBackend();

const num = (s: string): number => Number(s.replace(/[,\s]/g, ''));

test('hovering a ladder row shows the sweep to it; click and Enter copy its price', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.backend.url });
  const ws = new Workstation(page);
  await ws.open(stack.backend.url);
  await ws.waitForLadder(10);

  const bids = page.locator('[data-testid="ladder.row"][data-side="bid"]');
  const target = bids.nth(4);
  await target.hover();
  const tip = page.getByTestId('ladder.tooltip');
  await expect(tip).toBeVisible();

  // Rows and tooltip read in one page task: both are written by the same paint.
  const read = await page.evaluate(() => {
    const rows = [...document.querySelectorAll('[data-testid="ladder.row"][data-side="bid"]')].slice(0, 5);
    const text = (el: Element | null): string => el?.textContent ?? '';
    return {
      rows: rows.map((r) => ({
        price: text(r.querySelector('[data-testid="ladder.price"]')),
        size: text(r.querySelector('[data-testid="ladder.size"]')),
        cum: text(r.querySelector('[data-testid="ladder.cum"]')),
      })),
      avg: text(document.querySelector('[data-testid="ladder.tooltip.avg"]')),
      qty: text(document.querySelector('[data-testid="ladder.tooltip.qty"]')),
      notional: text(document.querySelector('[data-testid="ladder.tooltip.notional"]')),
    };
  });
  const qty = read.rows.reduce((a, r) => a + num(r.size), 0);
  const notional = read.rows.reduce((a, r) => a + num(r.price) * num(r.size), 0);
  expect(num(read.qty)).toBeCloseTo(qty, 8);
  expect(num(read.qty)).toBeCloseTo(num(read.rows[4]?.cum ?? ''), 8);
  const avgDecimals = (read.avg.split('.')[1] ?? '').length;
  expect(num(read.avg)).toBeCloseTo(notional / qty, avgDecimals - 1);
  expect(num(read.notional)).toBeCloseTo(notional, 1);
  // The average of a sweep down the bids lies between the best bid and the row's price.
  expect(num(read.avg)).toBeLessThanOrEqual(num(read.rows[0]?.price ?? ''));
  expect(num(read.avg)).toBeGreaterThanOrEqual(num(read.rows[4]?.price ?? ''));
  await page.screenshot({ path: join(SHOTS, 'ladder-tooltip.png') });

  // Click copies the price shown; the tooltip confirms with that price.
  const title = page.getByTestId('ladder.tooltip.title');
  await target.click();
  await expect(title).toHaveText(/^Copied /);
  await expect(target).toHaveAttribute('data-copied', 'true');
  const copied = (await title.textContent())?.replace(/^Copied /, '') ?? '';
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(copied);

  // Keyboard: focus an ask row, Enter copies it.
  await page.evaluate(() => navigator.clipboard.writeText(''));
  const ask = page.locator('[data-testid="ladder.row"][data-side="ask"]').last();
  // Move the pointer off the ladder first: focusing scrolls the rows, and a row under the pointer takes the hover.
  await page.mouse.move(0, 0);
  await ask.press('Enter');
  await expect(ask).toHaveAttribute('data-copied', 'true');
  await expect(title).toHaveText(/^Copied [\d.]+$/);
  const askCopied = (await title.textContent())?.replace(/^Copied /, '') ?? '';
  expect(num(askCopied)).toBeGreaterThan(0);
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(askCopied);
});

test('the depth chart draws both sides, changes over time and reads out under the pointer', async ({ page }) => {
  const ws = new Workstation(page);
  await ws.open(stack.backend.url);
  await ws.waitForLadder(10);
  const canvas = page.getByTestId('depth.canvas');
  await expect(canvas).toBeVisible();

  // Canvas readback: count painted pixels and hash them; the book moves, so the picture must change.
  const sample = (): Promise<{ painted: number; hash: number }> =>
    canvas.evaluate((el) => {
      const c = el as HTMLCanvasElement;
      const data = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data;
      let painted = 0;
      let hash = 0;
      if (data) {
        for (let i = 3; i < data.length; i += 4) {
          if ((data[i] ?? 0) > 0) {
            painted++;
            hash = (hash * 31 + i + (data[i - 1] ?? 0)) | 0;
          }
        }
      }
      return { painted, hash };
    });
  await expect.poll(async () => (await sample()).painted).toBeGreaterThan(1000);
  const first = await sample();
  await expect.poll(async () => (await sample()).hash !== first.hash, { timeout: 10_000 }).toBe(true);

  const box = await canvas.boundingBox();
  if (!box) throw new Error('depth canvas has no box');
  await page.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.5);
  await expect(page.getByTestId('depth.readout')).toHaveText(/^bid [\d.]+ · cum [\d,.]+$/);
  await page.mouse.move(box.x + box.width * 0.85, box.y + box.height * 0.5);
  await expect(page.getByTestId('depth.readout')).toHaveText(/^ask [\d.]+ · cum [\d,.]+$/);
  await page.screenshot({ path: join(SHOTS, 'book-views-depth.png') });
});
