// The Pivot and Best queries in DuckDB-WASM (derived table and direct) against a reference
// computed here in JavaScript from the raw rows native DuckDB reads off the same shards.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CombinedLoss, LossFilter } from '../../shared/query-types.ts';
import { AnalysisQueries } from './analysis.ts';
import { statusColumn } from './analysis-sql.ts';
import { DerivedTables } from './derived.ts';
import type { SqlEngine } from './engine-types.ts';
import { PivotQueries } from './pivot-queries.ts';
import { ShardRegistry } from './registry.ts';
import { nativeReference, TORTURE_TARGETS, writeTortureStore } from './testing/fixtures.ts';
import { createNodeEngine } from './testing/node-engine.ts';

const [A, B] = TORTURE_TARGETS;
const layout = { targets: [...TORTURE_TARGETS], params: ['param_a"b', 'param_scenario', 'param_population'] };
let dir: string;
let engine: SqlEngine;
let registry: ShardRegistry;
let withTable: PivotQueries;
let direct: PivotQueries;
type Raw = { param_id: string; target: string; status: string; loss: number | null; ab: number };
let raw: Raw[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'losslens-pq-'));
  const manifest = await writeTortureStore(dir);
  engine = await createNodeEngine();
  registry = new ShardRegistry(engine, { shardUrl: (_id, p) => join(dir, p) });
  await registry.sync({ id: 'abc', manifest });
  await registry.idle();
  const derived = new DerivedTables(engine, {
    version: () => registry.version,
    enabled: () => registry.mode === 'memory',
  });
  withTable = new PivotQueries(engine, new AnalysisQueries(engine, derived, () => layout));
  direct = new PivotQueries(engine, new AnalysisQueries(engine));
  const native = await nativeReference(dir, manifest);
  raw = (await native.rows(
    `SELECT param_id, target, status, loss, "param_a""b" AS ab FROM losses`,
  )) as unknown as Raw[];
  native.close();
});
afterAll(async () => {
  registry.close();
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The reference: per set its ok losses, then the combined loss as the method defines it. */
function reference(combined: CombinedLoss, keep: (r: Raw) => boolean = () => true) {
  const rows = raw.filter(keep);
  const ok = rows.filter((r) => r.status === 'ok' && r.loss !== null);
  const rankOf = (t: string, loss: number) =>
    1 + ok.filter((r) => r.target === t && (r.loss as number) < loss).length;
  const sets = new Map<string, Map<string, number>>();
  for (const r of rows) if (!sets.has(r.param_id)) sets.set(r.param_id, new Map());
  for (const r of ok) sets.get(r.param_id)?.set(r.target, r.loss as number);
  const w = (t: string) => combined.weights[t] ?? 1;
  const active = combined.method === 'weighted' ? layout.targets.filter((t) => w(t) !== 0) : layout.targets;
  const out: { id: string; c: number }[] = [];
  for (const [id, losses] of sets) {
    if (!active.every((t) => losses.has(t))) continue;
    const v = active.map((t) => losses.get(t) as number);
    const c =
      combined.method === 'mean'
        ? v.reduce((s, x) => s + x, 0) / v.length
        : combined.method === 'weighted'
          ? active.reduce((s, t) => s + w(t) * (losses.get(t) as number), 0)
          : active.reduce((s, t) => s + rankOf(t, losses.get(t) as number), 0) / active.length;
    out.push({ id, c });
  }
  out.sort((a, b) => a.c - b.c || (a.id < b.id ? -1 : 1));
  return { sets: sets.size, ranked: out };
}

const METHODS: CombinedLoss[] = [
  { method: 'mean', weights: {} },
  { method: 'weighted', weights: { [A]: 2, [B]: 0.5 } },
  { method: 'weighted', weights: { [A]: 0.25, [B]: 3 } },
  { method: 'weighted', weights: { [A]: 0 } },
  { method: 'mean-rank', weights: {} },
];

describe('combined ranking', () => {
  for (const combined of METHODS)
    it(`best N and pivot pages by ${JSON.stringify(combined)}`, async () => {
      const ref = reference(combined);
      for (const q of [withTable, direct]) {
        const best = await q.bestCombined(layout, {}, combined, 15);
        expect(best.map((r) => r.param_id)).toEqual(ref.ranked.slice(0, 15).map((r) => r.id));
        for (const [i, r] of best.entries()) expect(r.combined as number).toBeCloseTo(ref.ranked[i]!.c, 9);
        const page = await q.page(layout, {}, combined, null, 0, 1000);
        expect(page.length).toBe(ref.sets);
        // Every complete set, in combined order (ties may break differently: by position or id).
        const head = page.slice(0, ref.ranked.length);
        expect(new Set(head.map((r) => r.param_id))).toEqual(new Set(ref.ranked.map((r) => r.id)));
        for (const [i, r] of head.entries()) expect(r.combined as number).toBeCloseTo(ref.ranked[i]!.c, 9);
        // Sets missing a combined target come after every complete one, without a rank.
        expect(page.slice(ref.ranked.length).every((r) => r.rank === null)).toBe(true);
      }
    });

  it('two weightings rank differently, and a brushed filter re-ranks the sets left', async () => {
    const [w1, w2] = [METHODS[1]!, METHODS[2]!];
    const a = await withTable.bestCombined(layout, {}, w1, 10);
    const b = await withTable.bestCombined(layout, {}, w2, 10);
    expect(a.map((r) => r.param_id)).not.toEqual(b.map((r) => r.param_id));
    const filter: LossFilter = { paramRanges: { 'param_a"b': [0.3, 0.8] } };
    const ref = reference(w1, (r) => r.ab >= 0.3 && r.ab <= 0.8);
    const got = await withTable.bestCombined(layout, filter, w1, 10);
    expect(got.map((r) => r.param_id)).toEqual(ref.ranked.slice(0, 10).map((r) => r.id));
    expect(await withTable.count(layout, filter)).toBe(ref.sets);
  });
});

describe('pivot pages', () => {
  it('read from the ranking table, they follow the direct pivot in every order and offset', async () => {
    const sorts = [
      null,
      { column: A, desc: false },
      { column: B, desc: true },
      { column: 'combined', desc: true },
      { column: 'rank', desc: false },
      { column: 'rank', desc: true },
      { column: 'n_ok', desc: true },
      { column: 'param_scenario', desc: false },
    ];
    for (const combined of [METHODS[1]!, METHODS[4]!])
      for (const sort of sorts)
        for (const [offset, limit] of [
          [0, 100],
          [37, 50],
          [180, 100],
        ] as const) {
          // Same order keys row by row (ties may hold other sets: by position vs by param_id).
          const key = (r: Record<string, unknown>) => [
            sort ? r[sort.column] : null,
            r.combined,
            r.rank,
            r.n_ok,
          ];
          const got = (await withTable.page(layout, {}, combined, sort, offset, limit)).map(key);
          const ref = (await direct.page(layout, {}, combined, sort, offset, limit)).map(key);
          expect(got, JSON.stringify([combined, sort, offset])).toEqual(ref);
        }
  });

  it('by a mean or weighted sum, equal the direct pivot row for row, before and after the ranking table', async () => {
    const derived = new DerivedTables(engine, {
      version: () => registry.version,
      enabled: () => registry.mode === 'memory',
    });
    for (const combined of [METHODS[0]!, METHODS[1]!, METHODS[3]!])
      for (const [offset, limit] of [
        [0, 100],
        [180, 100],
      ] as const) {
        const ref = await direct.page(layout, {}, combined, null, offset, limit);
        // A fresh instance has no ranking table yet: the page is a top-N over the sets table.
        const early = new PivotQueries(engine, new AnalysisQueries(engine, derived, () => layout));
        expect(await early.page(layout, {}, combined, null, offset, limit)).toEqual(ref);
        await early.warm(layout, combined); // the ranking table now exists
        expect(await early.page(layout, {}, combined, null, offset, limit)).toEqual(ref);
        expect(await early.page(layout, {}, combined, { column: A, desc: true }, offset, limit)).toEqual(
          await direct.page(layout, {}, combined, { column: A, desc: true }, offset, limit),
        );
      }
  });

  it('counts sets, sorts by a target with NULLs last, and says failed / missing per cell', async () => {
    const ids = new Set(raw.map((r) => r.param_id));
    expect(await withTable.count(layout, {})).toBe(ids.size);
    const okA = raw
      .filter((r) => r.target === A && r.status === 'ok')
      .sort((x, y) => (x.loss as number) - (y.loss as number));
    const page = await withTable.page(layout, {}, METHODS[0]!, { column: A, desc: false }, 0, 5);
    expect(page[0]?.param_id).toBe(okA[0]?.param_id);
    expect(page[0]?.[A]).toBe(okA[0]?.loss);
    const failed = raw.find((r) => r.target === A && r.status === 'failed')!;
    const missing = raw.find((r) => r.target === A && r.status === 'missing')!;
    const all = await withTable.page(layout, {}, METHODS[0]!, null, 0, 1000);
    expect(all.find((r) => r.param_id === failed.param_id)?.[statusColumn(A)]).toBe('failed');
    expect(all.find((r) => r.param_id === missing.param_id)?.[statusColumn(A)]).toBe('missing');
    const deciles = await withTable.deciles(layout, {});
    expect(deciles.get(A)?.length).toBe(9);
  });
});
