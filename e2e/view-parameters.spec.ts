// Parameters: the profile's minimum loss per bin and the Δloss (profile-likelihood) interval equal
// native DuckDB's; the interval follows an edited Δ live; a brushed parameter range filters the table.
import { expect, type Page, test } from '@playwright/test';
import { queryStore } from './duck.ts';
import { type ServedHost, serve } from './host.ts';
import { DEMO_STORE } from './stores.ts';

const T = 'hospitalization_loglik';
const P = 'param_beta';
const BINS = 40;
let host: ServedHost;
test.beforeAll(async () => {
  host = await serve([DEMO_STORE.dir]);
});
test.afterAll(async () => {
  await host.stop();
});

async function shoot(page: Page, name: string) {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.waitForTimeout(150);
    await page.screenshot({ path: `/tmp/shots/${name}-${scheme}.png` });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** Native: min ok loss per bin of `P` over [min, max] of the target's rows, the app's binning rule. */
async function nativeProfile(): Promise<(number | null)[]> {
  const rows = await queryStore<{ bin: number; m: number | null }>(
    DEMO_STORE.dir,
    (
      rel,
    ) => `WITH d AS (SELECT * FROM ${rel} WHERE target = '${T}'), r AS (SELECT min(${P}) AS lo, max(${P}) AS hi FROM d)
      SELECT greatest(least(floor((${P} - lo) / (hi - lo) * ${BINS}), ${BINS - 1}), 0)::INT AS bin,
        min(loss) FILTER (WHERE status = 'ok') AS m FROM d, r GROUP BY bin`,
  );
  const out = Array<number | null>(BINS).fill(null);
  for (const r of rows) out[r.bin] = r.m;
  return out;
}

async function nativeInterval(delta: number) {
  const [r] = await queryStore<{ lo: number; hi: number }>(
    DEMO_STORE.dir,
    (rel) => `WITH d AS (SELECT * FROM ${rel} WHERE target = '${T}' AND status = 'ok')
      SELECT min(${P}) AS lo, max(${P}) AS hi FROM d WHERE loss <= (SELECT min(loss) FROM d) + ${delta}`,
  );
  return r!;
}

test('profile minimum per bin and the Δloss interval match DuckDB, live', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${host.url}&tab=parameters`);
  await page.getByLabel('Profile target').selectOption(T);
  // A likelihood-style target gets the 1.92 cut-off by default.
  await expect(page.getByRole('checkbox', { name: /Δloss cut-off/ })).toBeChecked();
  const card = page.getByRole('region', { name: 'Profile of beta' });
  await card.locator('details.values summary').click();
  const mins = () =>
    card
      .locator('td.min')
      .evaluateAll((tds) =>
        tds.map((td) => (td.getAttribute('data-value') ? Number(td.getAttribute('data-value')) : null)),
      );
  await expect.poll(mins).toEqual(await nativeProfile());

  const iv = card.locator('.interval');
  const ref = await nativeInterval(1.92);
  await expect(iv).toHaveAttribute('data-lo', String(ref.lo));
  await expect(iv).toHaveAttribute('data-hi', String(ref.hi));
  await card.locator('details.values summary').click();
  await shoot(page, 'parameters');
  await page.getByLabel('Loss axis range').selectOption({ label: 'min + 50 × Δ' });
  await expect(card).toContainText('sets above the axis');
  await shoot(page, 'parameters-zoomed');

  await page.getByLabel('Δloss', { exact: true }).fill('40');
  const wide = await nativeInterval(40);
  expect(wide.hi - wide.lo).toBeGreaterThan(ref.hi - ref.lo);
  await expect(iv).toHaveAttribute('data-lo', String(wide.lo));
  await expect(iv).toHaveAttribute('data-hi', String(wide.hi));

  const failed = await queryStore<{ n: number }>(
    DEMO_STORE.dir,
    (rel) => `SELECT count(*)::INT AS n FROM ${rel} WHERE target = '${T}' AND status <> 'ok'`,
  );
  await card.locator('details.values summary').click();
  const notOk = await card
    .locator('tbody tr td:nth-child(5)')
    .evaluateAll((tds) => tds.reduce((s, td) => s + Number(td.textContent?.replace(/,/g, '')), 0));
  expect(notOk).toBe(failed[0]!.n);
  expect(errors).toEqual([]);
});

test('brushing a profile filters every view to that parameter range', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${host.url}&tab=parameters`);
  const card = page.getByRole('region', { name: 'Profile of gamma' });
  const area = card.locator('rect.brush-area');
  await expect(area).toBeVisible();
  // Drag once every query has answered, so the chart is not re-laid out under the pointer.
  await expect(page.locator('.chart-view')).toHaveAttribute('aria-busy', 'false');
  const box = (await area.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.2, box.y + 20);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.45, box.y + 20, { steps: 4 });
  await page.mouse.up();
  const readout = card.locator('.brush-readout');
  await expect(readout).toBeVisible();
  const lo = Number(await readout.getAttribute('data-lo'));
  const hi = Number(await readout.getAttribute('data-hi'));
  await shoot(page, 'parameters-brushed');
  const [ref] = await queryStore<{ n: number }>(
    DEMO_STORE.dir,
    (rel) => `SELECT count(*)::INT AS n FROM ${rel} WHERE param_gamma >= ${lo} AND param_gamma <= ${hi}`,
  );
  await page.getByRole('tab', { name: 'Table' }).click();
  await expect(page.getByRole('grid', { name: 'Loss table' })).toHaveAttribute(
    'aria-rowcount',
    String(ref!.n + 1),
  );
});
