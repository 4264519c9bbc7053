// The chart views' queries (histograms, profiles, trade-offs, failures) in DuckDB-WASM on a store
// with hostile names, failed and missing rows, checked against brute force over native DuckDB's rows.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../shared/manifest.ts';
import { AnalysisQueries } from './analysis.ts';
import { DerivedTables } from './derived.ts';
import type { SqlEngine } from './engine-types.ts';
import { FailureQueries } from './failures.ts';
import { HistogramQueries } from './histograms.ts';
import { TradeoffQueries } from './pareto.ts';
import { ProfileQueries } from './profile.ts';
import { ShardRegistry } from './registry.ts';
import { nativeReference, TORTURE_TARGETS, writeTortureStore } from './testing/fixtures.ts';
import { createNodeEngine } from './testing/node-engine.ts';

const TARGETS = [...TORTURE_TARGETS];
const PARAMS = ['param_a"b', 'param_scenario', 'param_population'];
const [A, B] = TORTURE_TARGETS;
type Row = { param_id: string; target: string; status: string; loss: number | null; a: number; pop: number };
let dir: string;
let manifest: Manifest;
let engine: SqlEngine;
let registry: ShardRegistry;
let analysis: AnalysisQueries;
let rows: Row[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'losslens-c-'));
  manifest = await writeTortureStore(dir, 400);
  engine = await createNodeEngine();
  registry = new ShardRegistry(engine, { shardUrl: (_id, p) => join(dir, p) });
  await registry.sync({ id: 'abc', manifest });
  await registry.idle();
  const derived = new DerivedTables(engine, {
    version: () => registry.version,
    enabled: () => registry.mode === 'memory',
  });
  analysis = new AnalysisQueries(engine, derived, () => ({ targets: TARGETS, params: PARAMS }));
  const native = await nativeReference(dir, manifest);
  rows = (await native.rows(
    `SELECT param_id, target, status, loss, "param_a""b"::DOUBLE AS a, param_population::DOUBLE AS pop FROM losses`,
  )) as Row[];
  native.close();
});
afterAll(async () => {
  registry.close();
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

const ok = (t: string) => rows.filter((r) => r.target === t && r.status === 'ok' && r.loss !== null);
const binOf = (v: number, lo: number, hi: number, n: number) =>
  Math.max(0, Math.min(n - 1, Math.floor(((v - lo) / (hi - lo)) * n)));

describe('histograms', () => {
  it('counts every ok loss in its bin, and the foreground is the sets inside the other brush', async () => {
    const h = new HistogramQueries(
      engine,
      analysis,
      () => ({ targets: TARGETS, params: PARAMS }),
      () => null,
    );
    const ov = await h.overview({});
    const lossB = ok(B).map((r) => r.loss!);
    const range = [
      Math.min(...lossB),
      Math.min(...lossB) + (Math.max(...lossB) - Math.min(...lossB)) / 3,
    ] as const;
    const inB = new Set(
      ok(B)
        .filter((r) => r.loss! >= range[0] && r.loss! <= range[1])
        .map((r) => r.param_id),
    );
    const set = await h.histograms({ lossRanges: { [B]: range } }, ov, 10, new Set());
    expect(set.linked).toBe('pivot');
    const histA = set.histograms.find((x) => x.target === A)!;
    const la = ok(A).map((r) => r.loss!);
    const [lo, hi] = [Math.min(...la), Math.max(...la)];
    for (let i = 0; i < 10; i++) {
      const inBin = ok(A).filter((r) => binOf(r.loss!, lo, hi, 10) === i);
      expect(histA.bins[i]!.all).toBe(inBin.length);
      expect(histA.bins[i]!.sel).toBe(inBin.filter((r) => inB.has(r.param_id)).length);
    }
    // The brushed histogram itself is drawn under no brush but its own: all of it.
    const histB = set.histograms.find((x) => x.target === B)!;
    expect(histB.bins.every((b) => b.sel === b.all)).toBe(true);
    const failedA = rows.filter((r) => r.target === A && r.status === 'failed').length;
    expect(ov.find((o) => o.target === A)!.failed).toBe(failedA);
  });
});

describe('histograms before the pivot is built', () => {
  it('draws unbrushed bins from the rows at once, without building (or waiting for) a pivot', async () => {
    const derived = new DerivedTables(engine, { version: () => registry.version, enabled: () => true });
    const fresh = new AnalysisQueries(engine, derived, () => ({ targets: TARGETS, params: PARAMS }));
    const h = new HistogramQueries(
      engine,
      fresh,
      () => ({ targets: TARGETS, params: PARAMS }),
      () => null,
    );
    const ov = await h.overview({});
    const set = await h.histograms({}, ov, 7, new Set());
    expect(fresh.setsReady({})).toBeNull();
    for (const t of [A, B]) {
      const la = ok(t).map((r) => r.loss!);
      const [lo, hi] = [Math.min(...la), Math.max(...la)];
      const hist = set.histograms.find((x) => x.target === t)!;
      for (let i = 0; i < 7; i++) {
        const n = la.filter((v) => binOf(v, lo, hi, 7) === i).length;
        expect([hist.bins[i]!.all, hist.bins[i]!.sel]).toEqual([n, n]);
      }
    }
  });
});

describe('profiles', () => {
  it('minimum loss per parameter bin and the Δloss interval', async () => {
    const p = new ProfileQueries(engine);
    const params = [
      { column: 'param_population', name: 'population', type: 'BIGINT' as const },
      { column: 'param_scenario', name: 'scenario', type: 'VARCHAR' as const },
    ];
    const set = await p.profiles(A, params, {});
    const pop = set.profiles[0]!;
    expect(pop.axis?.kind).toBe('numeric');
    const all = rows.filter((r) => r.target === A);
    const [lo, hi] = [Math.min(...all.map((r) => r.pop)), Math.max(...all.map((r) => r.pop))];
    for (let i = 0; i < pop.bins.length; i++) {
      const inBin = all.filter((r) => binOf(r.pop, lo, hi, pop.bins.length) === i);
      const okLoss = inBin.filter((r) => r.status === 'ok').map((r) => r.loss!);
      expect(pop.bins[i]!.min).toBe(okLoss.length ? Math.min(...okLoss) : null);
      expect(pop.bins[i]!.failed).toBe(inBin.filter((r) => r.status === 'failed').length);
    }
    expect(set.profiles[1]!.bins.map((b) => b.label)).toEqual(['high', "it's base", null]);
    const iv = await p.intervals(A, params, {}, 5);
    const min = Math.min(...ok(A).map((r) => r.loss!));
    const inside = ok(A).filter((r) => r.loss! <= min + 5);
    expect(iv.minLoss).toBe(min);
    expect(iv.byParam.get('param_population')).toEqual({
      lo: Math.min(...inside.map((r) => r.pop)),
      hi: Math.max(...inside.map((r) => r.pop)),
    });
  });
});

describe('kept profile answers', () => {
  it('are served again for the same data version, and read anew after it changes', async () => {
    let version = 1;
    let queries = 0;
    const counting: SqlEngine = {
      ...engine,
      query: (sql, o) => {
        queries++;
        return engine.query(sql, o);
      },
    };
    const p = new ProfileQueries(counting, () => version);
    const params = [{ column: 'param_population', name: 'population', type: 'BIGINT' as const }];
    const first = await p.profiles(A, params, {});
    const asked = queries;
    expect(await p.profiles(A, params, {})).toBe(first);
    expect(queries).toBe(asked);
    expect(await p.profiles(B, params, {})).not.toBe(first); // another target is its own answer
    version = 2; // the rows changed (a new shard, the engine switched)
    const again = await p.profiles(A, params, {});
    expect(again).not.toBe(first);
    expect(again).toEqual(first);
  });
});

describe('prefetched stats for every target', () => {
  it('give each target the profile its own stats give, and spare the stats query on a switch', async () => {
    let version = 1;
    const asked: string[] = [];
    const counting: SqlEngine = {
      ...engine,
      query: (sql, o) => {
        asked.push(sql);
        return engine.query(sql, o);
      },
    };
    const params = [
      { column: 'param_population', name: 'population', type: 'BIGINT' as const },
      { column: 'param_scenario', name: 'scenario', type: 'VARCHAR' as const },
    ];
    const filter = {
      where: 'param_population > 1000',
      paramRanges: { param_population: [0, 5e6] as [number, number] },
    };
    const stats = (sqls: string[]) => sqls.filter((q) => q.includes('approx_quantile')).length;
    const warmed = new ProfileQueries(counting, () => version);
    await warmed.prefetchStats(params, filter);
    for (const t of TARGETS) {
      const before = asked.length;
      const got = await warmed.profiles(t, params, filter);
      expect(stats(asked.slice(before))).toBe(0); // read from the prefetched row
      const own = await new ProfileQueries(engine).profiles(t, params, filter);
      // Equal to the one-target stats' answer, but for the approximate 90th percentile (t-digest).
      expect({ ...got, y: { ...got.y, top: 0 } }).toEqual({ ...own, y: { ...own.y, top: 0 } });
      if (own.nOk)
        expect(got.y.lo).toBe(
          Math.min(
            ...ok(t)
              .filter((r) => r.pop > 1000)
              .map((r) => r.loss!),
          ),
        );
    }
    version = 2; // the rows changed: the prefetched stats are not served for them
    const before = asked.length;
    await warmed.profiles(A, params, filter);
    expect(stats(asked.slice(before))).toBe(1);
  });
});

describe('trade-offs', () => {
  it('front and skyline equal brute force', async () => {
    const t = new TradeoffQueries(engine, analysis, () => ({ targets: TARGETS, params: PARAMS }));
    const res = await t.pair({}, A, B, 1);
    if ('unavailable' in res) throw new Error(res.unavailable);
    const byId = new Map<string, { a?: number; b?: number }>();
    for (const r of ok(A)) byId.set(r.param_id, { ...byId.get(r.param_id), a: r.loss! });
    for (const r of ok(B)) byId.set(r.param_id, { ...byId.get(r.param_id), b: r.loss! });
    const pts = [...byId].filter(([, v]) => v.a !== undefined && v.b !== undefined) as [
      string,
      { a: number; b: number },
    ][];
    const dominated = (p: { a: number; b: number }) =>
      pts.some(([, q]) => q.a <= p.a && q.b <= p.b && (q.a < p.a || q.b < p.b));
    const front = pts
      .filter(([, p]) => !dominated(p))
      .map(([id]) => id)
      .sort();
    expect(res.front.map((f) => f.param_id).sort()).toEqual(front);
    expect(res.n).toBe(pts.length);
    expect(res.cells.reduce((s, c) => s + c.n, 0) + res.outside).toBe(pts.length);
    const sky = await t.skyline({}, TARGETS);
    if ('unavailable' in sky) throw new Error(sky.unavailable);
    expect(sky.rows.map((r) => String(r.param_id)).sort()).toEqual(front);
  });
});

describe('failures', () => {
  it('groups by target, status and error type with counts', async () => {
    const groups = await new FailureQueries(engine).groups({});
    for (const g of groups) {
      const n = rows.filter((r) => r.target === g.target && r.status === g.status).length;
      expect(g.count).toBe(n);
    }
    expect(groups.reduce((s, g) => s + g.count, 0)).toBe(rows.filter((r) => r.status !== 'ok').length);
  });
});
