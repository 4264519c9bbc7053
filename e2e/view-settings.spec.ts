// Each view's own settings are part of the view state in the URL: a reload (or a shared link)
// restores Best N and rank-by, hidden table columns, histogram bins, the profile target and Δloss
// cut-off, and the trade-off pair — and the views show the data for them, checked against DuckDB.
import { expect, test } from '@playwright/test';
import { queryStore } from './duck.ts';
import { type ServedHost, serve } from './host.ts';
import { DEMO_STORE } from './stores.ts';
import { B, C } from './views.ts';

let host: ServedHost;
test.beforeAll(async () => {
  host = await serve([DEMO_STORE.dir]);
});
test.afterAll(async () => {
  await host.stop();
});

test('a reload restores every view’s settings, and the views show their data', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(host.url);
  const grid = page.getByRole('grid', { name: 'Loss table' });
  await expect(grid.getByRole('columnheader', { name: /^n_replicates/ })).toBeVisible();
  await page.getByRole('button', { name: /^Columns/ }).click();
  await page.getByRole('checkbox', { name: 'n_replicates' }).uncheck();
  await page.getByRole('button', { name: /^Columns/ }).click();

  await page.getByRole('tab', { name: 'Best' }).click();
  await page.getByRole('spinbutton', { name: 'How many best sets' }).fill('7');
  await page.getByRole('combobox', { name: 'Rank by' }).selectOption(B);
  await page.getByRole('tab', { name: 'Histograms' }).click();
  await page.getByRole('combobox', { name: 'Bins per histogram' }).selectOption('20');
  await page.getByRole('tab', { name: 'Parameters' }).click();
  await page.getByRole('combobox', { name: 'Profile target' }).selectOption(C);
  await page.getByRole('spinbutton', { name: 'Δloss' }).fill('3.84');
  await page.getByRole('tab', { name: 'Trade-offs' }).click();
  await page.getByRole('combobox', { name: 'Target on x' }).selectOption(B);
  await page.getByRole('combobox', { name: 'Target on y' }).selectOption(C);
  await page.getByRole('tab', { name: 'Best' }).click();
  await expect(page).toHaveURL(/v\.best\.n=7/);

  await page.reload();
  await expect(page.getByRole('spinbutton', { name: 'How many best sets' })).toHaveValue('7');
  await expect(page.getByRole('combobox', { name: 'Rank by' })).toHaveValue(B);
  const bestB = await queryStore<{ param_id: string }>(
    DEMO_STORE.dir,
    (rel) =>
      `SELECT param_id FROM ${rel} WHERE target = '${B}' AND status = 'ok' ORDER BY loss, param_id LIMIT 7`,
  );
  const ids = () =>
    page
      .getByRole('table', { name: 'Best parameter sets' })
      .locator('tbody .param-id')
      .evaluateAll((els) =>
        els.map((e) => /^param_id (\S+), copy$/.exec(e.getAttribute('aria-label') ?? '')?.[1]),
      );
  await expect.poll(ids).toEqual(bestB.map((r) => r.param_id));

  await page.getByRole('tab', { name: 'Histograms' }).click();
  await expect(page.getByRole('combobox', { name: 'Bins per histogram' })).toHaveValue('20');
  await expect(page.getByText('20 bins per target')).toBeVisible();
  await page.getByRole('tab', { name: 'Parameters' }).click();
  await expect(page.getByRole('combobox', { name: 'Profile target' })).toHaveValue(C);
  await expect(page.getByRole('spinbutton', { name: 'Δloss' })).toHaveValue('3.84');
  await page.getByRole('tab', { name: 'Trade-offs' }).click();
  await expect(page.getByRole('combobox', { name: 'Target on x' })).toHaveValue(B);
  await expect(page.getByRole('combobox', { name: 'Target on y' })).toHaveValue(C);
  await expect(page.getByRole('region', { name: `Trade-off of ${B} and ${C}` })).toBeVisible();
  await page.getByRole('tab', { name: 'Table' }).click();
  await expect(grid.getByRole('columnheader', { name: /^loss/ })).toBeVisible();
  await expect(grid.getByRole('columnheader', { name: /^n_replicates/ })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Columns (1 hidden)' })).toBeVisible();
  expect(errors).toEqual([]);
});
