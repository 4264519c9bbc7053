// The derived pivot table (derived.ts, pivot-sql.ts) must answer exactly what the direct queries
// (analysis-sql.ts) answer: checked on a three-shard store with failed and missing rows and many
// tied losses, in DuckDB-WASM against native DuckDB running the direct SQL on the same shards.
// And a table built before the rows changed must never be served.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../shared/manifest.ts';
import type { LossFilter } from '../../shared/query-types.ts';
import { AnalysisQueries } from './analysis.ts';
import { histogramSql, paretoSql, pivotSql, setsSelect, topCombinedSql } from './analysis-sql.ts';
import { plainRows } from './arrow-rows.ts';
import { DerivedTables } from './derived.ts';
import type { SqlEngine } from './engine-types.ts';
import { ShardRegistry } from './registry.ts';
import { nativeReference, TORTURE_TARGETS, writeTiedStore } from './testing/fixtures.ts';
import { createNodeEngine } from './testing/node-engine.ts';
import { setsByGroupBy } from './testing/sets-reference.ts';

const TARGETS = [...TORTURE_TARGETS];
const PARAMS = ['param_a"b', 'param_population'];
const [A, B] = TORTURE_TARGETS;
const FILTERS: LossFilter[] = [
  {},
  { where: `"param_a""b" > 0.3`, statuses: ['ok', 'failed'] },
  { targets: [A] },
  // Brushed ranges: a different table from the unfiltered one (the cache key must hold them).
  { lossRanges: { [A]: [null, 40] }, paramRanges: { 'param_a"b': [0.2, 0.9] } },
];
/** Keeps every row of the other targets but only A's losses under 2. */
const ONE_SIDED: LossFilter = { where: `target <> '${A.replaceAll("'", "''")}' OR loss < 2` };
let dir: string;
let manifest: Manifest;
let engine: SqlEngine;
let registry: ShardRegistry;
let derived: DerivedTables;
let q: AnalysisQueries;
let native: Awaited<ReturnType<typeof nativeReference>>;

/** Rows as plain numbers (BIGINT arrives as bigint from either engine). */
const norm = (rows: readonly object[]) =>
  rows.map((r) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])),
  );

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'losslens-d-'));
  manifest = await writeTiedStore(dir);
  engine = await createNodeEngine();
  registry = new ShardRegistry(engine, { shardUrl: (_id, p) => join(dir, p) });
  await registry.sync({ id: 'abc', manifest });
  await registry.idle();
  expect(registry.mode).toBe('memory');
  derived = new DerivedTables(engine, {
    version: () => registry.version,
    enabled: () => registry.mode === 'memory',
  });
  q = new AnalysisQueries(engine, derived, () => ({ targets: TARGETS, params: PARAMS }));
  native = await nativeReference(dir, manifest);
});
afterAll(async () => {
  native.close();
  registry.close();
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('derived pivot table equals the direct queries (native DuckDB)', () => {
  for (const filter of FILTERS) {
    it(`pivot pages, combined top-N, Pareto: ${JSON.stringify(filter)}`, async () => {
      expect(await q.pivotTable(filter)).not.toBeNull();
      for (const sort of [null, { column: B, desc: false }, { column: A, desc: true }])
        for (const [offset, limit] of [
          [0, 100],
          [37, 50],
          [250, 100],
        ] as const) {
          const got = plainRows(await q.pivotPage(TARGETS, PARAMS, filter, sort, offset, limit));
          const ref = await native.rows(pivotSql(TARGETS, PARAMS, filter, sort, offset, limit));
          expect(norm(got)).toEqual(norm(ref));
        }
      const top = plainRows(await q.topN('combined', 40, filter, TARGETS, PARAMS));
      expect(norm(top)).toEqual(norm(await native.rows(topCombinedSql(TARGETS, PARAMS, filter, 40))));
      const front = await q.paretoFront(A, B, filter);
      expect(norm(front)).toEqual(norm(await native.rows(paretoSql(A, B, filter))));
    });

    it(`histograms, linear and log: ${JSON.stringify(filter)}`, async () => {
      const direct = new AnalysisQueries(engine);
      for (const target of TARGETS)
        for (const log of [false, true]) {
          const got = await q.histogram(target, 7, filter, log);
          expect(got).toEqual(await direct.histogram(target, 7, filter, log));
          // …and the direct query itself agrees with native DuckDB.
          const ref = norm(await native.rows(histogramSql(target, 7, filter, log)));
          expect(got.bins.reduce((s, b) => s + b.count, 0)).toBe(
            ref.reduce((s, r) => s + (r.bin === null ? 0 : Number(r.n)), 0),
          );
          expect(got.excluded).toBe(Number(ref[0]?.excluded));
        }
    });
  }

  it('the per-set query (a join of per-target sides) equals a GROUP BY param_id written out here', async () => {
    for (const filter of [...FILTERS, ONE_SIDED]) {
      const where = (await import('./sql.ts')).whereClause(filter);
      const ref = await native.rows(setsByGroupBy(TARGETS, PARAMS, where));
      const got = await native.rows(`${setsSelect(TARGETS, PARAMS, filter)} ORDER BY param_id`);
      expect(got.length).toBeGreaterThan(50);
      expect(norm(got)).toEqual(norm(ref));
    }
    // Among them, sets with no row on the first side (A's rows of loss ≥ 2 filtered out): their
    // id and parameters come from the other sides.
    const noRow = await native.rows(
      `SELECT count(*)::INT AS n FROM (${setsSelect(TARGETS, PARAMS, ONE_SIDED)}) WHERE "${A}" IS NULL AND "__status:${A}" IS NULL AND "param_population" IS NOT NULL`,
    );
    expect(Number(noRow[0]?.n)).toBeGreaterThan(0);
  });

  it('serves the sets table (no ranks) first: one row per set, as the direct per-set query', async () => {
    for (const filter of FILTERS) {
      const sets = await q.setsTable(filter);
      if (!sets) throw new Error('expected a sets table');
      expect(q.setsReady(filter)?.name).toBe(sets.name);
      const got = plainRows(await engine.query(`SELECT * FROM "${sets.name}" ORDER BY param_id`));
      const ref = await native.rows(`${setsSelect(TARGETS, PARAMS, filter)} ORDER BY param_id`);
      expect(got.length).toBeGreaterThan(50);
      expect(norm(got)).toEqual(norm(ref));
      // The ranked pivot is built from it, and holds the same sets.
      const pivot = await q.pivotTable(filter);
      expect(pivot?.ranges).toEqual(sets.ranges);
    }
  });

  it('builds the ranked pivot only when asked: views that read the sets table do not wait for ranks', async () => {
    const own = new DerivedTables(engine, { version: () => registry.version, enabled: () => true });
    const filter = { where: `"param_a""b" < 0.5` };
    const sets = await own.sets(TARGETS, PARAMS, filter);
    const pivots = async () => {
      const rows = plainRows(
        await engine.query(`SELECT table_name FROM duckdb_tables() WHERE table_name LIKE '__losslens_%'`),
      );
      return rows.map((r) => String(r.table_name));
    };
    await new Promise((r) => setTimeout(r, 50));
    const before = await pivots();
    expect(before).toContain(sets.name);
    expect(own.ready(TARGETS, PARAMS, filter)).toBeNull();
    const pivot = await own.pivot(TARGETS, PARAMS, filter);
    expect(before).not.toContain(pivot.name);
    expect(await pivots()).toContain(pivot.name);
    await own.clear();
    expect(await pivots()).not.toContain(sets.name);
    expect(await pivots()).not.toContain(pivot.name);
  });

  it('has ties and failed rows to get right', async () => {
    const [row] = await native.rows(
      `SELECT count(*) - count(DISTINCT loss) AS ties, count(*) FILTER (WHERE status <> 'ok') AS bad FROM losses`,
    );
    expect(Number(row?.ties)).toBeGreaterThan(100);
    expect(Number(row?.bad)).toBeGreaterThan(10);
  });
});

describe('invalidation', () => {
  it('rebuilds after the rows change and never serves a table built from older rows', async () => {
    const before = await q.pivotTable({});
    const beforeSets = q.setsReady({});
    if (!before || !beforeSets) throw new Error('expected a pivot table');
    const [s0, s1] = manifest.shards;
    if (!s0 || !s1) throw new Error('fixture has three shards');
    const fewer = { ...manifest, shards: [s0, s1] };
    const v = registry.version;
    await registry.sync({ id: 'abc', manifest: fewer });
    expect(registry.version).toBeGreaterThan(v);
    await registry.idle();
    expect(registry.mode).toBe('memory');

    const after = await q.pivotTable({});
    expect(after?.name).not.toBe(before.name);
    expect(after?.version).toBe(registry.version);
    // The old table is gone, and pages now match the direct query over the two shards.
    await expect(engine.query(`SELECT count(*) FROM "${before.name}"`)).rejects.toThrow();
    await expect(engine.query(`SELECT count(*) FROM "${beforeSets.name}"`)).rejects.toThrow();
    const got = plainRows(await q.pivotPage(TARGETS, PARAMS, {}, null, 0, 500));
    const ref = plainRows(await engine.query(pivotSql(TARGETS, PARAMS, {}, null, 0, 500)));
    expect(norm(got)).toEqual(norm(ref));
    const rowsA = (s0.targets[A]?.rows ?? 0) + (s1.targets[A]?.rows ?? 0);
    const h = await q.histogram(A, 5, {});
    expect(h.excluded + h.bins.reduce((s, b) => s + b.count, 0)).toBe(rowsA);

    // While shards are being copied (not in memory) no derived table is used at all.
    await registry.sync({ id: 'abc', manifest });
    expect(registry.mode).toBe('shards');
    expect(await q.pivotTable({})).toBeNull();
    await registry.idle();
    expect(await q.pivotTable({})).not.toBeNull();
  });
});
