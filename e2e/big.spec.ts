// A 1M-row store: sort by loss, jump to the end, and check the last row against native DuckDB.
import { expect, test } from '@playwright/test';
import { queryStore } from './duck.ts';
import { type ServedHost, serve } from './host.ts';
import { BIG_STORE } from './stores.ts';

let host: ServedHost;
test.beforeAll(async () => {
  host = await serve([BIG_STORE.dir]);
});
test.afterAll(async () => {
  await host.stop();
});

test('1M rows: sort by loss, Ctrl+End to the last row, which matches native DuckDB', async ({ page }) => {
  const total = BIG_STORE.params * BIG_STORE.targets;
  await page.goto(host.url);
  const grid = page.getByRole('grid', { name: 'Loss table' });
  await expect(grid).toHaveAttribute('aria-rowcount', String(total + 1), { timeout: 30_000 });
  const lossHeader = grid.getByRole('columnheader', { name: /^loss/ });
  await lossHeader.getByRole('button').click();
  await expect(lossHeader).toHaveAttribute('aria-sort', 'ascending');

  // Same order the app promises: ok rows by loss, failed/missing last, ties by (target, param_id).
  const [last] = await queryStore<{ param_id: string; target: string; status: string }>(
    BIG_STORE.dir,
    (rel) => `SELECT param_id, target, status FROM ${rel}
              ORDER BY (status <> 'ok'), loss ASC NULLS LAST, target, param_id
              LIMIT 1 OFFSET ${total - 1}`,
  );
  await grid.focus();
  await page.keyboard.press('Control+End');
  const lastRow = grid.locator(`[role="row"][aria-rowindex="${total + 1}"]`);
  await expect(lastRow).toBeVisible({ timeout: 20_000 });
  await expect(lastRow).toContainText(last!.param_id.slice(0, 8));
  await expect(lastRow).toContainText(last!.target);
  await expect(lastRow).toContainText(last!.status);
  await page.screenshot({ path: 'test-results/big-last-row.png' });

  await page.keyboard.press('Control+Home');
  await expect(grid.locator('[role="row"][aria-rowindex="2"]')).toBeVisible();
});

test('1M rows: the Pivot tab shows every parameter set; opened on a new filter it says it is building first', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await page.goto(host.url);
  // Unfiltered, the host's pre-aggregate (built as the store opened) may already be there.
  await page.getByRole('tab', { name: 'Pivot' }).click();
  const [sets] = await queryStore<{ n: number }>(
    BIG_STORE.dir,
    (rel) => `SELECT count(DISTINCT param_id)::INT AS n FROM ${rel}`,
  );
  const pivot = page.getByRole('grid', { name: 'Pivot' });
  await expect(pivot).toHaveAttribute('aria-rowcount', String(sets!.n + 1), { timeout: 120_000 });
  await expect(page.getByText('Building one row per parameter set')).toHaveCount(0);

  // Opened on a filter nothing was built for: the empty grid says why while its table is built.
  await page.addInitScript(`window.__sawBuilding = false;
    new MutationObserver(() => {
      if (document.body?.textContent.includes('Building one row per parameter set')) window.__sawBuilding = true;
    }).observe(document, { childList: true, subtree: true, characterData: true });`);
  const where = 'param_beta < 0.5';
  await page.goto(`${host.url}&tab=pivot&where=${encodeURIComponent(where)}`);
  const [filtered] = await queryStore<{ n: number }>(
    BIG_STORE.dir,
    (rel) => `SELECT count(DISTINCT param_id)::INT AS n FROM ${rel} WHERE ${where}`,
  );
  expect(filtered!.n).toBeLessThan(sets!.n);
  await expect(pivot).toHaveAttribute('aria-rowcount', String(filtered!.n + 1), { timeout: 120_000 });
  expect(await page.evaluate('window.__sawBuilding')).toBe(true);
  await expect(page.getByText('Building one row per parameter set')).toHaveCount(0);
});
