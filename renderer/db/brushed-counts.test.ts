// Counts under brushes answered from the derived pivot (brushed-counts.ts) must equal counting the
// loss rows: the row count (selectCount) and the job header's per-target summary (summarySql), in
// DuckDB-WASM against native DuckDB over the same shards, on integer losses that tie at every
// brush edge, with failed and missing rows and a parameter brush. Filters whose brushes mean
// something else on the pivot are not answered from it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../shared/manifest.ts';
import type { LossFilter } from '../../shared/query-types.ts';
import { AnalysisQueries } from './analysis.ts';
import { BrushedCounts } from './brushed-counts.ts';
import { brushedCountsApply } from './brushed-counts-sql.ts';
import { DerivedTables } from './derived.ts';
import type { SqlEngine } from './engine-types.ts';
import { jobHeadlines, summarySql } from './job-summary.ts';
import { ShardRegistry } from './registry.ts';
import { selectCount } from './sql.ts';
import { nativeReference, TORTURE_TARGETS, writeTiedStore } from './testing/fixtures.ts';
import { createNodeEngine } from './testing/node-engine.ts';

const LAYOUT = { targets: [...TORTURE_TARGETS], params: ['param_a"b', 'param_population'] };
const [A, B] = TORTURE_TARGETS;
const ANSWERED: LossFilter[] = [
  { lossRanges: { [A]: [1, 3] } },
  { lossRanges: { [A]: [null, 0], [B]: [2, null] } },
  { lossRanges: { [B]: [4, 4] }, paramRanges: { 'param_a"b': [0.2, 0.9] } },
  { paramRanges: { param_population: [17, 120] } },
  { targets: [A], lossRanges: { [A]: [0, 2] } },
  { lossRanges: { [A]: [7, 9] } }, // nothing inside
];
const NOT_ANSWERED: LossFilter[] = [
  { where: `"param_a""b" > 0.3`, lossRanges: { [A]: [1, 3] } },
  { statuses: ['failed'], lossRanges: { [A]: [1, 3] } },
  { targets: [B], lossRanges: { [A]: [1, 3] } }, // A's rows are not in the base filter's pivot
  { lossRanges: { t_unknown: [1, 3] } },
  {}, // no brush: the manifest or one plain count answers
];

let dir: string;
let manifest: Manifest;
let engine: SqlEngine;
let registry: ShardRegistry;
let derived: DerivedTables;
let analysis: AnalysisQueries;
let brushed: BrushedCounts;
let native: Awaited<ReturnType<typeof nativeReference>>;
const queried: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'losslens-bc-'));
  manifest = { ...(await writeTiedStore(dir)), status: 'complete' };
  const wasm = await createNodeEngine();
  engine = {
    ...wasm,
    query: (sql, o) => {
      queried.push(sql);
      return wasm.query(sql, o);
    },
    close: () => wasm.close(),
  };
  registry = new ShardRegistry(engine, { shardUrl: (_id, p) => join(dir, p) });
  await registry.sync({ id: 'abc', manifest });
  await registry.idle();
  derived = new DerivedTables(engine, { version: () => registry.version, enabled: () => true });
  analysis = new AnalysisQueries(engine, derived, () => LAYOUT);
  brushed = new BrushedCounts(
    engine,
    derived,
    () => LAYOUT,
    () => manifest,
  );
  native = await nativeReference(dir, manifest);
});
afterAll(async () => {
  native.close();
  registry.close();
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('counts under brushes from the pivot equal counting the loss rows (native DuckDB)', () => {
  it('has ties on the brush edges and failed and missing rows', async () => {
    const [r] = await native.rows(
      `SELECT count(*) FILTER (WHERE loss IN (0, 1, 3, 4)) AS on_edges, count(*) FILTER (WHERE status <> 'ok') AS bad FROM losses`,
    );
    expect(Number(r?.on_edges)).toBeGreaterThan(200);
    expect(Number(r?.bad)).toBeGreaterThan(20);
  });

  it('answers nothing before the base filter’s pivot is built, and never builds one', async () => {
    expect(await brushed.count(ANSWERED[0]!)).toBeNull();
    expect(derived.setsReady(LAYOUT.targets, LAYOUT.params, {})).toBeNull();
    await analysis.pivotTable({});
    await analysis.pivotTable({ targets: [A] });
  });

  for (const filter of ANSWERED)
    it(`row count and summary: ${JSON.stringify(filter)}`, async () => {
      expect(brushedCountsApply(filter, LAYOUT)).toBe(true);
      const [ref] = await native.rows(selectCount(filter));
      queried.length = 0;
      expect(await brushed.count(filter)).toBe(Number(ref?.n));
      expect(queried.join('\n')).not.toMatch(/FROM losses/); // from the pivot, not the rows
      const want = new Map((await native.rows(summarySql(filter))).map((r) => [String(r.target), r]));
      const got = await jobHeadlines(engine, manifest, filter, (f) => brushed.summary(f));
      for (const line of got) {
        const r = want.get(line.target);
        expect(line).toEqual({
          target: line.target,
          ok: Number(r?.ok ?? 0),
          failed: Number(r?.failed ?? 0),
          missing: Number(r?.missing ?? 0),
          best: r?.best === undefined || r.best === null ? null : Number(r.best),
          bestId: r?.best_id === undefined || r.best_id === null ? null : String(r.best_id),
        });
      }
    });

  for (const filter of NOT_ANSWERED)
    it(`leaves the rows to count: ${JSON.stringify(filter)}`, async () => {
      expect(brushedCountsApply(filter, LAYOUT)).toBe(false);
      expect(await brushed.count(filter)).toBeNull();
      expect(await brushed.summary(filter)).toBeNull();
    });

  it('leaves a store still collecting to the rows (the memory copy may lag the host)', async () => {
    const live = new BrushedCounts(
      engine,
      derived,
      () => LAYOUT,
      () => ({ ...manifest, status: 'collecting' }),
    );
    expect(await live.count(ANSWERED[0]!)).toBeNull();
  });
});
