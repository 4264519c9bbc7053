// A brush on the active histogram answered by the cube (sums, no query) must equal the queries it
// replaces: every histogram's bins (the pivot's SQL, itself checked against the loss rows in
// derived.test.ts), the row count and the job header's summary (native DuckDB over the shards).
// On integer losses that sit exactly on the edges (4 bins over 0–4), off-integer edges (7 bins),
// a log scale, every brush from one edge to another, with a parameter brush beside.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../shared/manifest.ts';
import type { LossFilter } from '../../shared/query-types.ts';
import { AnalysisQueries } from './analysis.ts';
import { BrushCube } from './brush-cube.ts';
import { inEdgeRange } from './brush-cube-sql.ts';
import { BrushedCounts } from './brushed-counts.ts';
import { DerivedTables } from './derived.ts';
import type { SqlEngine } from './engine-types.ts';
import { HistogramQueries } from './histograms.ts';
import { jobHeadlines, summarySql } from './job-summary.ts';
import { ShardRegistry } from './registry.ts';
import { selectCount } from './sql.ts';
import { nativeReference, TORTURE_TARGETS, writeTiedStore } from './testing/fixtures.ts';
import { createNodeEngine } from './testing/node-engine.ts';

const LAYOUT = { targets: [...TORTURE_TARGETS], params: ['param_a"b', 'param_population'] };
const [A] = TORTURE_TARGETS;
const CONTEXTS: LossFilter[] = [{}, { paramRanges: { param_population: [20, 260] } }];

let dir: string;
let manifest: Manifest;
let engine: SqlEngine;
let registry: ShardRegistry;
let native: Awaited<ReturnType<typeof nativeReference>>;
let withCube: HistogramQueries;
let plain: HistogramQueries;
let cube: BrushCube;
let counts: BrushedCounts;
let queries = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'losslens-cube-'));
  manifest = { ...(await writeTiedStore(dir)), status: 'complete' };
  const wasm = await createNodeEngine();
  engine = {
    ...wasm,
    query: (sql, o) => {
      queries++;
      return wasm.query(sql, o);
    },
    close: () => wasm.close(),
  };
  registry = new ShardRegistry(engine, { shardUrl: (_id, p) => join(dir, p) });
  await registry.sync({ id: 'abc', manifest });
  await registry.idle();
  const derived = new DerivedTables(engine, { version: () => registry.version, enabled: () => true });
  const analysis = new AnalysisQueries(engine, derived, () => LAYOUT);
  cube = new BrushCube(engine);
  withCube = new HistogramQueries(
    engine,
    analysis,
    () => LAYOUT,
    () => manifest,
    cube,
  );
  plain = new HistogramQueries(
    engine,
    analysis,
    () => LAYOUT,
    () => manifest,
  );
  counts = new BrushedCounts(
    engine,
    derived,
    () => LAYOUT,
    () => manifest,
    cube,
  );
  await analysis.pivotTable({});
  native = await nativeReference(dir, manifest);
});
afterAll(async () => {
  native.close();
  registry.close();
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the brush cube answers like the queries it replaces', () => {
  it('keys ranges the way the comparisons do', () => {
    // c = 2K + E: K edges ≤ v, E = 1 when v is the largest of them. Edges 0, 1, 2, 3.
    expect(inEdgeRange(5, 1, 2)).toBe(true); // v = 1 (K 2, E 1): 1 ≤ v ≤ 2
    expect(inEdgeRange(5, 0, 1)).toBe(true); // v = 1 on the upper edge of [0, 1]
    expect(inEdgeRange(4, 0, 1)).toBe(false); // v in (1, 2) (K 2, E 0) is not in [0, 1]
    expect(inEdgeRange(5, 2, 3)).toBe(false); // v = 1 is below [2, 3]
    expect(inEdgeRange(0, null, 1)).toBe(true); // below every edge, lower end open
  });

  for (const ctx of CONTEXTS)
    for (const [bins, log] of [
      [4, false],
      [7, false],
      [5, true],
    ] as const)
      it(`${bins} bins${log ? ', log' : ''}, under ${JSON.stringify(ctx)}: every edge-to-edge brush`, async () => {
        const logs = new Set(log ? [A] : []);
        const ov = await withCube.withPositive(ctx, await withCube.overview(ctx));
        const hA = (await plain.histograms(ctx, ov, bins, logs)).histograms.find((h) => h.target === A)!;
        const edges = [...hA.bins.map((b) => b.x0), hA.bins.at(-1)!.x1];
        await withCube.prepareBrush(ctx, ov, bins, logs, hA);
        let checked = 0;
        for (let i0 = 0; i0 < edges.length - 1; i0++)
          for (let i1 = i0; i1 < edges.length - 1; i1++) {
            const f: LossFilter = {
              ...ctx,
              lossRanges: { ...ctx.lossRanges, [A]: [edges[i0]!, edges[i1 + 1]!] },
            };
            const before = queries;
            const got = await withCube.histograms(f, ov, bins, logs);
            const n = await counts.count(f);
            const lines = await jobHeadlines(engine, manifest, f, (x) => counts.summary(x));
            expect(queries - before, 'answered by sums, no query').toBe(0);
            expect(got).toEqual(await plain.histograms(f, ov, bins, logs));
            const [ref] = await native.rows(selectCount(f));
            expect(n).toBe(Number(ref?.n));
            const want = new Map((await native.rows(summarySql(f))).map((r) => [String(r.target), r]));
            for (const l of lines) {
              const r = want.get(l.target);
              expect([l.ok, l.failed, l.missing, l.best, l.bestId]).toEqual([
                Number(r?.ok ?? 0),
                Number(r?.failed ?? 0),
                Number(r?.missing ?? 0),
                r?.best === undefined || r.best === null ? null : Number(r.best),
                r?.best_id === undefined || r.best_id === null ? null : String(r.best_id),
              ]);
            }
            checked++;
          }
        expect(checked).toBe((bins * (bins + 1)) / 2);
      });

  it('leaves a brush off the edges, or a changed other brush, to the queries', async () => {
    const ov = await withCube.overview({});
    const hA = (await plain.histograms({}, ov, 4, new Set())).histograms.find((h) => h.target === A)!;
    await withCube.prepareBrush({}, ov, 4, new Set(), hA);
    const off: LossFilter = { lossRanges: { [A]: [0.5, 3] } };
    const before = queries;
    expect(await withCube.histograms(off, ov, 4, new Set())).toEqual(
      await plain.histograms(off, ov, 4, new Set()),
    );
    expect(queries).toBeGreaterThan(before);
    const other: LossFilter = { lossRanges: { [A]: [1, 3] }, paramRanges: { param_population: [0, 10] } };
    const mid = queries;
    expect(await counts.count(other)).toBe(Number((await native.rows(selectCount(other)))[0]?.n));
    expect(queries).toBeGreaterThan(mid);
  });
});
