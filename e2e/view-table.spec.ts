// Table additions: Shift+click selects a run of rows and Ctrl+C copies them (header + rows, full
// precision) as DuckDB has them; Ctrl+A copies all; a row's details show its whole id and error;
// the column chooser hides a column; param_id stays at the left; a brushed loss range (in the URL)
// narrows the rows to DuckDB's parameter sets; a reload keeps tab, filter, brush and sort.
import { expect, test } from '@playwright/test';
import { queryStore } from './duck.ts';
import { type ServedHost, serve } from './host.ts';
import { DEMO_STORE } from './stores.ts';
import { A, readClipboard, shoot } from './views.ts';

let host: ServedHost;
test.beforeAll(async () => {
  host = await serve([DEMO_STORE.dir]);
});
test.afterAll(async () => {
  await host.stop();
});

const total = DEMO_STORE.params * DEMO_STORE.targets;

test('select, Ctrl+C as TSV, Ctrl+A, details, column chooser, frozen id', async ({ page, context }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(host.url);
  const grid = page.getByRole('grid', { name: 'Loss table' });
  await expect(grid).toHaveAttribute('aria-rowcount', String(total + 1));
  const lossHeader = grid.getByRole('columnheader', { name: /^loss/ });
  await lossHeader.getByRole('button').click();
  await expect(lossHeader).toHaveAttribute('aria-sort', 'ascending');
  const row = (i: number) => grid.locator(`[role="row"][aria-rowindex="${i}"]`);
  await expect(row(2).locator('.placeholder')).toHaveCount(0);

  await row(2).click();
  await row(6).click({ modifiers: ['Shift'] });
  await expect(grid.locator('[role="row"][aria-selected="true"]')).toHaveCount(5);
  await page.keyboard.press('Control+c');
  await expect(page.getByRole('status').filter({ hasText: 'Copied 5 rows' })).toBeVisible();
  const lines = (await readClipboard(page)).trimEnd().split('\n');
  const header = lines[0]!.split('\t');
  expect(header.slice(0, 4)).toEqual(['param_id', 'target', 'status', 'loss']);
  const ref = await queryStore<Record<string, unknown>>(
    DEMO_STORE.dir,
    (rel) => `SELECT * FROM ${rel} WHERE status = 'ok' ORDER BY loss, target, param_id LIMIT 5`,
  );
  expect(lines.length).toBe(6);
  for (const [i, r] of ref.entries()) {
    const cells = lines[i + 1]!.split('\t');
    expect(cells[header.indexOf('param_id')]).toBe(r.param_id);
    // Full precision: the exact double, not the 6 significant digits on screen.
    expect(cells[header.indexOf('loss')]).toBe(String(r.loss));
    expect(cells[header.indexOf('param_beta')]).toBe(String(r.param_beta));
  }

  await page.keyboard.press('Control+a');
  await page.keyboard.press('Control+c');
  await expect(
    page.getByRole('status').filter({ hasText: `Copied ${total.toLocaleString('en-US')} rows` }),
  ).toBeVisible();
  expect((await readClipboard(page)).trimEnd().split('\n').length).toBe(total + 1);

  // Details of a failed row: the whole id and the whole message.
  const [bad] = await queryStore<{ param_id: string; error_type: string; error_message: string }>(
    DEMO_STORE.dir,
    (rel) => `SELECT param_id, error_type, error_message FROM ${rel} WHERE status = 'failed'
      ORDER BY target, param_id LIMIT 1`,
  );
  await page.getByRole('textbox', { name: 'SQL filter' }).fill(`param_id = '${bad!.param_id}'`);
  await page.getByRole('textbox', { name: 'SQL filter' }).press('Enter');
  await expect(grid).toHaveAttribute('aria-rowcount', String(DEMO_STORE.targets + 1));
  await grid.locator('.row-bad').first().dblclick();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText(bad!.param_id);
  await expect(dialog).toContainText(bad!.error_type);
  await expect(dialog.locator('pre').first()).toHaveText(bad!.error_message);
  await shoot(page, 'v-table-details');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await page.getByRole('button', { name: /^Remove filter SQL/ }).click();
  await expect(grid).toHaveAttribute('aria-rowcount', String(total + 1));

  await page.getByRole('button', { name: 'Columns' }).click();
  await page.getByRole('checkbox', { name: 'n_replicates' }).uncheck();
  await expect(grid.getByRole('columnheader', { name: 'n_replicates' })).toHaveCount(0);
  await page.getByRole('button', { name: /^Columns/ }).click();

  // Scrolled right, param_id is still at the grid's left edge.
  await grid.evaluate((el) => {
    el.scrollLeft = 600;
  });
  const gridBox = await grid.boundingBox();
  const idBox = await grid.getByRole('columnheader', { name: 'param_id' }).boundingBox();
  expect(Math.abs((idBox?.x ?? -1) - (gridBox?.x ?? 0))).toBeLessThan(2);
  await shoot(page, 'v-table-scrolled');
  expect(errors).toEqual([]);
});

test('a brushed loss range keeps whole parameter sets; reload keeps tab, filter, brush and sort', async ({
  page,
}) => {
  const [lo, hi] = [40, 90];
  await page.goto(`${host.url}&loss.${A}=${lo}..${hi}&status=ok&sort=-loss`);
  const [ref] = await queryStore<{ n: number }>(
    DEMO_STORE.dir,
    (rel) => `SELECT count(*)::INT AS n FROM ${rel} WHERE status = 'ok' AND param_id IN (
      SELECT param_id FROM ${rel} WHERE target = '${A}' AND status = 'ok' AND loss BETWEEN ${lo} AND ${hi})`,
  );
  const grid = page.getByRole('grid', { name: 'Loss table' });
  await expect(grid).toHaveAttribute('aria-rowcount', String(ref!.n + 1));
  const chips = page.getByRole('list', { name: 'Active filters' });
  await expect(chips).toContainText(`${A} loss 40 – 90`);
  await page.getByRole('tab', { name: 'Pivot' }).click();
  await page.reload();
  await expect(page.getByRole('tab', { name: 'Pivot' })).toHaveAttribute('aria-selected', 'true');
  await page.getByRole('tab', { name: 'Pivot' }).press('ArrowLeft');
  await expect(page.getByRole('tab', { name: 'Table' })).toHaveAttribute('aria-selected', 'true');
  await expect(grid).toHaveAttribute('aria-rowcount', String(ref!.n + 1));
  await expect(grid.getByRole('columnheader', { name: /^loss/ })).toHaveAttribute('aria-sort', 'descending');
  await page.getByRole('button', { name: `Remove filter ${A} loss 40 – 90` }).click();
  const [okRows] = await queryStore<{ n: number }>(
    DEMO_STORE.dir,
    (rel) => `SELECT count(*)::INT AS n FROM ${rel} WHERE status = 'ok'`,
  );
  await expect(grid).toHaveAttribute('aria-rowcount', String(okRows!.n + 1));
});
