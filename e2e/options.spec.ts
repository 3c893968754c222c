// The Options workspace against the real backend, a real Redis and the real wasm engine in Chromium. Expected
// values come from the same core-wasm/pkg loaded in this process.
import { expect, test } from '@playwright/test';
import { join } from 'node:path';
import { engineQuote, GREEK_NAMES, loadEngine } from './fixtures/engine';
import { OptionsPage } from './fixtures/options';
import { SHOTS, useBackend } from './fixtures/processes';

const stack = useBackend();

const close = (got: number, want: number): void => {
  expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(want)));
};

test('dragging a slider reprices: price and every Greek equal the engine for the same inputs', async ({ page }) => {
  const opt = new OptionsPage(page);
  await opt.open(stack.backend.url);
  await opt.waitPriced();
  const engine = await loadEngine();
  const before = await opt.greeks();
  const want0 = engineQuote(engine, 'bsm', 'call', 100, 100, 0.03, 0, 30 / 365, 0.2, 200);
  for (const g of GREEK_NAMES) close(before[g], want0[g]);

  await opt.drag('spot', 0.44, 0.55);
  const spot = Number(await opt.input('spot').inputValue());
  expect(spot).toBeGreaterThan(100);
  await expect.poll(async () => (await opt.greeks()).price).not.toBe(before.price);
  const want = engineQuote(engine, 'bsm', 'call', spot, 100, 0.03, 0, 30 / 365, 0.2, 200);
  await expect.poll(async () => (await opt.greeks()).price).toBe(want.price);
  const got = await opt.greeks();
  for (const g of GREEK_NAMES) close(got[g], want[g]);

  // An American put on the tree, with the vol slider: same check.
  await page.getByTestId('opt.exercise').selectOption('american');
  await page.getByTestId('opt.model').selectOption('binomial');
  await page.getByTestId('opt.type.put').click();
  await opt.drag('volPct', 0.1, 0.3, 4);
  const vol = Number(await opt.input('volPct').inputValue());
  const wantPut = engineQuote(engine, 'binomial', 'put', spot, 100, 0.03, 0, 30 / 365, vol / 100, 200);
  await expect.poll(async () => (await opt.greeks()).price).toBe(wantPut.price);
  const gotPut = await opt.greeks();
  for (const g of GREEK_NAMES) close(gotPut[g], wantPut[g]);

  // Display units: theta per day is the engine's per-year theta / 365.
  const shownTheta = Number(await opt.greekCell('theta').textContent());
  expect(Math.abs(shownTheta - wantPut.theta / 365)).toBeLessThanOrEqual(1e-4 * Math.abs(wantPut.theta / 365));
  await expect(page.getByTestId('opt.curve.vega').locator('canvas')).toBeVisible();
  await expect(page.getByTestId('opt.curves')).toHaveAttribute('data-busy', 'false', { timeout: 30_000 });
  await page.screenshot({ path: join(SHOTS, 'options-pricer.png') });
});

test('bad input shows an inline message and keeps the last valid result', async ({ page }) => {
  const opt = new OptionsPage(page);
  await opt.open(stack.backend.url);
  await opt.waitPriced();
  const before = await opt.greeks();
  await opt.input('spot').fill('-5');
  await expect(page.getByTestId('opt.error.spot')).toContainText('must be above 0');
  await opt.input('volPct').fill('');
  await expect(page.getByTestId('opt.error.volPct')).toContainText('is empty');
  expect((await opt.greeks()).price).toBe(before.price);
  await page.screenshot({ path: join(SHOTS, 'options-invalid.png') });
  await opt.input('spot').fill('110');
  await expect(page.getByTestId('opt.error.spot')).toHaveCount(0);
  await expect.poll(async () => (await opt.greeks()).price).not.toBe(before.price);
});

test('expiry as a date sets the days to expiry', async ({ page }) => {
  const opt = new OptionsPage(page);
  await opt.open(stack.backend.url);
  await opt.waitPriced();
  await page.getByTestId('opt.expiry-mode.date').click();
  const now = new Date();
  const in45 = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) + 45 * 86_400_000).toISOString().slice(0, 10);
  await page.getByTestId('opt.input.date').fill(in45);
  await expect(opt.input('days')).toHaveValue('45');
  const e = await loadEngine();
  const want = engineQuote(e, 'bsm', 'call', 100, 100, 0.03, 0, 45 / 365, 0.2, 200);
  await expect.poll(async () => (await opt.greeks()).price).toBe(want.price);
});

test('keyboard: x switches call/put, d switches theta units', async ({ page }) => {
  const opt = new OptionsPage(page);
  await opt.open(stack.backend.url);
  await opt.waitPriced();
  await page.locator('body').press('x');
  await expect(page.getByTestId('opt.type.put')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('opt.per-day')).toBeChecked();
  await page.locator('body').press('d');
  await expect(page.getByTestId('opt.per-day')).not.toBeChecked();
});

const CONDOR = '1*100_0.03_0_0_0*p_1_90_30_bsm_0.2_200*p_-1_95_30_bsm_0.2_200*c_-1_105_30_bsm_0.2_200*c_1_110_30_bsm_0.2_200';

test('an iron condor: max loss, max profit and breakevens as computed by hand', async ({ page }) => {
  const opt = new OptionsPage(page);
  await opt.open(stack.backend.url, `&st=${CONDOR}`);
  await expect(page.getByTestId('strat.leg')).toHaveCount(4);
  const e = await loadEngine();
  const p = (type: string, k: number): number => engineQuote(e, 'bsm', type, 100, k, 0.03, 0, 30 / 365, 0.2, 200).price;
  // Credit received: short the 95 put and 105 call, long the 90 put and 110 call.
  const credit = p('put', 95) + p('call', 105) - p('put', 90) - p('call', 110);
  expect(credit).toBeGreaterThan(0);
  const maxLoss = -(5 - credit);
  const maxProfit = credit;
  const breakevens = [95 - credit, 105 + credit];
  await expect.poll(async () => page.getByTestId('strat.max-loss').getAttribute('data-value')).not.toBeNull();
  const num = async (id: string): Promise<number> => Number(await page.getByTestId(id).getAttribute('data-value'));
  await expect.poll(() => num('strat.max-loss')).toBeCloseTo(maxLoss, 9);
  expect(await num('strat.max-profit')).toBeCloseTo(maxProfit, 9);
  const be = JSON.parse((await page.getByTestId('strat.breakevens').getAttribute('data-values')) ?? '[]') as number[];
  expect(be).toHaveLength(2);
  expect(be[0]).toBeCloseTo(breakevens[0] as number, 9);
  expect(be[1]).toBeCloseTo(breakevens[1] as number, 9);
  await expect(page.getByTestId('strat.heatmap').locator('canvas')).toBeVisible();
  await expect(page.getByTestId('strat.heat.progress')).toHaveCount(0);
  await page.screenshot({ path: join(SHOTS, 'options-iron-condor.png') });

  // Drag the long 110 call's strike line 40 px right on the payoff chart (x range 60..140, 52 px left and 8 px
  // right padding: StrategyPanel's spotRange and the chart's layout).
  const chart = page.getByTestId('strat.payoff');
  const box = await chart.boundingBox();
  if (!box) throw new Error('payoff chart not visible');
  const x110 = box.x + 52 + ((110 - 60) / 80) * (box.width - 60);
  const y = box.y + box.height / 2;
  await page.mouse.move(x110, y);
  await page.mouse.down();
  await page.mouse.move(x110 + 40, y, { steps: 5 });
  await page.mouse.up();
  const strike = page.getByTestId('opt.input.leg3.strike');
  await expect.poll(async () => Number(await strike.inputValue())).toBeGreaterThan(113);
  const moved = Number(await strike.inputValue());
  expect(moved).toBeCloseTo(110 + (40 * 80) / (box.width - 60), 0);
  await expect.poll(() => new URL(page.url()).searchParams.get('st') ?? '').toContain(`c_1_${moved}_30`);
  // Wider wings: a larger max loss, computed the same way.
  const credit2 = p('put', 95) + p('call', 105) - p('put', 90) - p('call', moved);
  await expect.poll(() => num('strat.max-loss')).toBeCloseTo(-(moved - 105 - credit2), 9);

  // The spot × vol-shift heatmap comes from the worker too.
  await page.getByTestId('strat.heat.vol').click();
  await expect(page.getByTestId('strat.heat.vol')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('strat.heat.progress')).toHaveCount(0);

  // A naked short call has unbounded loss.
  await opt.open(stack.backend.url, '&st=1*100_0.03_0_0_0*c_-1_105_30_bsm_0.2_200');
  await expect(page.getByTestId('strat.max-loss')).toHaveText('unbounded');

  // A broken link says what is wrong with it instead of failing silently.
  await opt.open(stack.backend.url, '&st=1*100_0.03_0_0_0*c_-1_-105_30_bsm_0.2_200');
  await expect(page.getByTestId('strat.link-error')).toContainText('legs[0].strike = -105');
});

test('a saved strategy comes back after a reload', async ({ page }) => {
  const opt = new OptionsPage(page);
  await opt.open(stack.backend.url, `&st=${CONDOR}`);
  await expect(page.getByTestId('strat.leg')).toHaveCount(4);
  await page.getByTestId('strat.preset').selectOption('calendar');
  await page.getByTestId('strat.apply-preset').click();
  await expect(page.getByTestId('strat.leg')).toHaveCount(2);
  const name = `e2e-cal-${Date.now()}`;
  await page.getByTestId('strat.name').fill(name);
  await page.getByTestId('strat.save').click();
  await expect(page.getByTestId('strat.save-status')).toHaveText(`saved “${name}”`);

  // Reload without the strategy in the URL, wiping browser storage: it must come from the server.
  await page.evaluate(() => localStorage.clear());
  await page.goto(`${stack.backend.url}/?view=options&tab=strategy`);
  await expect(page.getByTestId('strat.leg')).toHaveCount(4);
  await page.getByTestId('strat.saved').selectOption(name);
  await expect(page.getByTestId('strat.leg')).toHaveCount(2);
  const url = new URL(page.url());
  expect(url.searchParams.get('st')).toBe('1*100_0.03_0_0_0*c_-1_100_30_bsm_0.2_200*c_1_100_60_bsm_0.2_200');
  await expect(page.getByTestId('strat.max-loss')).not.toHaveText('unbounded');
  await page.screenshot({ path: join(SHOTS, 'options-calendar.png') });
});
