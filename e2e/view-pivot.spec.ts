// Pivot: one row per parameter set (aria-rowcount = DuckDB's count + 1), sorted by a target its
// first row is DuckDB's best set for that target; the combined ranking under two weightings is
// DuckDB's; a reload restores tab, filter, weights and sort.
import { expect, test } from '@playwright/test';
import { queryStore } from './duck.ts';
import { type ServedHost, serve } from './host.ts';
import { DEMO_STORE } from './stores.ts';
import { A, B, C, nativeRanking, nativeSetCount, rowParamId, shoot } from './views.ts';

let host: ServedHost;
test.beforeAll(async () => {
  host = await serve([DEMO_STORE.dir]);
});
test.afterAll(async () => {
  await host.stop();
});

test('pivot rows, sort by a target, two weightings, reload restores it all', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${host.url}&tab=pivot`);
  await expect(page.getByRole('tab', { name: 'Pivot' })).toHaveAttribute('aria-selected', 'true');
  const grid = page.getByRole('grid', { name: 'Pivot' });
  await expect(grid).toHaveAttribute('aria-rowcount', String((await nativeSetCount()) + 1));

  // Default order: by the mean of the three losses.
  const [mean] = await nativeRanking('(a + b + c) / 3');
  await expect.poll(() => rowParamId(page, 'Pivot', 2)).toBe(mean!.param_id);
  await expect(page.getByRole('status', { name: 'Combined loss in use' })).toContainText(
    'mean of the losses',
  );
  await shoot(page, 'v-pivot');

  // Sorted by target B: the first row is DuckDB's best B set.
  const header = grid.getByRole('columnheader', { name: B, exact: true });
  await header.getByRole('button').click();
  await expect(header).toHaveAttribute('aria-sort', 'ascending');
  const [bestB] = await nativeRanking('b');
  await expect.poll(() => rowParamId(page, 'Pivot', 2)).toBe(bestB!.param_id);
  // Back to rank order for the weightings.
  await header.getByRole('button').click();
  await header.getByRole('button').click();
  await expect(header).not.toHaveAttribute('aria-sort');

  await page.getByRole('combobox', { name: 'Combined loss method' }).selectOption('weighted');
  await page.getByRole('spinbutton', { name: `Weight of ${A}` }).fill('1');
  await page.getByRole('spinbutton', { name: `Weight of ${B}` }).fill('3');
  await page.getByRole('spinbutton', { name: `Weight of ${C}` }).fill('0.01');
  const [w1] = await nativeRanking('1 * a + 3 * b + 0.01 * c');
  await expect.poll(() => rowParamId(page, 'Pivot', 2)).toBe(w1!.param_id);
  await page.getByRole('spinbutton', { name: `Weight of ${A}` }).fill('0');
  await page.getByRole('spinbutton', { name: `Weight of ${B}` }).fill('0.5');
  await page.getByRole('spinbutton', { name: `Weight of ${C}` }).fill('0.2');
  // A zero weight drops that target from the combination (a set missing only A still ranks).
  const [w2, w2b] = await queryW2();
  await expect.poll(() => rowParamId(page, 'Pivot', 2)).toBe(w2!.param_id);
  await expect.poll(() => rowParamId(page, 'Pivot', 3)).toBe(w2b!.param_id);
  await expect(page.getByRole('status', { name: 'Combined loss in use' })).toContainText(`0.5 × ${B}`);

  // A filter narrows the sets to DuckDB's count for it.
  const where = 'param_beta < 0.4';
  await page.getByRole('textbox', { name: 'SQL filter' }).fill(where);
  await page.getByRole('textbox', { name: 'SQL filter' }).press('Enter');
  await expect(grid).toHaveAttribute('aria-rowcount', String((await nativeSetCount(where)) + 1));
  const sortBy = grid.getByRole('columnheader', { name: 'n_ok', exact: true });
  await sortBy.getByRole('button').click();
  await sortBy.getByRole('button').click();
  await expect(sortBy).toHaveAttribute('aria-sort', 'descending');

  await page.reload();
  await expect(page.getByRole('tab', { name: 'Pivot' })).toHaveAttribute('aria-selected', 'true');
  await expect(grid).toHaveAttribute('aria-rowcount', String((await nativeSetCount(where)) + 1));
  await expect(page.getByRole('combobox', { name: 'Combined loss method' })).toHaveValue('weighted');
  await expect(page.getByRole('spinbutton', { name: `Weight of ${B}` })).toHaveValue('0.5');
  await expect(grid.getByRole('columnheader', { name: 'n_ok', exact: true })).toHaveAttribute(
    'aria-sort',
    'descending',
  );
  await expect(page.getByRole('list', { name: 'Active filters' })).toContainText(where);
  expect(errors).toEqual([]);

  async function queryW2() {
    return queryStore<{ param_id: string }>(
      DEMO_STORE.dir,
      (rel) => `WITH s AS (SELECT param_id,
          max(loss) FILTER (WHERE target = '${B}' AND status = 'ok') AS b,
          max(loss) FILTER (WHERE target = '${C}' AND status = 'ok') AS c FROM ${rel} GROUP BY param_id)
        SELECT param_id FROM s WHERE b IS NOT NULL AND c IS NOT NULL ORDER BY 0.5 * b + 0.2 * c, param_id LIMIT 2`,
    );
  }
});
