// The scenario-scan workspace against the real backend (serving the built app), a real Redis, the real wasm
// engine in real scan workers, in Chromium.
import { expect, test } from '@playwright/test';
import { tableFromIPC } from 'apache-arrow';
import { mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SHOTS, useBackend } from './fixtures/processes';
import { ScanPage, type Output } from './fixtures/scanPage';

const OUTPUTS: Output[] = ['price', 'delta', 'gamma', 'vega', 'theta', 'rho'];
const FIVE_M = 5_000_000;

const stack = useBackend();

test('a 5 M scan finishes with an advancing progress bar and matches priceOption cell by cell', async ({ page }) => {
  test.setTimeout(240_000);
  const scan = new ScanPage(page);
  await scan.open(stack.backend.url);
  // The default form is the full grid: 200 × 100 × 50 × 5.
  await expect(scan.combinations).toHaveAttribute('data-count', String(FIVE_M));
  await scan.recordProgress();
  await scan.run.click();
  await expect(scan.progress).toBeVisible();
  await expect.poll(async () => (await scan.state()).rowsDone, { timeout: 60_000 }).toBeGreaterThan(0);
  await page.screenshot({ path: join(SHOTS, 'scan-progress.png') });
  await scan.waitForState('done');

  const seen = await scan.progressSeen();
  const between = seen.filter((v) => v > 0 && v < FIVE_M);
  expect(between.length).toBeGreaterThanOrEqual(2);
  for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThan(seen[i - 1] ?? -1);

  const st = await scan.state();
  expect(st.result?.total).toBe(FIVE_M);
  expect(st.result?.workers).toBeGreaterThanOrEqual(2);
  await expect(scan.timing).toHaveAttribute('data-rows', String(FIVE_M));
  await expect(scan.timing).toContainText('options/s');

  // Spot checks: corners, chunk boundaries and a spread of rows, against the scalar binding in the page.
  const rows = [0, 1, 65_535, 65_536, 1_234_567, 2_500_000, 3_999_999, FIVE_M - 1];
  for (let i = 0; i < 8; i++) rows.push(Math.floor(((i + 0.37) / 8) * FIVE_M));
  for (const row of rows) {
    const cell = await scan.cell(row);
    expect(cell, `row ${row}`).not.toBeNull();
    if (!cell) continue;
    const ref = await scan.priceOption({
      model: 'bsm', type: 'call', r: 0.03, q: 0.01, S: cell.inputs.S, K: cell.inputs.K, t: cell.inputs.t,
      sigma: cell.inputs.sigma,
    });
    // The BSM scan runs the engine's vector kernel: within a few ulps of max(S, K) of the scalar binding.
    const scale = Math.max(cell.inputs.S, cell.inputs.K);
    for (const o of OUTPUTS) {
      const tol = o === 'delta' ? 1e-12 : o === 'gamma' ? 1e-12 / scale : 1e-12 * scale;
      expect(Math.abs(cell.outputs[o] - ref[o]), `row ${row} ${o}`).toBeLessThanOrEqual(tol);
    }
  }

  // Clicking the heatmap selects a cell; the readout shows that cell's values.
  const box = await scan.heatmap.boundingBox();
  if (!box) throw new Error('heatmap not laid out');
  await scan.heatmap.click({ position: { x: box.width * 0.3, y: box.height * 0.4 } });
  const rowAttr = await page.getByTestId('scan.cell').getAttribute('data-row');
  const picked = await scan.cell(Number(rowAttr));
  expect(picked).not.toBeNull();
  const shownPrice = Number(await page.getByTestId('scan.cell.price').textContent());
  expect(shownPrice).toBeCloseTo(picked?.outputs.price ?? NaN, 6);
  // Another output and other axes redraw without losing the selection.
  await page.getByTestId('scan.output').selectOption('vega');
  await page.getByTestId('scan.axis.y').selectOption('sigma');
  await expect(page.getByTestId('scan.heatmap')).toHaveAttribute('data-y', 'sigma');
  await page.screenshot({ path: join(SHOTS, 'scan-5m.png') });
});

test('cancel stops a running scan; the last result stays; Esc cancels too', async ({ page }) => {
  test.setTimeout(180_000);
  const scan = new ScanPage(page);
  await scan.open(stack.backend.url);
  // A small scan first, to have a result on screen.
  await scan.setRange('S', '90', '110', '21');
  await scan.setRange('K', '100', '100', '1');
  await scan.setRange('sigma', '0.1', '0.5', '9');
  await scan.setRange('t', '0.25', '1', '4');
  await scan.run.click();
  await scan.waitForState('done');
  await expect(scan.timing).toHaveAttribute('data-rows', String(21 * 9 * 4));

  // Then the full 5 M grid, cancelled with the button once it is under way.
  await scan.setRange('S', '60', '140', '200');
  await scan.setRange('K', '80', '120', '100');
  await scan.setRange('sigma', '0.05', '0.8', '50');
  await scan.setRange('t', '0.05', '2', '5');
  await expect(scan.combinations).toHaveAttribute('data-count', String(FIVE_M));
  await scan.run.click();
  await expect.poll(async () => (await scan.state()).rowsDone, { timeout: 60_000 }).toBeGreaterThan(0);
  await scan.cancel.click();
  await scan.waitForState('cancelled', 10_000);
  await expect(scan.message).toContainText(/Cancelled after [\d,]+ of 5,000,000 combinations/);
  const st = await scan.state();
  expect(st.rowsDone).toBeLessThan(FIVE_M);
  // The workers stopped: nothing more is computed, none had to be terminated, the old result is still shown.
  const after = await scan.pool();
  expect(after?.running).toBe(false);
  await page.waitForTimeout(700);
  expect((await scan.pool())?.chunksComputed).toBe(after?.chunksComputed);
  expect(after?.terminated).toBe(0);
  expect(st.result?.total).toBe(21 * 9 * 4);
  await expect(scan.results).toBeVisible();
  await expect(scan.timing).toHaveAttribute('data-rows', String(21 * 9 * 4));

  // Esc cancels as well.
  await scan.run.click();
  await expect.poll(async () => (await scan.state()).rowsDone, { timeout: 60_000 }).toBeGreaterThan(0);
  await page.keyboard.press('Escape');
  await scan.waitForState('cancelled', 10_000);
  expect((await scan.state()).rowsDone).toBeLessThan(FIVE_M);
});

test('invalid ranges show inline messages, refuse more than 5 M and keep the last result; ranges live in the URL', async ({ page }) => {
  const scan = new ScanPage(page);
  await scan.open(stack.backend.url, '&scan.S=90:110:11&scan.K=95:105:3&scan.sigma=0.2:0.4:3&scan.t=0.5:1:2&scan.model=bjs2002&scan.type=put');
  await expect(scan.field('S.steps')).toHaveValue('11');
  await expect(scan.field('model')).toHaveValue('bjs2002');
  await expect(scan.combinations).toHaveAttribute('data-count', String(11 * 3 * 3 * 2));
  await scan.run.click();
  await scan.waitForState('done');
  const cell = await scan.cell(17);
  if (!cell) throw new Error('no cell 17');
  const ref = await scan.priceOption({ model: 'bjs2002', type: 'put', r: 0.03, q: 0.01, ...cell.inputs });
  for (const o of OUTPUTS) expect(cell.outputs[o], o).toBe(ref[o]);

  await scan.field('S.steps').fill('10000');
  await scan.field('t.steps').fill('200');
  await expect(scan.combinations).toHaveAttribute('data-valid', 'false');
  await expect(scan.error('size')).toHaveText('18,000,000 combinations: more than the 5,000,000 one scan may have');
  await expect(scan.run).toBeDisabled();
  await scan.field('S.steps').fill('11');
  await scan.field('t.steps').fill('2');
  await scan.field('K.min').fill('');
  await expect(scan.error('K.min')).toHaveText('K min: required');
  await scan.field('sigma.max').fill('-1');
  await expect(scan.error('sigma.max')).toHaveText('σ max: -1 is not a positive volatility up to 10 (1000 %)');
  await expect(scan.run).toBeDisabled();
  await expect(scan.results).toBeVisible();
  await expect(scan.timing).toHaveAttribute('data-rows', String(11 * 3 * 3 * 2));
  await page.screenshot({ path: join(SHOTS, 'scan-invalid.png') });

  // A valid edit goes into the URL; a reload brings it back.
  await scan.field('K.min').fill('96');
  await scan.field('sigma.max').fill('0.45');
  await expect.poll(() => new URL(page.url()).searchParams.get('scan.K')).toBe('96:105:3');
  await page.reload();
  await expect(scan.field('K.min')).toHaveValue('96');
  await expect(scan.field('sigma.max')).toHaveValue('0.45');
  await expect(scan.field('model')).toHaveValue('bjs2002');
});

test('export writes an Arrow file that reads back with every row', async ({ page }) => {
  test.setTimeout(300_000);
  const scan = new ScanPage(page);
  await scan.open(stack.backend.url);
  await expect(scan.combinations).toHaveAttribute('data-count', String(FIVE_M));
  await scan.run.click();
  await scan.waitForState('done');
  const downloading = page.waitForEvent('download', { timeout: 180_000 });
  // The file is written in batches with the page painting in between: the status shows several percentages.
  await page.evaluate(() => {
    const seen: string[] = [];
    window.__exportSeen = seen;
    const el = document.querySelector('[data-testid="scan.export.status"]');
    if (!el) throw new Error('no export status');
    new MutationObserver(() => seen.push(el.textContent ?? '')).observe(el, { subtree: true, childList: true, characterData: true });
  });
  await page.getByTestId('scan.export').click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('scan-bsm-call-5000000.arrow');
  const dir = join(tmpdir(), `ferrodesk-e2e-scan-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, download.suggestedFilename());
  try {
    await download.saveAs(file);
    await expect(page.getByTestId('scan.export.status')).toHaveAttribute('data-state', 'done');
    const steps = new Set((await page.evaluate(() => window.__exportSeen ?? [])).filter((t) => /^writing \d+ %$/.test(t)));
    expect(steps.size).toBeGreaterThanOrEqual(3);
    expect(statSync(file).size).toBeGreaterThan(FIVE_M * 10 * 8);
    const table = tableFromIPC(readFileSync(file));
    expect(table.numRows).toBe(FIVE_M);
    expect(table.schema.fields.map((f) => f.name)).toEqual(['S', 'K', 'sigma', 't', ...OUTPUTS]);
    expect(table.schema.metadata.get('model')).toBe('bsm');
    expect(table.schema.metadata.get('option_type')).toBe('call');
    for (const row of [0, 2_345_678, FIVE_M - 1]) {
      const want = await scan.cell(row);
      const got = table.get(row)?.toJSON() as Record<string, number>;
      expect([got.S, got.K, got.sigma, got.t]).toEqual([want?.inputs.S, want?.inputs.K, want?.inputs.sigma, want?.inputs.t]);
      for (const o of OUTPUTS) expect(got[o]).toBe(want?.outputs[o]);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
