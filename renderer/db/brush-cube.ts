// A brush cube: built when the pointer or focus enters one histogram (its target "active"), it
// holds every histogram's bins, the row count and the job header's per-target summary by where
// each set's active-target loss falls among that histogram's bin edges (brush-cube-sql.ts). A
// brush on the active histogram whose ends are its edges is then answered by summing, with no
// query; anything else (another brush changed, the pivot rebuilt, a range off the edges) is not
// answered here and the caller queries as before.
import type { LossFilter, Range } from '../../shared/query-types.ts';
import { ident } from '../../shared/sql.ts';
import type { PivotLayout } from './analysis.ts';
import { num, plainRows } from './arrow-rows.ts';
import { cubeSql, edgeKeyExpr, inEdgeRange, KEY } from './brush-cube-sql.ts';
import { pivotBrushPredicates, withoutBrush } from './brush-sql.ts';
import { brushedCountsApply } from './brushed-counts-sql.ts';
import type { SqlEngine } from './engine-types.ts';
import { type BinSpec, pivotBinsSql } from './histogram-sql.ts';
import { emptyHeadline, headlineOf, type TargetHeadline } from './job-summary.ts';

/** Cubes above this many cells (many bins × many targets) are not built: queries answer. */
const MAX_CELLS = 200_000;

export type CubeCounts = Map<string, TargetHeadline & { rows: number }>;
type Counts = Omit<TargetHeadline, 'target'> & { rows: number };

interface Cube {
  active: string;
  table: string;
  /** Canonical filter without the active brush, and canonical specs: what the cube was built for. */
  rest: string;
  specs: string;
  edges: readonly number[];
  /** Every histogram under `rest` (the active one's foreground does not move with its own brush). */
  base: { target: string; bin: number; all: number; sel: number }[];
  cells: { target: string; key: number; bin: number; n: number }[];
  /** Null when the pivot does not answer the counts (brushed-counts-sql.ts). */
  counts: ({ target: string; key: number } & Counts)[] | null;
}

interface Entry {
  id: string;
  /** What `match` compares before the cube is built: a brush may wait for a cube on its way. */
  table: string;
  rest: string;
  specs: string;
  edges: readonly number[];
  built: Cube | null;
  done: Promise<void>;
}

/** The same filter with its maps in another order, or with empty maps, is the same context. */
export function canonical(v: unknown): string {
  if (v === null || v === undefined || typeof v !== 'object') return JSON.stringify(v ?? null);
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  const o = v as Record<string, unknown>;
  const empty = (x: unknown) =>
    x === undefined || (typeof x === 'object' && x !== null && !Array.isArray(x) && !Object.keys(x).length);
  const keys = Object.keys(o)
    .filter((k) => !empty(o[k]))
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
}

export class BrushCube {
  /** Per active target: the latest cube asked for, and once built, the cube. */
  private readonly cubes = new Map<string, Entry>();

  constructor(private readonly engine: SqlEngine) {}

  /** Build (once per context) the cube for brushing `active` under the rest of `filter`; resolves when built. */
  prepare(
    filter: LossFilter,
    active: BinSpec,
    edges: readonly number[],
    specs: readonly BinSpec[],
    table: string,
    layout: PivotLayout,
  ): Promise<void> {
    const restFilter = withoutBrush(filter, { target: active.target });
    const [rest, specKey] = [canonical(restFilter), canonical(specs)];
    const id = `${table}\n${rest}\n${specKey}\n${canonical(edges)}`;
    const had = this.cubes.get(active.target);
    if (had?.id === id) return had.done;
    const entry: Entry = { id, table, rest, specs: specKey, edges, built: null, done: Promise.resolve() };
    this.cubes.set(active.target, entry);
    const others = specs.filter((s) => s.target !== active.target);
    const size = (edges.length * 2 + 2) * (others.reduce((s, o) => s + o.bins, 0) + layout.targets.length);
    if (size > MAX_CELLS) return entry.done;
    const key = edgeKeyExpr(ident(active.target), active, edges);
    const predsFor = (t: string) => pivotBrushPredicates(withoutBrush(restFilter, { target: t }), layout);
    const baseSql = pivotBinsSql(table, specs, predsFor);

    // Counted from the cube only where the pivot answers the filter as it is while brushing.
    const brushing = {
      ...restFilter,
      lossRanges: { ...restFilter.lossRanges, [active.target]: [null, null] as Range },
    };
    const counts = brushedCountsApply(brushing, layout)
      ? { targets: layout.targets, preds: pivotBrushPredicates(restFilter, layout) }
      : null;
    const cubeQuery = cubeSql(table, active.target, key, others, predsFor, counts);
    const run = (sql: string | null) =>
      sql ? this.engine.query(sql).then(plainRows) : Promise.resolve(null);
    entry.done = Promise.all([run(baseSql), run(cubeQuery)])
      .then(
        ([b, rows]): Cube => ({
          active: active.target,
          table,
          rest,
          specs: specKey,
          edges,
          base: (b ?? []).map((r) => ({
            target: String(r.target),
            bin: num(r.__bin) ?? 0,
            all: num(r.n_all) ?? 0,
            sel: num(r.n_sel) ?? 0,
          })),
          cells: (rows ?? [])
            .filter((r) => r.part === 'cell')
            .map((r) => ({
              target: String(r.target),
              key: num(r[KEY]) ?? 0,
              bin: num(r.__bin) ?? 0,
              n: num(r.n) ?? 0,
            })),
          counts: !counts
            ? null
            : (rows ?? [])
                .filter((r) => r.part === 'count')
                .map((r) => ({
                  ...headlineOf(String(r.target), r),
                  key: num(r[KEY]) ?? 0,
                  rows: num(r.rows) ?? 0,
                })),
        }),
        () => null,
      )
      .then((cube) => {
        if (this.cubes.get(active.target) !== entry) return;
        if (cube) entry.built = cube;
        else this.cubes.delete(active.target); // a failed build may be retried
      });
    return entry.done;
  }

  /**
   * The cube for `filter`: one whose context is `filter` without its active brush, with that
   * brush's ends on its edges.
   */
  private async match(filter: LossFilter, table: string, specs?: readonly BinSpec[]) {
    const endsOn = (active: string, e: Entry) =>
      filter.lossRanges?.[active]?.map((x) => (x === null ? null : e.edges.indexOf(x))) ?? null;
    const fits = (active: string, e: Entry) =>
      e.table === table &&
      (!specs || canonical(specs) === e.specs) &&
      !endsOn(active, e)?.includes(-1) &&
      endsOn(active, e) !== null &&
      canonical(withoutBrush(filter, { target: active })) === e.rest;
    const hit = [...this.cubes.entries()].find(([active, e]) => fits(active, e));
    if (!hit) return null;
    // One on its way (the pointer came moments ago) is waited for: it is nearer done than the
    // queries would be, and they would slow it down.
    if (!hit[1].built) await hit[1].done;
    const cube = hit[1].built;
    if (!cube) return null;
    const [a, b] = endsOn(hit[0], hit[1]) as [number | null, number | null];
    return { cube, inside: (c: number) => inEdgeRange(c, a, b) };
  }

  /** Every histogram's counts (target → bin → all, sel), or null: query. */
  async histograms(filter: LossFilter, specs: readonly BinSpec[], table: string) {
    const m = await this.match(filter, table, specs);
    if (!m) return null;
    const out = new Map<string, Map<number, { all: number; sel: number }>>();
    const at = (t: string, bin: number) => {
      const bins = out.get(t) ?? new Map<number, { all: number; sel: number }>();
      out.set(t, bins);
      const c = bins.get(bin) ?? { all: 0, sel: 0 };
      bins.set(bin, c);
      return c;
    };
    for (const x of m.cube.base) {
      const c = at(x.target, x.bin);
      c.all = x.all;
      if (x.target === m.cube.active) c.sel = x.sel;
    }
    for (const x of m.cube.cells) if (m.inside(x.key)) at(x.target, x.bin).sel += x.n;
    return out;
  }

  /** Per target the rows, ok/failed/missing and best under `filter`, or null: query. */
  async counts(filter: LossFilter, table: string): Promise<CubeCounts | null> {
    const m = await this.match(filter, table);
    if (!m?.cube.counts) return null;
    const by: CubeCounts = new Map();
    for (const x of m.cube.counts) {
      const t = by.get(x.target) ?? { ...emptyHeadline(x.target), rows: 0 };
      by.set(x.target, t);
      if (!m.inside(x.key)) continue;
      t.rows += x.rows;
      t.ok += x.ok;
      t.failed += x.failed;
      t.missing += x.missing;
      // The least (loss, param_id), as arg_min over the rows picks it (param_ids compared as
      // DuckDB does for the ASCII ids stores hold).
      const better =
        x.best !== null &&
        (t.best === null || x.best < t.best || (x.best === t.best && (x.bestId ?? '') < (t.bestId ?? '')));
      if (better) [t.best, t.bestId] = [x.best, x.bestId];
    }
    return by;
  }
}
