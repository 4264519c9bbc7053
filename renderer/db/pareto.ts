// The Trade-offs view's queries, over the derived pivot table for the filter's non-brush part with
// the brushes as predicates: a pair of targets' density and Pareto front, and the skyline over all
// targets. Without the store in memory there is no pivot, and the view says so (pairing two
// targets' rows by param_id over millions of sets is the join that ran DuckDB-WASM out of memory).
import type { LossFilter } from '../../shared/query-types.ts';
import type { AnalysisQueries, PivotLayout } from './analysis.ts';
import { num, plainRows } from './arrow-rows.ts';
import { baseFilter, pivotBrushPredicates } from './brush-sql.ts';
import type { SqlEngine } from './engine-types.ts';
import { frontSql, type PairAxes, pairDensitySql, pairRangeSql, skylineSql } from './pareto-sql.ts';

export const PAIR_BINS = { a: 60, b: 40 };
/** Front points listed at most (a front is rarely longer; the count says when it is). */
export const FRONT_LIMIT = 1000;
export const SKYLINE_LIMIT = 500;
/** The exact pairwise check runs only on this many candidates left after pruning. */
export const SKYLINE_MAX_CANDIDATES = 20_000;

export interface PairCell {
  ia: number;
  ib: number;
  n: number;
}
export interface FrontPoint {
  param_id: string;
  a: number;
  b: number;
}
export interface PairResult {
  /** Sets with an ok loss for both targets (after the filter). */
  n: number;
  axes: PairAxes | null;
  cells: PairCell[];
  /** Sets outside the drawn ranges (zoomed in). */
  outside: number;
  front: FrontPoint[];
}

export interface SkylineResult {
  count: number | null;
  /** Sets with every target ok. */
  total: number;
  rows: Record<string, unknown>[];
  note: string | null;
}

export type Unavailable = { unavailable: string };

export class TradeoffQueries {
  constructor(
    private readonly engine: SqlEngine,
    private readonly analysis: AnalysisQueries,
    private readonly layout: () => PivotLayout | null,
  ) {}

  private async source(filter: LossFilter) {
    const layout = this.layout();
    const pivot = layout ? await this.analysis.setsTable(baseFilter(filter)) : null;
    if (!pivot || !layout) return null;
    return { table: pivot.name, preds: pivotBrushPredicates(filter, layout) };
  }

  /** `zoom` in (0, 1]: axes span up to that quantile of each target (1 = everything). */
  async pair(filter: LossFilter, a: string, b: string, zoom: number): Promise<PairResult | Unavailable> {
    const src = await this.source(filter);
    if (!src) return { unavailable: notInMemory };
    const [r] = plainRows(await this.engine.query(pairRangeSql(src.table, a, b, zoom, src.preds)));
    const n = num(r?.n) ?? 0;
    const [aLo, aHi, bLo, bHi] = [num(r?.a_lo), num(r?.a_hi), num(r?.b_lo), num(r?.b_hi)];
    if (!n || aLo === null || aHi === null || bLo === null || bHi === null)
      return { n, axes: null, cells: [], outside: 0, front: [] };
    const top = (q: number | null, hi: number) => (zoom >= 1 || q === null ? hi : q);
    const axes: PairAxes = {
      a,
      b,
      aLo,
      aHi: widen(aLo, top(num(r?.a_q), aHi)),
      bLo,
      bHi: widen(bLo, top(num(r?.b_q), bHi)),
      aBins: PAIR_BINS.a,
      bBins: PAIR_BINS.b,
    };
    const cells: PairCell[] = [];
    let outside = 0;
    for (const c of plainRows(await this.engine.query(pairDensitySql(src.table, axes, src.preds)))) {
      const ia = num(c.__ia);
      if (ia === null) outside += num(c.n) ?? 0;
      else cells.push({ ia, ib: num(c.__ib) ?? 0, n: num(c.n) ?? 0 });
    }
    const front = plainRows(await this.engine.query(frontSql(src.table, a, b, src.preds, FRONT_LIMIT))).map(
      (p) => ({ param_id: String(p.param_id), a: num(p.a) ?? 0, b: num(p.b) ?? 0 }),
    );
    return { n, axes, cells, outside, front };
  }

  /** Sets no other set beats on every target at once. */
  async skyline(filter: LossFilter, targets: readonly string[]): Promise<SkylineResult | Unavailable> {
    const src = await this.source(filter);
    if (!src) return { unavailable: notInMemory };
    const [c] = plainRows(
      await this.engine.query(skylineSql(src.table, targets, src.preds, { countOnly: true })),
    );
    const candidates = num(c?.n) ?? 0;
    const total = num(c?.total) ?? 0;
    if (candidates > SKYLINE_MAX_CANDIDATES)
      return {
        count: null,
        total,
        rows: [],
        note: `${candidates.toLocaleString('en-US')} sets survive pruning: too many to check pairwise here; narrow the filter`,
      };
    const sql = skylineSql(src.table, targets, src.preds, { countOnly: false, limit: SKYLINE_LIMIT });
    const rows = plainRows(await this.engine.query(sql));
    return { count: num(rows[0]?.__total) ?? 0, total, rows, note: null };
  }
}

const notInMemory =
  'Trade-offs pair every target’s loss per parameter set, which needs the store in memory (up to 3,000,000 rows); this store is read from its shards.';

/** A zero-width range gets a unit width so bins exist. */
function widen(lo: number, hi: number): number {
  return hi > lo ? hi : lo + 1;
}
