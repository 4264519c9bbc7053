// Pivot, histogram, top-N, Pareto and slices against real shards, checked by brute force in JS
// over native DuckDB's rows.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnalysisQueries } from './analysis.ts';
import { plainRows } from './arrow-rows.ts';
import type { SqlEngine } from './engine-types.ts';
import { ShardRegistry } from './registry.ts';
import { nativeReference, TORTURE_TARGETS, writeTortureStore } from './testing/fixtures.ts';
import { createNodeEngine } from './testing/node-engine.ts';

const PARAMS = ['param_a"b', 'param_scenario'];
const [A, B] = TORTURE_TARGETS;
let dir: string;
let engine: SqlEngine;
let q: AnalysisQueries;
let okRows: { param_id: string; target: string; loss: number }[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'losslens-a-'));
  const manifest = await writeTortureStore(dir);
  engine = await createNodeEngine();
  await new ShardRegistry(engine, { shardUrl: (_id, p) => join(dir, p), memoryRows: 0 }).sync({
    id: 'abc',
    manifest,
  });
  q = new AnalysisQueries(engine);
  const native = await nativeReference(dir, manifest);
  okRows = (await native.rows(
    `SELECT param_id, target, loss FROM losses WHERE status = 'ok'`,
  )) as typeof okRows;
  native.close();
});
afterAll(async () => {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('pivotPage', () => {
  it('has one column per target (quoted names), counts and overall rank', async () => {
    const rows = plainRows(await q.pivotPage(TORTURE_TARGETS, PARAMS, {}, null, 0, 10));
    expect(rows).toHaveLength(10);
    expect(Object.keys(rows[0] ?? {})).toEqual(
      expect.arrayContaining([A, B, 'n_ok', 'mean_rank', 'overall_rank', 'param_a"b']),
    );
    expect(rows[0]?.overall_rank).toBe(1);
    const sorted = plainRows(
      await q.pivotPage(TORTURE_TARGETS, PARAMS, {}, { column: B, desc: false }, 0, 1),
    );
    const bestB = Math.min(...okRows.filter((r) => r.target === B).map((r) => r.loss));
    expect(sorted[0]?.[B]).toBe(bestB);
  });
});

describe('histogram', () => {
  it('puts every ok row in exactly one bin', async () => {
    const h = await q.histogram(A, 20, {});
    expect(h.bins).toHaveLength(20);
    expect(h.bins.reduce((s, b) => s + b.count, 0)).toBe(okRows.filter((r) => r.target === A).length);
    expect(h.excluded).toBeGreaterThan(0);
  });
  it('on a log scale leaves out non-positive losses', async () => {
    const h = await q.histogram(B, 10, {}, true);
    const positive = okRows.filter((r) => r.target === B && r.loss > 0).length;
    expect(h.bins.reduce((s, b) => s + b.count, 0)).toBe(positive);
  });
});

describe('topN', () => {
  it('per target and combined', async () => {
    const top = plainRows(await q.topN(A, 5, {}, TORTURE_TARGETS, PARAMS));
    const ref = okRows
      .filter((r) => r.target === A)
      .sort((x, y) => x.loss - y.loss || x.param_id.localeCompare(y.param_id));
    expect(top.map((r) => r.param_id)).toEqual(ref.slice(0, 5).map((r) => r.param_id));
    const combined = plainRows(await q.topN('combined', 5, {}, TORTURE_TARGETS, PARAMS));
    expect(combined).toHaveLength(5);
    expect(combined.every((r) => r.n_ok === 2)).toBe(true);
  });
});

describe('paretoFront', () => {
  it('returns exactly the non-dominated parameter sets', async () => {
    const front = await q.paretoFront(A, B, {});
    const byParam = new Map<string, { a?: number; b?: number }>();
    for (const r of okRows) {
      const p = byParam.get(r.param_id) ?? {};
      if (r.target === A) p.a = r.loss;
      else p.b = r.loss;
      byParam.set(r.param_id, p);
    }
    const pts = [...byParam].filter(([, p]) => p.a !== undefined && p.b !== undefined) as [
      string,
      { a: number; b: number },
    ][];
    const expected = pts
      .filter(([, p]) => !pts.some(([, o]) => o.a <= p.a && o.b <= p.b && (o.a < p.a || o.b < p.b)))
      .map(([id]) => id)
      .sort();
    expect(front.map((p) => p.param_id).sort()).toEqual(expected);
  });
});

describe('paramSlice', () => {
  it('samples at most maxPoints and reports the total', async () => {
    const s = await q.paramSlice('param_a"b', A, {}, 50);
    expect(s.points).toHaveLength(50);
    expect(s.total).toBe(okRows.filter((r) => r.target === A).length);
    const again = await q.paramSlice('param_a"b', A, {}, 50);
    expect(again.points).toEqual(s.points);
  });
});
