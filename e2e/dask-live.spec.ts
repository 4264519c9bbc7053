// A Dask study collected while the app watches: a real LocalCluster (2 worker processes) runs slow
// aggregations and losslens_dask streams them into a store (e2e/dask/live_study.py); the open
// table grows while the cluster runs, the live badge ends when the study does, and the final
// counts are DuckDB's over the store's shards.
import { spawn } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { queryStore } from './duck.ts';
import { type ServedHost, serve } from './host.ts';
import { E2E_DIR } from './stores.ts';

const SETS = 150;
const TARGETS = 3; // integrations/dask/tests/study.py
const DELAY_S = 0.05; // per aggregation: 450 × 0.05 s on 2 workers ≈ 11 s of cluster time

let host: ServedHost | undefined;
test.afterAll(async () => {
  await host?.stop();
});

test('the table grows while a Dask cluster streams its losses in, and ends with DuckDB’s counts', async ({
  page,
}) => {
  const store = path.join(E2E_DIR, 'dask-live-store');
  await fs.rm(store, { recursive: true, force: true });
  const study = spawn('/usr/bin/python3', ['e2e/dask/live_study.py', store, String(SETS), String(DELAY_S)], {
    env: {
      ...process.env,
      LOSSLENS_BIN: path.resolve('bin/losslens.mjs'),
      DASK_LOGGING__DISTRIBUTED: 'critical',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  study.stdout!.on('data', (d) => {
    out += d;
  });
  study.stderr!.on('data', (d) => {
    err += d;
  });
  const exited = new Promise<number | null>((r) => study.once('exit', r));
  try {
    await expect.poll(() => existsSync(path.join(store, 'store.json')), { timeout: 60_000 }).toBe(true);
    host = await serve([store]);
    await page.goto(host.url);
    const grid = page.getByRole('grid', { name: 'Loss table' });
    await expect(page.getByTestId('live-badge')).toBeVisible();

    // Watch the row count while the cluster runs.
    const seen: number[] = [];
    let done: number | null | undefined;
    void exited.then((c) => {
      done = c;
    });
    while (done === undefined) {
      const n = Number(await grid.getAttribute('aria-rowcount'));
      if (n > 1 && n !== seen.at(-1)) seen.push(n);
      await page.waitForTimeout(400);
    }
    expect(done, `the study failed: ${err.slice(-1500)}`).toBe(0);
    expect(out).toContain(`collected ${SETS * TARGETS} records`);

    const [ref] = await queryStore<{ n: number; failed: number }>(
      store,
      (rel) =>
        `SELECT count(*)::INT AS n, (count(*) FILTER (WHERE status = 'failed'))::INT AS failed FROM ${rel}`,
    );
    expect(ref!.n).toBe(SETS * TARGETS);
    expect(ref!.failed).toBeGreaterThan(0);
    await expect(grid).toHaveAttribute('aria-rowcount', String(ref!.n + 1));
    await expect(page.getByTestId('live-badge')).toHaveCount(0);
    // It grew in steps while the cluster ran, not only at the end, and never shrank.
    const between = seen.filter((n) => n < ref!.n + 1);
    expect(between.length, `row counts seen: ${seen.join(', ')}`).toBeGreaterThan(1);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    await page.screenshot({ path: 'test-results/dask-live-complete.png' });
  } finally {
    if (study.exitCode === null) study.kill('SIGKILL');
  }
});
