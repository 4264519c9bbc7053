// The host's pre-aggregated sets table (electron/host/native-presets.ts) adopted by the page's
// derived tables: for the unfiltered store the views read it (pivot pages, top-N, Pareto, histograms
// equal native DuckDB's direct queries), the page never drops it, and a filter, other columns or a
// host without one get a table of their own.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SetsPreaggregate } from '../../shared/query-wire.ts';
import { ident } from '../../shared/sql.ts';
import { AnalysisQueries } from './analysis.ts';
import { histogramSql, paretoSql, pivotSql, setsSelect, topCombinedSql } from './analysis-sql.ts';
import { plainRows } from './arrow-rows.ts';
import { DerivedTables } from './derived.ts';
import type { SqlEngine } from './engine-types.ts';
import { ShardRegistry } from './registry.ts';
import { nativeReference, TORTURE_TARGETS, writeTiedStore } from './testing/fixtures.ts';
import { createNodeEngine } from './testing/node-engine.ts';

const TARGETS = [...TORTURE_TARGETS];
const PARAMS = ['param_a"b', 'param_population'];
const [A, B] = TORTURE_TARGETS;
const PRESET = '__losslens_pre_sets_7';
let dir: string;
let base: SqlEngine;
let registry: ShardRegistry;
let native: Awaited<ReturnType<typeof nativeReference>>;
let offered: SetsPreaggregate | null;
let asked = 0;

const norm = (rows: readonly object[]) =>
  rows.map((r) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])),
  );

/** The engine as the router offers it: queries, plus the host's pre-aggregate when there is one. */
const engine: SqlEngine = {
  get bundle() {
    return base.bundle;
  },
  query: (sql, o) => base.query(sql, o),
  registerFile: (n, u) => base.registerFile(n, u),
  dropFile: (n) => base.dropFile(n),
  close: () => base.close(),
  hostPresets: async () => {
    asked++;
    return offered;
  },
};

function derivedTables() {
  const derived = new DerivedTables(engine, { version: () => registry.version, enabled: () => true });
  return { derived, q: new AnalysisQueries(engine, derived, () => ({ targets: TARGETS, params: PARAMS })) };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'losslens-dp-'));
  const manifest = await writeTiedStore(dir);
  base = await createNodeEngine();
  registry = new ShardRegistry(base, { shardUrl: (_id, p) => join(dir, p) });
  await registry.sync({ id: 'abc', manifest });
  await registry.idle();
  native = await nativeReference(dir, manifest);
  // As the host builds it (a plain table shared by clients), with ranges it would send.
  await base.query(`CREATE TABLE ${ident(PRESET)} AS ${setsSelect(TARGETS, PARAMS, {})}`);
  const { derived } = derivedTables();
  derived.adoptPresets = false;
  const own = await derived.sets(TARGETS, PARAMS, {});
  offered = {
    table: PRESET,
    targets: TARGETS,
    params: PARAMS,
    ranges: [...own.ranges.values()],
    saved: false,
  };
  await derived.clear();
});
afterAll(async () => {
  native.close();
  registry.close();
  await base.close();
  rmSync(dir, { recursive: true, force: true });
});

it('reads the host’s table for the unfiltered store: the views equal native DuckDB’s direct queries', async () => {
  const { derived, q } = derivedTables();
  const sets = await derived.sets(TARGETS, PARAMS, {});
  expect(sets.name).toBe(PRESET);
  expect(await q.pivotTable({})).not.toBeNull();
  for (const sort of [null, { column: B, desc: false }, { column: A, desc: true }])
    for (const [offset, limit] of [
      [0, 100],
      [250, 100],
    ] as const) {
      const got = plainRows(await q.pivotPage(TARGETS, PARAMS, {}, sort, offset, limit));
      expect(norm(got)).toEqual(norm(await native.rows(pivotSql(TARGETS, PARAMS, {}, sort, offset, limit))));
    }
  const top = plainRows(await q.topN('combined', 40, {}, TARGETS, PARAMS));
  expect(norm(top)).toEqual(norm(await native.rows(topCombinedSql(TARGETS, PARAMS, {}, 40))));
  expect(norm(await q.paretoFront(A, B, {}))).toEqual(norm(await native.rows(paretoSql(A, B, {}))));
  const h = await q.histogram(A, 7, {}, false);
  const ref = norm(await native.rows(histogramSql(A, 7, {}, false)));
  expect(h.bins.reduce((s, b) => s + b.count, 0)).toBe(
    ref.reduce((s, r) => s + (r.bin === null ? 0 : Number(r.n)), 0),
  );
  expect(h.excluded).toBe(Number(ref[0]?.excluded));

  // Dropping the page's tables leaves the host's in place (other pages read it).
  await derived.clear();
  expect(plainRows(await base.query(`SELECT count(*) AS n FROM ${ident(PRESET)}`))[0]?.n).toBeTruthy();
});

it('builds its own table under a filter, for other columns, or when the host has none', async () => {
  const { derived } = derivedTables();
  asked = 0;
  const filtered = await derived.sets(TARGETS, PARAMS, { targets: [A] });
  expect(filtered.name).not.toBe(PRESET);
  expect(asked).toBe(0);
  const fewer = await derived.sets(TARGETS, PARAMS.slice(0, 1), {});
  expect(fewer.name).not.toBe(PRESET);
  const saved = offered;
  offered = null;
  try {
    const { derived: other } = derivedTables();
    expect((await other.sets(TARGETS, PARAMS, {})).name).not.toBe(PRESET);
    await other.clear();
  } finally {
    offered = saved;
  }
  await derived.clear();
});

it('warms the default views on the host’s table without building anything (the ranks wait for the mean of ranks)', async () => {
  const ran: string[] = [];
  const counting: SqlEngine = { ...engine, query: (sql, o) => (ran.push(sql), base.query(sql, o)) };
  const derived = new DerivedTables(counting, { version: () => registry.version, enabled: () => true });
  const q = new AnalysisQueries(counting, derived, () => ({ targets: TARGETS, params: PARAMS }));
  // A 10M-row store's ranked pivot is 7–11 s of the host's two cores, in the background, for a
  // method the views do not start with.
  await q.warm();
  expect(ran.filter((s) => /^\s*CREATE/i.test(s))).toEqual([]);
  expect((await q.setsTable({}))?.name).toBe(PRESET);
  await derived.clear();
});
