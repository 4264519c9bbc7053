// The host's native DuckDB (through the real query Api, Arrow IPC and HostEngine) must answer
// every view's queries exactly as DuckDB-WASM 1.28 does over the same shards — in its memory copy,
// which is what answers once a store fits — with tied losses, NULL losses and NULL parameters,
// for the real query builders: row windows (default order, sorts, deep and reversed windows,
// filters), counts, summary, failures, pivot pages, histograms, top-N, Pareto and the skyline.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHost, type Host } from '../../electron/host/host.ts';
import type { Manifest } from '../../shared/manifest.ts';
import type { CombinedLoss, LossFilter, LossSortState } from '../../shared/query-types.ts';
import { paramColumn, storeColumns } from '../../shared/schema.ts';
import { AnalysisQueries, type PivotLayout } from './analysis.ts';
import { plainRows } from './arrow-rows.ts';
import { DerivedTables } from './derived.ts';
import type { EarlySource } from './early-window.ts';
import type { SqlEngine } from './engine-types.ts';
import { HistogramQueries } from './histograms.ts';
import { HostEngine } from './host-engine.ts';
import { TradeoffQueries } from './pareto.ts';
import { PivotQueries } from './pivot-queries.ts';
import { LossQueries } from './queries.ts';
import { ShardRegistry } from './registry.ts';
import { createNodeEngine } from './testing/node-engine.ts';
import { TIES_PARAMS, TIES_TARGETS, writeTiesStore } from './testing/ties-store.ts';

interface Side {
  engine: SqlEngine;
  loss: LossQueries;
  analysis: AnalysisQueries;
  pivot: PivotQueries;
  hist: HistogramQueries;
  trade: TradeoffQueries;
}

let dir: string;
let host: Host;
let manifest: Manifest;
let wasm: Side;
let native: Side;
/** The host with the session's early windows: manifest counts, shard heads by host path. */
let nativeEarly: LossQueries;
const layout: PivotLayout = {
  targets: [...TIES_TARGETS],
  params: TIES_PARAMS.map((p) => paramColumn(p.name)),
};

function side(engine: SqlEngine): Side {
  const derived = new DerivedTables(engine, { version: () => 1, enabled: () => true });
  const analysis = new AnalysisQueries(engine, derived, () => layout);
  return {
    engine,
    loss: new LossQueries(engine),
    analysis,
    pivot: new PivotQueries(engine, analysis),
    hist: new HistogramQueries(
      engine,
      analysis,
      () => layout,
      () => manifest,
    ),
    trade: new TradeoffQueries(engine, analysis, () => layout),
  };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'losslens-eq-'));
  manifest = await writeTiesStore(join(dir, 'store'));
  const w = await createNodeEngine();
  const registry = new ShardRegistry(w, {
    shardUrl: (_id, p) => join(dir, 'store', p),
    memoryRows: 1_000_000,
  });
  await registry.sync({ id: 'eq', manifest });
  await registry.idle();
  expect(registry.mode).toBe('memory');
  wasm = side(w);
  host = createHost({
    transport: 'http',
    crossOriginIsolation: false,
    watch: false,
    dataDir: join(dir, 'data'),
  });
  const opened = await host.api.openStore({ path: join(dir, 'store') });
  native = side(new HostEngine(host.api, opened.id));
  const early: EarlySource = {
    shards: manifest.shards.map((entry) => ({ name: join(opened.path, entry.path), entry })),
  };
  nativeEarly = new LossQueries(native.engine, () => early);
}, 60_000);

afterAll(async () => {
  await wasm?.engine.close();
  await native?.engine.close();
  await host?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The same question to both engines; the answers must be equal, and not trivially empty. */
async function same<T>(ask: (s: Side) => Promise<T>, nonEmpty = true): Promise<T> {
  const [a, b] = await Promise.all([ask(wasm), ask(native)]);
  expect(b).toEqual(a);
  if (nonEmpty && Array.isArray(a)) expect(a.length).toBeGreaterThan(0);
  return a;
}

const COLUMNS = storeColumns(TIES_PARAMS)
  .map((c) => c.name)
  .filter((n) => n !== 'diagnostics' && n !== 'seeds');
const TOTAL = 240 * 3;
const sorts: LossSortState[] = [
  null,
  { column: 'loss', desc: false },
  { column: 'loss', desc: true },
  { column: 'param_x', desc: false },
  { column: 'param_mode', desc: true },
  { column: 'status', desc: false },
];
const filters: LossFilter[] = [
  {},
  { statuses: ['ok'] },
  { statuses: ['failed', 'missing'] },
  { targets: ['t_b', "t_c'q"] },
  { where: 'param_x IS NULL OR loss = 2' },
  { lossRanges: { t_a: [0.5, 2.5] } },
  { paramRanges: { param_x: [1, 3] } },
];

describe('the host engine answers every view as DuckDB-WASM does', () => {
  it('row windows: every sort and filter, first, middle, deep and last pages', async () => {
    for (const filter of filters) {
      const n = await same((s) => s.loss.count(filter), false);
      expect(n).toBeGreaterThan(0);
      for (const sort of sorts) {
        for (const offset of [0, 37, Math.max(0, n - 100), Math.max(0, n - 7)]) {
          await same((s) => s.loss.rowWindow(COLUMNS, filter, sort, offset, 100, n));
        }
      }
    }
    expect(await native.loss.count({})).toBe(TOTAL);
  });

  it('early windows on the host (manifest counts, shard heads, bounded sorts, the tail) as well', async () => {
    for (const filter of filters.slice(0, 4)) {
      const n = await wasm.loss.count(filter);
      expect(await nativeEarly.count(filter)).toBe(n);
      for (const sort of sorts.slice(0, 3)) {
        for (const offset of [0, 100, n - 50]) {
          const want = await wasm.loss.rowWindow(COLUMNS, filter, sort, offset, 50, n);
          expect(await nativeEarly.rowWindow(COLUMNS, filter, sort, offset, 50, n)).toEqual(want);
        }
      }
    }
  });

  it('summary, failures and the WHERE check', async () => {
    await same((s) => s.loss.summary());
    await same((s) => s.loss.failures({}));
    await same((s) => s.loss.validateWhere("loss < 1 AND param_mode = 'm1'"), false);
    const bad = await native.loss.validateWhere('no_such_column > 1');
    expect(bad.ok).toBe(false);
  });

  it('pivot pages, counts, deciles and best sets, for each combined loss', async () => {
    const combos: CombinedLoss[] = [
      { method: 'mean', weights: {} },
      { method: 'mean-rank', weights: {} },
      { method: 'weighted', weights: { t_a: 2, t_b: 0 } },
    ];
    for (const filter of [{}, { statuses: ['ok'] }, { lossRanges: { t_b: [0, 2] } }] as LossFilter[]) {
      await same((s) => s.pivot.count(layout, filter), false);
      await same((s) => s.pivot.deciles(layout, filter).then((m) => [...m.entries()]));
      for (const combined of combos) {
        for (const sort of [null, { column: 't_a', desc: false }, { column: 'combined', desc: true }]) {
          await same((s) => s.pivot.page(layout, filter, combined, sort as LossSortState, 0, 50));
          await same((s) => s.pivot.page(layout, filter, combined, sort as LossSortState, 150, 50), false);
        }
        await same((s) => s.pivot.bestCombined(layout, filter, combined, 20));
      }
      await same((s) => s.pivot.bestOfTarget(layout, filter, 't_b', 20));
    }
  });

  it('histograms, top-N and the Pareto front and skyline', async () => {
    for (const filter of [{}, { paramRanges: { param_x: [0, 2] } }] as LossFilter[]) {
      const ov = await same((s) => s.hist.overview(filter));
      await same((s) => s.hist.histograms(filter, ov, 20, new Set(['t_a'])));
      for (const t of TIES_TARGETS) await same((s) => s.analysis.histogram(t, 12, filter));
      await same((s) => s.analysis.topN('t_a', 50, filter, layout.targets, layout.params).then(plainRows));
      await same((s) =>
        s.analysis.topN('combined', 50, filter, layout.targets, layout.params).then(plainRows),
      );
      await same((s) => s.analysis.paretoFront('t_a', 't_b', filter));
      // Density cells come without an ORDER BY (the chart draws them in any order): as a set.
      const pair = (s: Side) =>
        s.trade.pair(filter, 't_a', "t_c'q", 1).then((r) => {
          if ('cells' in r) r.cells.sort((x, y) => x.ia - y.ia || x.ib - y.ib);
          return r;
        });
      const p = await same(pair, false);
      expect('cells' in p && p.cells.length).toBeGreaterThan(0);
      await same((s) => s.trade.skyline(filter, [...TIES_TARGETS]), false);
    }
  });
});
