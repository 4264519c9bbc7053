// A store opened while its collector is still writing it: the grid grows as shards land and the
// live badge ends when the collector finishes.
import { spawn } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { queryStore } from './duck.ts';
import { type ServedHost, serve } from './host.ts';
import { E2E_DIR } from './stores.ts';

const TOTAL_SETS = 60;
const TARGETS = ['incidence_mean_signal_target', 'prevalence_target'];

function record(i: number, target: string): string {
  const failed = i % 17 === 5;
  return JSON.stringify({
    job_id: 'job-live',
    param_id: (i + 1).toString(16).padStart(64, '0'),
    target: `targets.${target.split('_')[0]}:${target}`,
    params: { beta: 0.1 + i / 100, population: 1000 + i, scenario: i % 2 ? 'baseline' : "mask's" },
    loss: failed ? null : 10 + ((i * 7) % 13),
    n_replicates: 4,
    seeds: [1, 2, 3, 4],
    diagnostics: { target_type: 'mean_signal' },
    ...(failed ? { error: { type: 'RuntimeError', message: `diverged at set ${i}` } } : {}),
  });
}

/** Keep every text the status bar shows from now on (a MutationObserver in the page). */
async function recordStatus(page: Page): Promise<void> {
  await page.evaluate(() => {
    const bar = document.querySelector('footer.status-bar')!;
    const log: string[] = [];
    (window as unknown as { __status: string[] }).__status = log;
    new MutationObserver(() => log.push(bar.textContent ?? '')).observe(bar, {
      subtree: true,
      childList: true,
      characterData: true,
    });
  });
}

/**
 * With no filter the status bar never read "N of M rows" (a count beside another moment's total),
 * nor more shards behind the view than the store lists.
 */
async function expectStatusTrue(page: Page): Promise<void> {
  const texts = await page.evaluate(() => (window as unknown as { __status: string[] }).__status);
  expect(texts.length).toBeGreaterThan(3);
  expect(texts.filter((t) => / of [\d,]+ rows/.test(t))).toEqual([]);
  const shards = texts.map((t) => /(\d+)\/(\d+) shards/.exec(t)).filter((m) => m !== null);
  expect(shards.filter((m) => Number(m[1]) > Number(m[2])).map((m) => m[0])).toEqual([]);
}

let host: ServedHost | undefined;
test.afterAll(async () => {
  await host?.stop();
});

test('the grid grows while a collector streams NDJSON in, and the live badge ends', async ({ page }) => {
  const store = path.join(E2E_DIR, 'live-store');
  await fs.rm(store, { recursive: true, force: true });
  const collector = spawn(
    process.execPath,
    ['bin/losslens.mjs', 'collect', '-', '--out', store, '--flush-seconds', '0.3', '--progress', 'none'],
    { stdio: ['pipe', 'ignore', 'inherit'] },
  );
  const exited = new Promise<number | null>((r) => collector.once('exit', r));
  const write = (i: number) => {
    for (const t of TARGETS) collector.stdin!.write(`${record(i, t)}\n`);
  };
  for (let i = 0; i < 5; i++) write(i);
  await expect.poll(() => existsSync(path.join(store, 'store.json')), { timeout: 20_000 }).toBe(true);
  await expect
    .poll(async () => JSON.parse(await fs.readFile(path.join(store, 'store.json'), 'utf8')).counts.rows)
    .toBe(10);

  host = await serve([store]);
  await page.goto(host.url);
  const grid = page.getByRole('grid', { name: 'Loss table' });
  await expect(grid).toHaveAttribute('aria-rowcount', '11');
  await expect(page.getByTestId('live-badge')).toBeVisible();

  await recordStatus(page);
  const seen: number[] = [];
  for (let i = 5; i < TOTAL_SETS; i++) {
    write(i);
    if (i % 10 === 9) {
      await new Promise((r) => setTimeout(r, 700));
      seen.push(Number(await grid.getAttribute('aria-rowcount')));
    }
  }
  collector.stdin!.end();
  expect(await exited).toBe(0);
  await expect(grid).toHaveAttribute('aria-rowcount', String(TOTAL_SETS * TARGETS.length + 1));
  await expect(page.getByTestId('live-badge')).toHaveCount(0);
  // The count grew in steps while the collector ran, not only at the end, and never went back.
  const between = new Set(seen.filter((n) => n > 11 && n < TOTAL_SETS * TARGETS.length + 1));
  expect(between.size, `row counts seen: ${seen.join(', ')}`).toBeGreaterThan(1);
  expect(
    [...seen].sort((a, b) => a - b),
    `row counts seen: ${seen.join(', ')}`,
  ).toEqual(seen);
  await expectStatusTrue(page);
  await page.screenshot({ path: 'test-results/live-complete.png' });
});

test('a streamed store compacted when its collector ends keeps its count and every pair once', async ({
  page,
}) => {
  // Tiny shards (a commit per parameter set: --flush-seconds alone gave 31–56 shards, depending on
  // the machine's load, and 32 or fewer are not compacted): the collector compacts them at the end,
  // while this window reads the store; the replaced files stay readable for the grace period.
  const store = path.join(E2E_DIR, 'live-compacted');
  await fs.rm(store, { recursive: true, force: true });
  const collector = spawn(
    process.execPath,
    [
      'bin/losslens.mjs',
      'collect',
      '-',
      '--out',
      store,
      '--batch-rows',
      String(TARGETS.length),
      '--flush-seconds',
      '0.1',
      '--progress',
      'none',
    ],
    { stdio: ['pipe', 'ignore', 'inherit'] },
  );
  const exited = new Promise<number | null>((r) => collector.once('exit', r));
  const write = (i: number) => {
    for (const t of TARGETS) collector.stdin!.write(`${record(i, t)}\n`);
  };
  write(0);
  await expect.poll(() => existsSync(path.join(store, 'store.json')), { timeout: 20_000 }).toBe(true);
  const stored = await serve([store]);
  try {
    await page.goto(stored.url);
    const grid = page.getByRole('grid', { name: 'Loss table' });
    await expect(grid).toBeVisible();
    await recordStatus(page);
    for (let i = 1; i < TOTAL_SETS; i++) {
      write(i);
      await new Promise((r) => setTimeout(r, 150));
    }
    collector.stdin!.end();
    expect(await exited).toBe(0);
    const m = JSON.parse(await fs.readFile(path.join(store, 'store.json'), 'utf8'));
    const retired = JSON.parse(await fs.readFile(path.join(store, 'retired.json'), 'utf8')).files;
    expect(retired.length).toBeGreaterThan(32); // it was compacted…
    expect(m.shards).toHaveLength(1); // …into one shard
    const [count] = await queryStore<{ n: number }>(store, (rel) => `SELECT count(*)::INT AS n FROM ${rel}`);
    const n = count!.n;
    expect(n).toBe(TOTAL_SETS * TARGETS.length);
    await expect(grid).toHaveAttribute('aria-rowcount', String(n + 1));
    await expect(page.getByTestId('live-badge')).toHaveCount(0);
    await expect(page.locator('footer.status-bar')).toContainText(`${n} rows`);
    await expect(page.locator('footer.status-bar')).toContainText('1/1 shards');
    await expectStatusTrue(page); // the swap of 33+ shards for one included
    // Rows read after the swap: each (param_id, target) once. Rows still being fetched (placeholders:
    // no id yet) are left out and waited for; a pair shown twice fails.
    const filledPairs = () =>
      page.evaluate(() => {
        const grid = document.querySelector('[role="grid"][aria-label="Loss table"]')!;
        const heads = [...grid.querySelectorAll('[role="columnheader"]')].map(
          (h) => h.textContent?.trim() ?? '',
        );
        const [pi, ti] = ['param_id', 'target'].map((name) => heads.findIndex((h) => h.startsWith(name)));
        return [...grid.querySelectorAll('[role="row"][aria-rowindex]')]
          .filter((r) => r.getAttribute('aria-rowindex') !== '1')
          .map((r) => {
            const cells = r.querySelectorAll('[role="gridcell"]');
            const id = cells[pi!]?.querySelector('[title]')?.getAttribute('title');
            const target = cells[ti!]?.textContent?.trim();
            return id && target ? `${id}|${target}` : null;
          })
          .filter((p): p is string => p !== null);
      });
    await expect.poll(async () => (await filledPairs()).length, { timeout: 10_000 }).toBeGreaterThan(10);
    const pairs = await filledPairs();
    expect(new Set(pairs).size).toBe(pairs.length);
  } finally {
    await stored.stop();
  }
});

/** A small demo store whose store.json is then changed to what a stopped collector leaves. */
async function demoStoreLeftAs(name: string, writer: Record<string, unknown>): Promise<string> {
  const store = path.join(E2E_DIR, name);
  await fs.rm(store, { recursive: true, force: true });
  const demo = spawn(process.execPath, ['bin/losslens.mjs', 'demo', '--out', store, '--params', '30'], {
    stdio: 'ignore',
  });
  await new Promise((r) => demo.once('exit', r));
  const file = path.join(store, 'store.json');
  const manifest = JSON.parse(await fs.readFile(file, 'utf8'));
  manifest.status = writer.status;
  manifest.writers.demo = { ...manifest.writers.demo, ...writer };
  await fs.writeFile(file, JSON.stringify(manifest));
  return store;
}

test('a store left "collecting" by a collector that died says so instead of looking live', async ({
  page,
}) => {
  // What `kill -9` mid-run leaves: the writer still marked collecting, its last commit long ago.
  const tenMinutesAgo = new Date(Date.now() - 10 * 60_000).toISOString();
  const store = await demoStoreLeftAs('stalled-store', { status: 'collecting', updated_at: tenMinutesAgo });
  const stalled = await serve([store]);
  try {
    await page.goto(stalled.url);
    await expect(page.getByTestId('live-badge')).toContainText('no new shards for 10 min');
  } finally {
    await stalled.stop();
  }
});

test('a store whose collection was interrupted says it is incomplete and why', async ({ page }) => {
  // What Ctrl+C on `losslens collect` leaves (electron/collector/faults.test.ts checks the real one).
  const why = 'interrupted by SIGINT: shards already committed are kept; re-run the same command to resume';
  const store = await demoStoreLeftAs('interrupted-store', { status: 'failed', error: why });
  const host = await serve([store]);
  try {
    await page.goto(host.url);
    const badge = page.getByTestId('live-badge');
    await expect(badge).toContainText('Incomplete');
    await expect(badge).toContainText('interrupted by SIGINT');
    await expect(badge).toHaveAttribute('title', /re-run the same command to resume/);
    await page.screenshot({ path: 'test-results/interrupted.png' });
  } finally {
    await host.stop();
  }
});

test('a store with a partition never collected says which, instead of looking live or complete', async ({
  page,
}) => {
  const src = path.join(E2E_DIR, 'partition-src.ndjson');
  const lines = Array.from({ length: 40 }, (_, i) => TARGETS.map((t) => record(i, t)).join('\n'));
  await fs.writeFile(src, `${lines.join('\n')}\n`);
  const store = path.join(E2E_DIR, 'partial-partitions');
  await fs.rm(store, { recursive: true, force: true });
  const run = spawn(
    process.execPath,
    [
      'bin/losslens.mjs',
      'collect',
      src,
      '--out',
      store,
      '--partition',
      '1/2',
      '--batch-rows',
      '10',
      '--progress',
      'none',
    ],
    { stdio: 'ignore' },
  );
  expect(await new Promise((r) => run.once('exit', r))).toBe(0);
  const host = await serve([store]);
  try {
    await page.goto(host.url);
    const badge = page.getByTestId('live-badge');
    await expect(badge).toContainText('Incomplete');
    await expect(badge).toContainText('partitions: 1 of 2 done (missing: 2/2)');
  } finally {
    await host.stop();
  }
});
