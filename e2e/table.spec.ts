import { expect, type Page, test } from '@playwright/test';
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

/** The text of the first data row's cell under the named column. */
async function firstRowCell(page: Page, column: string): Promise<string> {
  const grid = page.getByRole('grid', { name: 'Loss table' });
  const headers = await grid.getByRole('columnheader').allInnerTexts();
  const index = headers.findIndex((h) => h.trim().split(/\s/)[0] === column);
  expect(index, `column ${column} among ${headers.join(' | ')}`).toBeGreaterThanOrEqual(0);
  const row = grid.locator('[role="row"][aria-rowindex="2"]');
  return (await row.getByRole('gridcell').nth(index).textContent())?.trim() ?? '';
}

test('opens the store, shows the grid with every row counted, sorts by loss in DuckDB', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(host.url);
  const grid = page.getByRole('grid', { name: 'Loss table' });
  const total = DEMO_STORE.params * DEMO_STORE.targets;
  await expect(grid).toHaveAttribute('aria-rowcount', String(total + 1));
  await expect(page.getByRole('status')).toContainText(total.toLocaleString('en-US'));

  const [ref] = await queryStore<{ lo: number; hi: number }>(
    DEMO_STORE.dir,
    (rel) => `SELECT min(loss) AS lo, max(loss) AS hi FROM ${rel} WHERE status = 'ok'`,
  );
  const lossHeader = grid.getByRole('columnheader', { name: /^loss/ });
  await lossHeader.getByRole('button').click();
  await expect(lossHeader).toHaveAttribute('aria-sort', 'ascending');
  await expect
    .poll(async () => Number((await firstRowCell(page, 'loss')).replace(/[,\s]/g, '')))
    .toBeCloseTo(ref!.lo, 2);
  await page.screenshot({ path: 'test-results/table-sorted-ascending.png' });

  await lossHeader.getByRole('button').click();
  await expect(lossHeader).toHaveAttribute('aria-sort', 'descending');
  await expect
    .poll(async () => Number((await firstRowCell(page, 'loss')).replace(/[,\s]/g, '')))
    .toBeCloseTo(ref!.hi, 2);
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: 'test-results/table-sorted-descending-dark.png' });
  expect(errors).toEqual([]);
});

test('every request without the token is refused', async ({ request }) => {
  for (const p of ['/', '/api/listStores', '/api/events', '/assets/']) {
    const res = await request.fetch(`${host.origin}${p}`, {
      method: p.startsWith('/api/list') ? 'POST' : 'GET',
    });
    expect(res.status(), p).toBe(401);
  }
});
