// Issue 8: the grid shows exactly the store. A store opened while it grows never shows more rows
// than store.json has committed nor a (param_id, target) pair twice; a store switch never carries
// the previous store's filter; the URL names the store; a deleted shard is named, not a freeze.
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { type ServedHost, serve } from './host.ts';
import { DEMO_STORE, E2E_DIR } from './stores.ts';

const TARGETS = ['incidence_target', 'prevalence_target', 'deaths_target'];
const hosts: ServedHost[] = [];
test.afterAll(async () => {
  for (const h of hosts) await h.stop();
});

function record(i: number, target: string): string {
  return JSON.stringify({
    job_id: 'job-exact',
    param_id: createHash('sha256').update(`set-${i}`).digest('hex'),
    target: `targets.t:${target}`,
    params: { gamma: i / 1000, contacts: i % 9 },
    loss: 1 + ((i * 31) % 97) / 10,
    n_replicates: 2,
  });
}

async function committedRows(store: string): Promise<number> {
  return JSON.parse(await fs.readFile(path.join(store, 'store.json'), 'utf8')).counts.rows;
}

/** (full param_id, target) of every row the grid has rendered. */
async function renderedPairs(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const grid = document.querySelector('[role="grid"]');
    if (!grid) return [];
    const heads = [...grid.querySelectorAll('[role="columnheader"]')].map((h) => h.textContent?.trim() ?? '');
    const at = (name: string) => heads.findIndex((h) => h.startsWith(name));
    const [pi, ti] = [at('param_id'), at('target')];
    const out: string[] = [];
    for (const row of grid.querySelectorAll('[role="row"][aria-rowindex]')) {
      if (row.getAttribute('aria-rowindex') === '1') continue;
      const cells = row.querySelectorAll('[role="gridcell"]');
      const id = cells[pi]?.querySelector('[title]')?.getAttribute('title');
      const target = cells[ti]?.textContent?.trim();
      if (id && target) out.push(`${id}|${target}`);
    }
    return out;
  });
}

/** A finished store of `sets` parameter sets × 3 targets, collected from NDJSON. */
async function collected(name: string, sets: number, ...args: string[]): Promise<string> {
  const store = path.join(E2E_DIR, name);
  await fs.rm(store, { recursive: true, force: true });
  const lines = Array.from({ length: sets }, (_, i) => TARGETS.map((t) => record(i, t)).join('\n'));
  const collect = spawn(
    process.execPath,
    ['bin/losslens.mjs', 'collect', '-', '--out', store, '--progress', 'none', ...args],
    { stdio: ['pipe', 'ignore', 'inherit'] },
  );
  collect.stdin.end(`${lines.join('\n')}\n`);
  expect(await new Promise((r) => collect.once('exit', r))).toBe(0);
  return store;
}

/** An NDJSON producer at ~40 rows/s into `losslens collect - --flush-seconds 1`. */
function produce(store: string): { collector: ChildProcess; stop: () => Promise<number | null> } {
  const collector = spawn(
    process.execPath,
    ['bin/losslens.mjs', 'collect', '-', '--out', store, '--flush-seconds', '1', '--progress', 'none'],
    { stdio: ['pipe', 'ignore', 'inherit'] },
  );
  const exited = new Promise<number | null>((r) => collector.once('exit', r));
  let i = 0;
  const timer = setInterval(() => {
    for (let k = 0; k < 4; k++, i++) for (const t of TARGETS) collector.stdin?.write(`${record(i, t)}\n`);
  }, 300);
  return {
    collector,
    stop: async () => {
      clearInterval(timer);
      collector.stdin?.end();
      return exited;
    },
  };
}

test('a store opened mid-run never shows more rows than committed, nor a pair twice', async ({ page }) => {
  test.setTimeout(180_000);
  const store = path.join(E2E_DIR, 'exact-live');
  await fs.rm(store, { recursive: true, force: true });
  const producer = produce(store);
  await expect
    .poll(
      async () =>
        existsSync(path.join(store, 'store.json')) ? (await committedRows(store)) >= 8 * 40 : false,
      {
        timeout: 60_000,
      },
    )
    .toBe(true);
  const host = await serve([store]);
  hosts.push(host);
  await page.goto(host.url);
  const grid = page.getByRole('grid', { name: 'Loss table' });
  await expect(grid).toBeVisible();
  // Sorted by param_id, a pair counted twice sits next to itself on screen.
  await grid
    .getByRole('columnheader', { name: /^param_id/ })
    .getByRole('button')
    .click();
  await expect.poll(async () => (await renderedPairs(page)).length, { timeout: 30_000 }).toBeGreaterThan(0);
  const started = Date.now();
  let polls = 0;
  while (Date.now() - started < 15_000) {
    const shown = Number(await grid.getAttribute('aria-rowcount')) - 1;
    const committed = await committedRows(store); // read after: committed rows only grow
    expect(shown, `poll ${polls}: grid rows vs store.json`).toBeLessThanOrEqual(committed);
    const pairs = await renderedPairs(page); // may be 0 while a page is being fetched
    expect(new Set(pairs).size, `poll ${polls}: a pair shown twice`).toBe(pairs.length);
    polls++;
    await page.waitForTimeout(400);
  }
  expect(await producer.stop()).toBe(0);
  const final = await committedRows(store);
  await expect(grid).toHaveAttribute('aria-rowcount', String(final + 1));
  // The live badge (also a status) goes once the collector's last manifest says complete, which
  // can come a moment after its last rows.
  await expect(page.getByTestId('live-badge')).toHaveCount(0);
  await expect(page.getByRole('status')).toContainText(`${final.toLocaleString('en-US')} rows`);
  expect(polls).toBeGreaterThan(10);
});

test('switching stores drops the old filter and targets, fills within 5 s, and the URL names the store', async ({
  page,
}) => {
  // Store B has no param_beta and other targets than the demo store A.
  const storeB = await collected('exact-other', 50);
  const totalB = await committedRows(storeB);

  const host = await serve([DEMO_STORE.dir]);
  hosts.push(host);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(host.url);
  const grid = page.getByRole('grid', { name: 'Loss table' });
  await expect(grid).toHaveAttribute('aria-rowcount', String(DEMO_STORE.params * DEMO_STORE.targets + 1));
  const where = page.locator('#where-input');
  await where.fill('param_beta > 0.5');
  await where.press('Enter');
  await expect
    .poll(async () => Number(await grid.getAttribute('aria-rowcount')))
    .toBeLessThan(DEMO_STORE.params * DEMO_STORE.targets + 1);
  await page.locator('.filter-bar fieldset').first().locator('input').first().check();

  const box = page.getByRole('textbox', { name: 'Folder path' });
  await box.fill(storeB);
  const switched = Date.now();
  await box.press('Enter');
  await expect(grid).toHaveAttribute('aria-rowcount', String(totalB + 1), { timeout: 5_000 });
  await expect(grid.locator('[role="row"][aria-rowindex="2"] [title]').first()).toBeVisible({
    timeout: 5_000,
  });
  expect(Date.now() - switched).toBeLessThan(5_000);
  await expect(page.getByRole('status')).not.toContainText('Binder Error');
  await expect(page.getByRole('status')).toContainText(`${totalB.toLocaleString('en-US')} rows`);
  await expect(where).toHaveValue('');
  expect(new URL(page.url()).searchParams.get('store')).toBe(storeB);
  expect(new URL(page.url()).searchParams.get('where')).toBeNull();

  // Reload: the same store comes back, not the first the host opened.
  await page.reload();
  await expect(page.locator('.store-name')).toContainText(path.basename(storeB));
  await expect(grid).toHaveAttribute('aria-rowcount', String(totalB + 1));
  expect(errors).toEqual([]);
});

test('a deleted shard is named within 10 s while the rest of the store shows, marked partial', async ({
  page,
}) => {
  const store = await collected('exact-missing-shard', 300, '--batch-rows', '150');
  const manifest = JSON.parse(await fs.readFile(path.join(store, 'store.json'), 'utf8')) as {
    counts: { rows: number };
    shards: { path: string; rows: number }[];
  };
  expect(manifest.shards.length).toBeGreaterThan(1);
  const gone = manifest.shards[1]!;
  await fs.rm(path.join(store, gone.path));

  const host = await serve([store]);
  hosts.push(host);
  const opened = Date.now();
  await page.goto(host.url);
  const alert = page.getByRole('alert').filter({ hasText: 'cannot be read' });
  await expect(alert).toContainText(gone.path, { timeout: 10_000 });
  expect(Date.now() - opened).toBeLessThan(10_000);
  await expect(alert).toContainText('missing');
  await expect(alert).toContainText('re-run the same');
  const grid = page.getByRole('grid', { name: 'Loss table' });
  await expect(grid).toHaveAttribute('aria-rowcount', String(manifest.counts.rows - gone.rows + 1));
  await expect(page.getByRole('status')).toContainText('partial');
  await page.screenshot({ path: 'test-results/missing-shard.png' });
});

test('a link naming a folder the host has not opened asks before opening it', async ({ page }) => {
  const other = await collected('exact-linked', 20);
  const host = await serve([DEMO_STORE.dir]);
  hosts.push(host);
  await page.goto(`${host.url}&store=${encodeURIComponent(other)}`);
  const prompt = page.getByRole('alertdialog', { name: 'Open the folder this link names?' });
  await expect(prompt).toContainText(other);
  // Nothing opened yet: the host still has only the demo store, which is what shows.
  const grid = page.getByRole('grid', { name: 'Loss table' });
  await expect(grid).toHaveAttribute('aria-rowcount', String(DEMO_STORE.params * DEMO_STORE.targets + 1));
  const listed = await page.evaluate(
    async () =>
      (await (
        await fetch('/api/listStores', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        })
      ).json()) as { path: string }[],
  );
  expect(listed.map((s) => s.path)).not.toContain(other);
  await prompt.getByRole('button', { name: 'Open' }).click();
  await expect(page.locator('.store-name')).toContainText('exact-linked');
  await expect(grid).toHaveAttribute('aria-rowcount', String(20 * TARGETS.length + 1));
});
