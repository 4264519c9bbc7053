// The same view through both engines shows the same rows: the store in DuckDB-WASM's memory copy
// (`?engine=wasm`, as with a host without a query Api) against the same store on the host's
// native DuckDB (`?memrows=0`: never copied into WASM memory, like a store above the limit).
// Table (default order, sorts both ways, Ctrl+End to the last rows) and Pivot, cell by cell.
import { expect, type Page, test } from '@playwright/test';
import { type ServedHost, serve } from './host.ts';
import { DEMO_STORE } from './stores.ts';

let host: ServedHost;

test.beforeAll(async () => {
  host = await serve([DEMO_STORE.dir]);
});
test.afterAll(async () => {
  await host.stop();
});

/**
 * Every rendered row of a grid, by row index, once none of them is waiting for its page. Read in
 * one pass in the page: rows re-rendered between two reads would otherwise leave a locator waiting.
 */
async function filledRows(page: Page, grid: string): Promise<string[] | null> {
  return page.getByRole('grid', { name: grid }).evaluate((g) => {
    if (g.querySelector('.placeholder')) return null;
    const out: string[] = [];
    for (const r of g.querySelectorAll('[role="row"][aria-rowindex]')) {
      const i = r.getAttribute('aria-rowindex');
      if (i === '1') continue; // the header
      const cells = [...r.querySelectorAll('[role="gridcell"]')].map((c) => (c as HTMLElement).innerText);
      out.push(`${i}: ${cells.join(' | ')}`);
    }
    return out.length ? out.sort() : null;
  });
}

/** Both pages show the same filled rows (the WASM page read first, then the host page until equal). */
async function sameRows(wasm: Page, native: Page, grid: string, what: string): Promise<void> {
  let want: string[] | null = null;
  await expect.poll(async () => (want = await filledRows(wasm, grid)), { timeout: 30_000 }).not.toBeNull();
  await expect.poll(() => filledRows(native, grid), { message: what, timeout: 30_000 }).toEqual(want);
}

async function open(page: Page, query: string): Promise<void> {
  await page.goto(`${host.url}&${query}`);
  await expect(page.getByRole('grid', { name: 'Loss table' })).toHaveAttribute(
    'aria-rowcount',
    String(DEMO_STORE.params * DEMO_STORE.targets + 1),
  );
}

test('the table and the pivot show identical rows from DuckDB-WASM in memory and from the host', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const wasm = await browser.newPage();
  const native = await browser.newPage();
  const errors: string[] = [];
  for (const p of [wasm, native]) p.on('pageerror', (e) => errors.push(e.message));
  await open(wasm, 'engine=wasm');
  await open(native, 'memrows=0');
  // Which engine answers is said in the status bar.
  await expect(native.locator('.status-bar')).toContainText('DuckDB native');
  await expect(wasm.locator('.status-bar')).not.toContainText('DuckDB native');
  await expect
    .poll(() => wasm.evaluate(() => performance.getEntriesByName('losslens:rows-in-memory').length), {
      timeout: 60_000,
    })
    .toBeGreaterThan(0);

  await sameRows(wasm, native, 'Loss table', 'default order');
  for (const column of [/^loss/, /^param_beta/]) {
    for (const direction of ['ascending', 'descending']) {
      for (const p of [wasm, native]) {
        const header = p
          .getByRole('grid', { name: 'Loss table' })
          .getByRole('columnheader', { name: column });
        await header.getByRole('button').click();
        await expect(header).toHaveAttribute('aria-sort', direction);
      }
      await sameRows(wasm, native, 'Loss table', `${column} ${direction}`);
    }
    for (const p of [wasm, native]) {
      const header = p.getByRole('grid', { name: 'Loss table' }).getByRole('columnheader', { name: column });
      await header.getByRole('button').click(); // back to the default order
      await expect(header).not.toHaveAttribute('aria-sort', /ascending|descending/);
    }
  }
  for (const p of [wasm, native]) {
    await p.getByRole('grid', { name: 'Loss table' }).locator('[role="gridcell"]').first().click();
    await p.keyboard.press('Control+End');
  }
  await sameRows(wasm, native, 'Loss table', 'Ctrl+End: the last rows');
  const last = await filledRows(native, 'Loss table');
  expect(last?.some((r) => r.startsWith(`${DEMO_STORE.params * DEMO_STORE.targets + 1}:`))).toBe(true);

  for (const p of [wasm, native]) await p.getByRole('tab', { name: 'Pivot' }).click();
  await sameRows(wasm, native, 'Pivot', 'pivot, first page');
  await expect(native.locator('.status-bar')).toContainText('DuckDB native');
  expect(errors).toEqual([]);
});
