// Book views in the live workspace (ladder sweep tooltip and copy, depth chart, heatmap) against the real
// backend, a real Redis and the real wasm engine in Chromium.
import { expect, test } from '@playwright/test';
import { join } from 'node:path';
import { SHOTS, useBackend } from './fixtures/processes';
import { Workstation } from './fixtures/workstation';

const stack = useBackend();

/** Reads the hovered side's rows (best first) and the tooltip in one page task, so both come from one frame. */
async function tooltipAndRows(ws: Workstation, side: 'bid' | 'ask'): Promise<{
  prices: number[]; sizes: number[]; avg: number; qty: number; notional: string; title: string;
}> {
  return ws.page.evaluate((s) => {
    const num = (t: string | null | undefined): number => Number((t ?? '').replace(/[,\s]/g, ''));
    const rows = [...document.querySelectorAll<HTMLElement>(`[data-testid="ladder.row"][data-side="${s}"]`)]
      .sort((a, b) => Number(a.dataset.index) - Number(b.dataset.index));
    const text = (id: string): string => document.querySelector(`[data-testid="${id}"]`)?.textContent ?? '';
    return {
      prices: rows.map((r) => num(r.querySelector('[data-testid="ladder.price"]')?.textContent)),
      sizes: rows.map((r) => num(r.querySelector('[data-testid="ladder.size"]')?.textContent)),
      avg: num(text('ladder.tooltip.avg')),
      qty: num(text('ladder.tooltip.qty')),
      notional: text('ladder.tooltip.notional'),
      title: document.querySelector('[data-testid="ladder.tooltip"] .tip-title')?.textContent ?? '',
    };
  }, side);
}

function parseNotional(t: string): number {
  const m = /^(-?[\d.]+)([kMB]?)$/.exec(t.trim());
  if (!m) return Number.NaN;
  const mult = { '': 1, k: 1e3, M: 1e6, B: 1e9 }[m[2] ?? ''] ?? Number.NaN;
  return Number(m[1]) * mult;
}

test('hovering a ladder row shows the sweep to that level; clicking copies its price', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.backend.url });
  const ws = new Workstation(page);
  await ws.open(stack.backend.url);
  await ws.waitForLadder(10);

  for (const [side, index] of [['bid', 4], ['ask', 2]] as const) {
    const row = page.locator(`[data-testid="ladder.row"][data-side="${side}"][data-index="${index}"]`);
    await row.hover();
    const tip = page.getByTestId('ladder.tooltip');
    await expect(tip).toBeVisible();
    const t = await tooltipAndRows(ws, side);
    const prices = t.prices.slice(0, index + 1);
    const sizes = t.sizes.slice(0, index + 1);
    const qty = sizes.reduce((a, b) => a + b, 0);
    const notional = prices.reduce((a, p, i) => a + p * (sizes[i] ?? 0), 0);
    // The displayed sizes are rounded to the quantity decimals; allow for that rounding.
    expect(Math.abs(t.qty - qty)).toBeLessThanOrEqual(1e-6 * Math.max(1, qty) + 0.01 * (index + 1));
    expect(Math.abs(t.avg - notional / qty) / (notional / qty)).toBeLessThan(1e-3);
    expect(Math.abs(parseNotional(t.notional) - notional) / notional).toBeLessThan(5e-3);
    expect(t.title).toContain(`(${index + 1} levels)`);
    if (side === 'bid') {
      await page.screenshot({ path: join(SHOTS, 'book-views-tooltip.png') });
    }

    const priceText = (await row.getByTestId('ladder.price').textContent()) ?? '';
    await row.click();
    await expect(page.getByTestId('ladder.copied')).toBeVisible();
    await expect(row).toHaveAttribute('data-copied', 'true');
    const clip = await page.evaluate(() => navigator.clipboard.readText());
    // The row may have repainted between reading its text and the click; the clipboard holds a price from it.
    expect(Number(clip)).toBeGreaterThan(0);
    expect(await page.getByTestId('ladder.copied').textContent()).toBe(`Copied ${clip}`);
    expect(Math.abs(Number(clip) - Number(priceText)) / Number(priceText)).toBeLessThan(0.01);
  }

  // Keyboard: Enter on a focused row copies too.
  const first = page.locator('[data-testid="ladder.row"][data-side="bid"][data-index="0"]');
  await first.focus();
  await expect(page.getByTestId('ladder.tooltip')).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(first).toHaveAttribute('data-copied', 'true');
  const clip = await page.evaluate(() => navigator.clipboard.readText());
  expect(Number(clip)).toBeGreaterThan(0);
});

/** Pixels of a 2-D canvas that differ from its top-left pixel (the background), and a hash of all of them. */
async function canvasStats(ws: Workstation, testId: string): Promise<{ painted: number; hash: number }> {
  return ws.page.evaluate((id) => {
    const c = document.querySelector<HTMLCanvasElement>(`canvas[data-testid="${id}"]`);
    const ctx = c?.getContext('2d');
    if (!c || !ctx || c.width === 0 || c.height === 0) return { painted: 0, hash: 0 };
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    let painted = 0;
    let hash = 2166136261;
    for (let i = 0; i < d.length; i += 4) {
      if (d[i] !== d[0] || d[i + 1] !== d[1] || d[i + 2] !== d[2]) painted++;
      hash = Math.imul(hash ^ ((d[i] ?? 0) | ((d[i + 1] ?? 0) << 8) | ((d[i + 2] ?? 0) << 16)), 16777619);
    }
    return { painted, hash };
  }, testId);
}

test('the depth chart draws both curves, changes over time and reads out under the cursor', async ({ page }) => {
  const ws = new Workstation(page);
  await ws.open(stack.backend.url);
  await ws.waitForLadder(10);
  const canvas = page.getByTestId('depth.canvas');
  await expect(canvas).toBeVisible();
  await expect.poll(async () => (await canvasStats(ws, 'depth.canvas')).painted).toBeGreaterThan(500);
  const first = await canvasStats(ws, 'depth.canvas');
  await expect.poll(async () => (await canvasStats(ws, 'depth.canvas')).hash, { timeout: 10_000 })
    .not.toBe(first.hash);

  // Hover left of the mid: a bid readout with a price below the best ask.
  const box = await canvas.boundingBox();
  if (!box) throw new Error('depth canvas has no box');
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.5);
  await expect(page.getByTestId('depth.readout')).toHaveText(/^bid [\d.]+ · Σ [\d.]+$/);
  await page.mouse.move(box.x + box.width * 0.8, box.y + box.height * 0.5);
  await expect(page.getByTestId('depth.readout')).toHaveText(/^ask [\d.]+ · Σ [\d.]+$/);
  const askText = (await page.getByTestId('depth.readout').textContent()) ?? '';
  const cum = Number(askText.split('Σ ')[1]);
  expect(cum).toBeGreaterThan(0);

  // Follows the instrument.
  await ws.instrument.selectOption('ETH-USD');
  await expect.poll(async () => (await canvasStats(ws, 'depth.canvas')).painted).toBeGreaterThan(500);
  await page.screenshot({ path: join(SHOTS, 'book-views-depth.png') });
});

test('the heatmap scrolls in columns, follows the cutoffs and survives an instrument switch', async ({ page }) => {
  const ws = new Workstation(page);
  await ws.open(stack.backend.url);
  await ws.waitForLadder(10);
  await expect(page.getByTestId('heatmap.canvas')).toBeVisible();
  await expect.poll(async () => (await canvasStats(ws, 'heatmap.canvas')).painted).toBeGreaterThan(1000);
  const first = await canvasStats(ws, 'heatmap.canvas');
  await expect.poll(async () => (await canvasStats(ws, 'heatmap.canvas')).hash, { timeout: 10_000 })
    .not.toBe(first.hash);
  // The cutoffs were fitted to the book.
  const lo = Number(await page.getByTestId('heatmap.lo').inputValue());
  const hi = Number(await page.getByTestId('heatmap.hi').inputValue());
  expect(lo).toBeGreaterThan(0);
  expect(hi).toBeGreaterThan(lo);

  // A bad cutoff is reported by name; a huge low cutoff blanks the resting sizes (fewer painted pixels).
  await page.getByTestId('heatmap.lo').fill('-1');
  await expect(page.getByTestId('heatmap.error')).toHaveText(/Low cutoff -1 must be above 0/);
  const before = (await canvasStats(ws, 'heatmap.canvas')).painted;
  await page.getByTestId('heatmap.hi').fill('2000000');
  await page.getByTestId('heatmap.lo').fill('1000000');
  await expect(page.getByTestId('heatmap.error')).toHaveCount(0);
  await expect.poll(async () => (await canvasStats(ws, 'heatmap.canvas')).painted).toBeLessThan(before);
  // `f` (outside a text field) fits the cutoffs to the book again; so does the Fit button.
  await page.getByTestId('heatmap.canvas').click();
  await page.keyboard.press('f');
  await expect.poll(async () => Number(await page.getByTestId('heatmap.lo').inputValue())).toBeLessThan(1000000);
  await page.getByTestId('heatmap.lo').fill('1000000');
  await page.getByTestId('heatmap.fit').click();
  await expect.poll(async () => Number(await page.getByTestId('heatmap.lo').inputValue())).toBeLessThan(1000000);

  await ws.instrument.selectOption('ETH-USD');
  await expect.poll(async () => (await canvasStats(ws, 'heatmap.canvas')).painted).toBeGreaterThan(1000);

  // A coarser grouping (g) changes the row step: the heatmap starts over at the new step and keeps scrolling.
  await page.getByTestId('heatmap.canvas').click();
  await page.keyboard.press('g');
  await expect(page.getByTestId('ladder.grouping')).toHaveValue('2');
  await expect.poll(async () => (await canvasStats(ws, 'heatmap.canvas')).painted).toBeGreaterThan(1000);
  const grouped = await canvasStats(ws, 'heatmap.canvas');
  await expect.poll(async () => (await canvasStats(ws, 'heatmap.canvas')).hash, { timeout: 10_000 })
    .not.toBe(grouped.hash);
  await page.waitForTimeout(1500);
  await page.screenshot({ path: join(SHOTS, 'book-views.png') });
});
