// Filters a modeler types: a bad WHERE names DuckDB's complaint, an empty result says so and
// offers to clear, and a quoted value in the filter works.
import { expect, test } from '@playwright/test';
import { queryStore } from './duck.ts';
import { type ServedHost, serve } from './host.ts';
import { DEMO_STORE } from './stores.ts';

let host: ServedHost;
test.beforeAll(async () => {
  host = await serve([DEMO_STORE.dir]);
});
test.afterAll(async () => {
  await host.stop();
});

test('WHERE filter: errors shown, quotes work, an empty result says so and clears', async ({ page }) => {
  const total = DEMO_STORE.params * DEMO_STORE.targets;
  await page.goto(host.url);
  const grid = page.getByRole('grid', { name: 'Loss table' });
  await expect(grid).toHaveAttribute('aria-rowcount', String(total + 1));
  const where = page.getByPlaceholder(/loss </);

  await where.fill('param_nope > 1');
  await where.press('Enter');
  await expect(page.getByRole('alert')).toContainText('param_nope');
  await expect(page.getByRole('alert')).toContainText('not applied: showing rows without a SQL filter');
  await expect(grid).toHaveAttribute('aria-rowcount', String(total + 1));

  const scenario = "mask_mandate 'strict'";
  const [ref] = await queryStore<{ n: number }>(
    DEMO_STORE.dir,
    (rel) => `SELECT count(*)::INT AS n FROM ${rel} WHERE param_scenario = 'mask_mandate ''strict'''`,
  );
  await where.fill(`param_scenario = '${scenario.replaceAll("'", "''")}'`);
  await where.press('Enter');
  await expect(grid).toHaveAttribute('aria-rowcount', String(ref!.n + 1));
  expect(ref!.n).toBeGreaterThan(0);

  // Issue 8.8: a rejected filter keeps the previous rows and says so; the error is about the
  // user's own text (`loss <` used to read 'syntax error at or near ")"', a parenthesis of ours).
  await where.fill('loss <');
  await where.press('Enter');
  await expect(page.getByRole('alert')).toContainText('the filter ends too early');
  await expect(page.getByRole('alert')).not.toContainText('")"');
  await expect(page.getByRole('alert')).toContainText("not applied: showing the previous filter's rows");
  await expect(grid).toHaveAttribute('aria-rowcount', String(ref!.n + 1));

  await where.fill('loss < -1e9');
  await where.press('Enter');
  await expect(grid).toHaveAttribute('aria-rowcount', '1');
  await expect(page.getByText('No rows match these filters.')).toBeVisible();
  await page.screenshot({ path: 'test-results/filter-no-rows.png' });
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(grid).toHaveAttribute('aria-rowcount', String(total + 1));
  await expect(page.getByText('No rows match these filters.')).toHaveCount(0);
});

test('dropping files Losslens cannot read in the browser says which types it reads', async ({ page }) => {
  await page.goto(host.url);
  await expect(page.getByRole('grid', { name: 'Loss table' })).toBeVisible();
  const data = await page.evaluateHandle(() => {
    const dt = new DataTransfer();
    dt.items.add(new File(['x'], 'notes.txt'));
    return dt;
  });
  await page.locator('.drop-target').dispatchEvent('dragover', { dataTransfer: data });
  await expect(page.getByText('Drop a job folder or loss store to open it')).toBeVisible();
  await page.locator('.drop-target').dispatchEvent('drop', { dataTransfer: data });
  await expect(page.getByRole('status')).toContainText('Nothing to open: Losslens reads .parquet');
  await expect(page.getByRole('grid', { name: 'Loss table' })).toBeVisible();
});
