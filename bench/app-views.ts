// The Pivot and Best views in headless Chromium at 1M rows (333k sets × 3 targets): first paint of
// each tab, a pivot sort by a target, a weight change → Best re-ranked, each measured in the UI
// (click → the expected row on screen) and beside native DuckDB running the same SQL (the app's
// own builders over the same derived pivot table, rebuilt natively from the app's statements).

import { chromium, type Page } from '@playwright/test';
import { serve } from '../e2e/host.ts';
import { CHROMIUM_ARGS } from '../playwright.config.ts';
import {
  activeTargets,
  combinedTopSql,
  decilesSql,
  pivotCountSql,
  setsSource,
} from '../renderer/db/combined-sql.ts';
import { createRankSql, rankedPageSql, SETS_TIE } from '../renderer/db/rank-sql.ts';
import type { BenchHook } from '../renderer/state/bench-hook.ts';
import type { CombinedLoss } from '../shared/query-types.ts';
import { paramColumn } from '../shared/schema.ts';
import { ensureDemoStore } from './app.ts';
import type { NamedQuery } from './app-queries.ts';
import { clickLater } from './click.ts';
import { freshDataDir } from './data-dir.ts';
import { timeNative } from './native.ts';
import type { BenchRow } from './table.ts';

/** SQL through the app's engine: one warm-up (as native's), then the median of SQL_RUNS, and the spread. */
const SQL_RUNS = 9;
async function appSqlTimes(page: Page, sql: string): Promise<{ median: number; min: number; max: number }> {
  const times: number[] = [];
  for (let i = 0; i <= SQL_RUNS; i++) {
    const { ms } = await page.evaluate(
      (s) => (window as unknown as { __losslensBench: BenchHook }).__losslensBench.query(s),
      sql,
    );
    if (i > 0) times.push(ms);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)]!, min: times[0]!, max: times.at(-1)! };
}

/** Wait until the full param_id in `selector`'s aria-label is `id`; ms since `t0`. */
async function untilId(page: Page, selector: string, id: string, t0: number): Promise<number> {
  await page.waitForFunction(
    ([sel, want]) => document.querySelector(sel!)?.getAttribute('aria-label') === `param_id ${want}, copy`,
    [selector, id],
    { timeout: 120_000, polling: 'raf' },
  );
  return performance.now() - t0;
}

const PIVOT_FIRST = '[aria-label="Pivot"] [role="row"][aria-rowindex="2"] .param-id';
const BEST_FIRST = '[aria-label="Best parameter sets"] tbody tr:first-child .param-id';

export async function benchViews(storeDir: string, label: string, rows: number): Promise<BenchRow[]> {
  const manifest = ensureDemoStore(storeDir, rows);
  const targets = manifest.targets.map((t) => t.id);
  const params = manifest.params.map((p) => paramColumn(p.name));
  const [a] = targets as [string];
  const host = await serve([storeDir], { dataDir: freshDataDir() });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
  const out: BenchRow[] = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${host.url}&bench=1`);
    // Rows on screen release the copy into memory; then wait for it and the derived pivot.
    await page
      .locator(
        '[aria-label="Loss table"] [role="row"][aria-rowindex="2"] [role="gridcell"]:not(:has(.placeholder))',
      )
      .first()
      .waitFor({ timeout: 300_000 });
    await page.evaluate(() => (window as unknown as { __losslensBench: BenchHook }).__losslensBench.idle());
    const pivot = await page.evaluate(() =>
      (window as unknown as { __losslensBench: BenchHook }).__losslensBench.rebuildPivot(),
    );
    if (!pivot) throw new Error('the store did not reach memory: no derived pivot table');
    // As the app: means and weighted sums read the sets table (pivot-queries.ts).
    const src = setsSource(pivot.sets, targets);
    const mean: CombinedLoss = { method: 'mean', weights: {} };
    const weighted: CombinedLoss = { method: 'weighted', weights: { [a]: 0.5 } };
    const all = activeTargets(targets, {}, mean);
    const rank = '__bench_rank';
    // Insertion order is run order: the ranking table exists before the pages read it.
    const sql = {
      'ranking build': createRankSql(rank, src, SETS_TIE, targets, params, all, mean),
      count: pivotCountSql(src),
      page: rankedPageSql(rank, targets, params, null, 0, 100),
      deciles: decilesSql(src, targets) ?? 'SELECT 1',
      sorted: rankedPageSql(rank, targets, params, { column: a, desc: false }, 0, 100),
      best: combinedTopSql(src, targets, params, all, mean, 20),
      ranges: `SELECT ${params.map((p) => `min("${p}"), max("${p}")`).join(', ')} FROM "${pivot.sets}"`,
      reranked: combinedTopSql(src, targets, params, activeTargets(targets, {}, weighted), weighted, 20),
    };
    const queries: NamedQuery[] = Object.entries(sql).map(([name, s]) => ({ name, sql: s }));
    const native = await timeNative(storeDir, manifest, queries, pivot.statements, SQL_RUNS);
    const nat = (...names: (keyof typeof sql)[]) =>
      names.reduce((s, n) => s + (native.queries.get(n) ?? Number.NaN), 0);
    // The rows each step must show, from native DuckDB (the UI waits for exactly those).
    const firstId = async (q: string) => {
      const r = await page.evaluate(
        (s) =>
          (window as unknown as { __losslensBench: BenchHook }).__losslensBench.firstValue(s, 'param_id'),
        q,
      );
      return String(r);
    };
    await page.evaluate(
      (q) => (window as unknown as { __losslensBench: BenchHook }).__losslensBench.query(q),
      sql['ranking build'],
    );
    const ids = {
      page: await firstId(sql.page),
      sorted: await firstId(sql.sorted),
      reranked: await firstId(sql.reranked),
    };

    const ui = (name: string, value: number, limit: number, baseline: number, sqlNames: string) =>
      out.push({
        name: `${label}: ${name}`,
        value,
        unit: 'ms',
        baseline,
        baselineName: `native ${sqlNames}`,
        // Issue 10's "WASM/native ≤ 3×" is the engines on the same SQL (the `SQL …` rows below):
        // a click → painted rows also holds React, the grid and the round trip, so it is held to
        // its time and shown beside the bare query, not held to a ratio of a 5 ms query.
        target: `< ${limit} ms`,
        met: value < limit,
      });

    let click = await clickLater(page.getByRole('tab', { name: 'Pivot' }));
    let t = performance.now();
    await click();
    ui(
      'Pivot tab: click → first rows',
      await untilId(page, PIVOT_FIRST, ids.page, t),
      500,
      nat('count', 'ranking build', 'page'),
      'count+ranking+page',
    );

    const header = page
      .getByRole('grid', { name: 'Pivot' })
      .getByRole('columnheader', { name: a, exact: true });
    click = await clickLater(header.getByRole('button'));
    t = performance.now();
    await click();
    ui(
      'pivot sort by a target: click → rows',
      await untilId(page, PIVOT_FIRST, ids.sorted, t),
      150,
      nat('sorted'),
      'page',
    );

    click = await clickLater(page.getByRole('tab', { name: 'Best' }));
    t = performance.now();
    await click();
    ui(
      'Best tab: click → top 20',
      await untilId(page, BEST_FIRST, ids.page, t),
      500,
      nat('best', 'ranges'),
      'top-20+ranges',
    );

    // All weights 1 is the mean's order × 3: wait for that ranking to land before timing a change.
    const marks = () => performance.getEntriesByName('losslens:best-ranked').length;
    const before = await page.evaluate(marks);
    await page.getByRole('combobox', { name: 'Combined loss method' }).selectOption('weighted');
    await page.waitForFunction(
      (n) => performance.getEntriesByName('losslens:best-ranked').length > n,
      before,
    );
    t = performance.now();
    await page.getByRole('spinbutton', { name: `Weight of ${a}` }).fill('0.5');
    ui(
      'weight change → Best re-ranked',
      await untilId(page, BEST_FIRST, ids.reranked, t),
      200,
      nat('reranked'),
      'top-20',
    );

    for (const [name, q] of Object.entries(sql)) {
      const app = await appSqlTimes(page, q);
      const wasm = app.median;
      const base = native.queries.get(name) ?? Number.NaN;
      out.push({
        name: `${label}: SQL ${name}`,
        note: `n=${SQL_RUNS}, ${app.min.toFixed(2)}–${app.max.toFixed(2)} ms`,
        value: wasm,
        unit: 'ms',
        baseline: base,
        baselineName: 'native',
        target: '≤ 3× native',
        met: wasm / base <= 3,
      });
    }
  } finally {
    await browser.close();
    await host.stop();
  }
  return out;
}
