// Histograms: bin counts equal native DuckDB's; a brush on one target narrows the other targets'
// foreground and the table's row count to the parameter sets DuckDB finds in that loss range.
import { expect, type Page, test } from '@playwright/test';
import { queryStore } from './duck.ts';
import { type ServedHost, serve } from './host.ts';
import { DEMO_STORE } from './stores.ts';

const A = 'incidence_mean_signal_target';
const B = 'prevalence_target';
const BINS = 40;
let host: ServedHost;
test.beforeAll(async () => {
  host = await serve([DEMO_STORE.dir]);
});
test.afterAll(async () => {
  await host.stop();
});

/** Per bin of `target` (native DuckDB, the app's rule: bins over [min, max], the max in the last). */
async function nativeBins(target: string, where = 'true') {
  const rows = await queryStore<{ bin: number; n: number }>(
    DEMO_STORE.dir,
    (rel) => `WITH d AS (SELECT * FROM ${rel}), r AS (SELECT min(loss) AS lo, max(loss) AS hi FROM d
        WHERE target = '${target}' AND status = 'ok')
      SELECT least(floor((loss - lo) / (hi - lo) * ${BINS}), ${BINS - 1})::INT AS bin, count(*)::INT AS n
      FROM d, r WHERE target = '${target}' AND status = 'ok' AND ${where} GROUP BY bin`,
  );
  const out = Array<number>(BINS).fill(0);
  for (const r of rows) out[r.bin] = r.n;
  return out;
}

async function binColumn(page: Page, target: string, column: number): Promise<number[]> {
  const card = page.getByRole('region', { name: `Histogram of ${target}` });
  const details = card.locator('details.values');
  if (!(await details.getAttribute('open'))) await details.locator('summary').click();
  const cells = await details.locator(`tbody tr td:nth-child(${column})`).allInnerTexts();
  return cells.map((c) => Number(c.replace(/,/g, '')));
}

async function shoot(page: Page, name: string) {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.waitForTimeout(150);
    await page.screenshot({ path: `/tmp/shots/${name}-${scheme}.png` });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

test('bin counts match DuckDB; a brush narrows the other histograms and the table', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${host.url}&tab=histograms`);
  const cardA = page.getByRole('region', { name: `Histogram of ${A}` });
  await expect(cardA.locator('.recharts-surface')).toBeVisible();
  await expect.poll(() => binColumn(page, A, 3)).toEqual(await nativeBins(A));
  await expect.poll(() => binColumn(page, B, 3)).toEqual(await nativeBins(B));
  await cardA.locator('details.values summary').click();
  await page
    .getByRole('region', { name: `Histogram of ${B}` })
    .locator('details.values summary')
    .click();
  await shoot(page, 'histograms');

  // Brush about the lowest quarter of A's range, once every query has answered.
  await expect(page.locator('.chart-view')).toHaveAttribute('aria-busy', 'false');
  const area = cardA.locator('rect.brush-area');
  const box = (await area.boundingBox())!;
  await page.mouse.move(box.x + 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.25, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  const readout = cardA.locator('.brush-readout');
  await expect(readout).toBeVisible();
  const lo = Number(await readout.getAttribute('data-lo'));
  const hi = Number(await readout.getAttribute('data-hi'));
  expect(hi).toBeGreaterThan(lo);
  const inA = `param_id IN (SELECT param_id FROM ${'{rel}'} WHERE target = '${A}' AND status = 'ok' AND loss >= ${lo} AND loss <= ${hi})`;
  const sub = (rel: string) => inA.replace('{rel}', rel);
  // B's foreground: B's sets whose A loss is in the brush, on B's unchanged bins.
  const expectedSel = await queryStore<{ bin: number; n: number }>(
    DEMO_STORE.dir,
    (
      rel,
    ) => `WITH r AS (SELECT min(loss) AS lo, max(loss) AS hi FROM ${rel} WHERE target = '${B}' AND status = 'ok')
      SELECT least(floor((loss - lo) / (hi - lo) * ${BINS}), ${BINS - 1})::INT AS bin, count(*)::INT AS n
      FROM ${rel}, r WHERE target = '${B}' AND status = 'ok' AND ${sub(rel)} GROUP BY bin`,
  );
  const sel = Array<number>(BINS).fill(0);
  for (const r of expectedSel) sel[r.bin] = r.n;
  expect(sel.reduce((s, n) => s + n, 0)).toBeGreaterThan(0);
  await expect.poll(() => binColumn(page, B, 4)).toEqual(sel);
  await expect.poll(() => binColumn(page, B, 3)).toEqual(await nativeBins(B));
  await shoot(page, 'histograms-brushed');

  const [ref] = await queryStore<{ n: number }>(
    DEMO_STORE.dir,
    (rel) => `SELECT count(*)::INT AS n FROM ${rel} WHERE ${sub(rel)}`,
  );
  await page.getByRole('tab', { name: 'Table' }).click();
  const grid = page.getByRole('grid', { name: 'Loss table' });
  await expect(grid).toHaveAttribute('aria-rowcount', String(ref!.n + 1));
  // The job header counts the brushed sets' rows too, per target.
  const heads = await queryStore<{ target: string; ok: number; failed: number }>(
    DEMO_STORE.dir,
    (rel) => `SELECT target, count(*) FILTER (WHERE status = 'ok')::INT AS ok,
      count(*) FILTER (WHERE status = 'failed')::INT AS failed FROM ${rel} WHERE ${sub(rel)} GROUP BY target`,
  );
  expect(heads.some((h) => h.failed > 0)).toBe(true);
  for (const h of heads) {
    const line = page
      .getByRole('list', { name: 'Targets' })
      .getByRole('listitem')
      .filter({ has: page.locator('.target-name', { hasText: new RegExp(`^${h.target}$`) }) });
    await expect(line).toContainText(`${h.ok.toLocaleString('en-US')} ok`);
    await expect(line).toContainText(`${h.failed.toLocaleString('en-US')} failed`);
  }

  // The brush survives a reload (it is in the URL) and clears from the chart.
  await page.reload();
  await page.getByRole('tab', { name: 'Histograms' }).click();
  await expect(cardA.locator('.brush-readout')).toHaveAttribute('data-lo', String(lo));
  await cardA.getByRole('button', { name: `Clear the ${A} brush` }).click();
  await expect(cardA.locator('.brush-readout')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('log x leaves out non-positive losses and says how many', async ({ page }) => {
  await page.goto(`${host.url}&tab=histograms`);
  const card = page.getByRole('region', { name: `Histogram of ${B}` });
  await card.getByRole('button', { name: 'log x' }).click();
  await expect(card.getByRole('button', { name: 'log x' })).toHaveAttribute('aria-pressed', 'true');
  const [ref] = await queryStore<{ n: number }>(
    DEMO_STORE.dir,
    (rel) => `SELECT count(*)::INT AS n FROM ${rel} WHERE target = '${B}' AND status = 'ok' AND loss > 0`,
  );
  await expect.poll(async () => (await binColumn(page, B, 3)).reduce((s, n) => s + n, 0)).toBe(ref!.n);
  // Every loss of the likelihood target is negative: no log axis to offer.
  const ll = page.getByRole('region', { name: 'Histogram of hospitalization_loglik' });
  await expect(ll.getByRole('button', { name: 'log x' })).toBeDisabled();
});

test('the keyboard brushes too: arrows pick and move bins, Shift+arrows widen, Delete clears', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${host.url}&tab=histograms`);
  const cardA = page.getByRole('region', { name: `Histogram of ${A}` });
  await expect(page.locator('.chart-view')).toHaveAttribute('aria-busy', 'false');
  const brush = cardA.getByRole('slider', { name: `Brush a loss range of ${A}` });
  await brush.focus();
  // First bin, moved one bin right, widened by three: bins 1–4 of A.
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  for (let i = 0; i < 3; i++) await page.keyboard.press('Shift+ArrowRight');
  const readout = cardA.locator('.brush-readout');
  await expect(readout).toBeVisible();
  const details = cardA.locator('details.values');
  await details.locator('summary').click();
  const edge = (row: number, col: number) =>
    details.locator(`tbody tr:nth-child(${row}) td:nth-child(${col})`).getAttribute('data-value');
  await expect(readout).toHaveAttribute('data-lo', (await edge(2, 1))!);
  await expect(readout).toHaveAttribute('data-hi', (await edge(5, 2))!);
  await expect(brush).toHaveAttribute('aria-valuetext', /to/);
  await page.screenshot({ path: '/tmp/shots/histograms-keyboard-light.png' });

  const lo = Number(await readout.getAttribute('data-lo'));
  const hi = Number(await readout.getAttribute('data-hi'));
  const [ref] = await queryStore<{ n: number }>(
    DEMO_STORE.dir,
    (rel) => `SELECT count(*)::INT AS n FROM ${rel} WHERE param_id IN (SELECT param_id FROM ${rel}
      WHERE target = '${A}' AND status = 'ok' AND loss >= ${lo} AND loss <= ${hi})`,
  );
  await expect(page.locator('.status-bar')).toContainText(`${ref!.n.toLocaleString('en-US')} of`);

  // Opening the bin table took focus: the keys go to the brush once it has it back.
  await brush.focus();
  await page.keyboard.press('Delete');
  await expect(readout).toHaveCount(0);
  await expect(brush).toHaveAttribute('aria-valuetext', 'no range brushed');
});

test('beyond the memory copy the host draws the histograms; with no host engine the view asks first', async ({
  browser,
}) => {
  // `memrows=0`: the store is never copied into WASM memory, as a store above the limit.
  const host1 = await browser.newPage();
  await host1.goto(`${host.url}&tab=histograms&memrows=0`);
  await expect(host1.locator('.status-bar')).toContainText('DuckDB native');
  await expect(
    host1.getByRole('region', { name: `Histogram of ${A}` }).locator('.recharts-surface'),
  ).toBeVisible();
  await expect(host1.locator('.large-store')).toHaveCount(0);
  await expect.poll(() => binColumn(host1, A, 3)).toEqual(await nativeBins(A));
  // Without a host engine (`engine=wasm`), every chart would read the shards over HTTP: it says so.
  const wasm = await browser.newPage();
  await wasm.goto(`${host.url}&tab=histograms&memrows=0&engine=wasm`);
  const gate = wasm.locator('.large-store');
  await expect(gate).toContainText('no host engine answers');
  await expect(wasm.getByRole('region', { name: `Histogram of ${A}` })).toHaveCount(0);
  await gate.getByRole('button', { name: 'Compute from the shards anyway' }).click();
  await expect.poll(() => binColumn(wasm, A, 3), { timeout: 30_000 }).toEqual(await nativeBins(A));
  await host1.close();
  await wasm.close();
});
