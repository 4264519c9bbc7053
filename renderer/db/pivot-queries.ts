// Typed queries for the Pivot and Best views (SQL in combined-sql.ts). Each reads the derived
// pivot table for the filter when the store is in memory (derived.ts), else the pivot computed in
// the same query; each returns a page, the best N or a few numbers, never all parameter sets.
import type { CombinedLoss, LossFilter, LossSortState } from '../../shared/query-types.ts';
import { ident } from '../../shared/sql.ts';
import type { AnalysisQueries, PivotLayout } from './analysis.ts';
import { topTargetSql } from './analysis-sql.ts';
import { num, type Plain, plainRows } from './arrow-rows.ts';
import {
  activeTargets,
  combinedPageSql,
  combinedTopSql,
  DECILES,
  decilesSql,
  directSource,
  type PivotSource,
  pivotCountSql,
  tableSource,
} from './combined-sql.ts';
import type { SqlEngine } from './engine-types.ts';
import { createRankSql, rankedPageSql } from './rank-sql.ts';

/** Rankings kept per session (a weight change builds one; going back to the last reuses it). */
const MAX_RANKINGS = 3;

/** A parameter's range over every filtered set, for the Best view's spans. */
export interface ParamRange {
  column: string;
  min: unknown;
  max: unknown;
  distinct: number;
}

export class PivotQueries {
  private readonly rankings = new Map<string, { pivot: string; table: Promise<string> }>();
  /** Results that depend only on the pivot table (its name changes with the data and filter). */
  private readonly memo = new Map<string, Promise<unknown>>();
  private seq = 0;

  constructor(
    private readonly engine: SqlEngine,
    private readonly analysis: AnalysisQueries,
  ) {}

  private async pivotName(layout: PivotLayout, filter: LossFilter): Promise<string | null> {
    return (await this.analysis.pivotTable(filter, layout))?.name ?? null;
  }

  async source(layout: PivotLayout, filter: LossFilter): Promise<PivotSource> {
    const name = await this.pivotName(layout, filter);
    return name ? tableSource(name) : directSource(layout.targets, layout.params, filter);
  }

  /** Once per derived table; direct (no table) results are not kept. */
  private once<T>(pivot: string | null, what: string, run: () => Promise<T>): Promise<T> {
    if (!pivot) return run();
    const key = `${pivot}:${what}`;
    let hit = this.memo.get(key) as Promise<T> | undefined;
    if (!hit) {
      if (this.memo.size > 16) this.memo.clear();
      hit = run();
      hit.catch(() => this.memo.delete(key));
      this.memo.set(key, hit);
    }
    return hit;
  }

  /** The ranking table of `pivot` under `combined`, built on first use. */
  private ranking(
    pivot: string,
    layout: PivotLayout,
    active: readonly string[],
    combined: CombinedLoss,
  ): Promise<string> {
    const key = JSON.stringify([pivot, active, combined.method, active.map((t) => combined.weights[t] ?? 1)]);
    const hit = this.rankings.get(key);
    if (hit) {
      this.rankings.delete(key);
      this.rankings.set(key, hit);
      return hit.table;
    }
    const name = `__losslens_rank_${++this.seq}`;
    const table = this.engine
      .query(createRankSql(name, pivot, layout.targets, layout.params, active, combined))
      .then(() => name);
    table.catch(() => this.rankings.delete(key));
    this.rankings.set(key, { pivot, table });
    // Drop rankings of older pivot tables (rebuilt for new rows or gone) and the least recent.
    for (const [k, r] of this.rankings) {
      if (r.pivot === pivot && this.rankings.size <= MAX_RANKINGS) continue;
      if (k === key) continue;
      this.rankings.delete(k);
      void r.table.then((t) => this.engine.query(`DROP TABLE IF EXISTS ${ident(t)}`)).catch(() => {});
    }
    return table;
  }

  /**
   * Build what the Pivot tab first asks for under no filter (its count, ranking and cell colours)
   * once the default pivot exists, so the tab's first click reads tables instead of building one.
   */
  async warm(layout: PivotLayout, combined: CombinedLoss): Promise<void> {
    const pivot = await this.pivotName(layout, {});
    if (!pivot) return;
    await this.ranking(pivot, layout, activeTargets(layout.targets, {}, combined), combined);
    await this.count(layout, {});
    await this.deciles(layout, {});
  }

  /** Parameter sets with any row under the filter: the pivot's row count. */
  async count(layout: PivotLayout, filter: LossFilter): Promise<number> {
    const pivot = await this.pivotName(layout, filter);
    return this.once(pivot, 'count', async () => {
      const rows = plainRows(await this.engine.query(pivotCountSql(await this.source(layout, filter))));
      return num(rows[0]?.n) ?? 0;
    });
  }

  async page(
    layout: PivotLayout,
    filter: LossFilter,
    combined: CombinedLoss,
    sort: LossSortState,
    offset: number,
    limit: number,
  ): Promise<Plain[]> {
    const pivot = await this.pivotName(layout, filter);
    const active = activeTargets(layout.targets, filter, combined);
    if (pivot) {
      const ranks = await this.ranking(pivot, layout, active, combined);
      const sql = rankedPageSql(ranks, layout.targets, layout.params, sort, offset, limit);
      return plainRows(await this.engine.query(sql));
    }
    const src = directSource(layout.targets, layout.params, filter);
    const sql = combinedPageSql(src, layout.targets, layout.params, active, combined, sort, offset, limit);
    return plainRows(await this.engine.query(sql));
  }

  /** The best `n` complete sets by combined loss, numbered 1…n (`rank`). */
  async bestCombined(
    layout: PivotLayout,
    filter: LossFilter,
    combined: CombinedLoss,
    n: number,
  ): Promise<Plain[]> {
    const src = await this.source(layout, filter);
    const active = activeTargets(layout.targets, filter, combined);
    const sql = combinedTopSql(src, layout.targets, layout.params, active, combined, n);
    return plainRows(await this.engine.query(sql)).map((r, i): Plain => ({ ...r, rank: i + 1 }));
  }

  /** The best `n` ok rows of one target (by loss, ties by param_id), numbered 1…n. */
  async bestOfTarget(layout: PivotLayout, filter: LossFilter, target: string, n: number): Promise<Plain[]> {
    const rows = plainRows(await this.engine.query(topTargetSql(target, layout.params, filter, n)));
    return rows.map((r, i): Plain => ({ ...r, rank: i + 1 }));
  }

  /** Per target, its 10 %…90 % loss quantiles among the filtered sets (cell colours). */
  async deciles(layout: PivotLayout, filter: LossFilter): Promise<Map<string, number[]>> {
    const pivot = await this.pivotName(layout, filter);
    return this.once(pivot, 'deciles', () => this.decilesNow(layout, filter));
  }

  private async decilesNow(layout: PivotLayout, filter: LossFilter): Promise<Map<string, number[]>> {
    const sql = decilesSql(await this.source(layout, filter), layout.targets);
    const out = new Map<string, number[]>();
    if (!sql) return out;
    const [row] = plainRows(await this.engine.query(sql));
    layout.targets.forEach((t, i) => {
      const v = row?.[`q${i}`] as { toArray?: () => ArrayLike<number> } | null | undefined;
      const list = v ? Array.from(v.toArray ? v.toArray() : (v as unknown as number[])) : [];
      if (list.length === DECILES.length) out.set(t, list.map(Number));
    });
    return out;
  }

  /** Every parameter's min, max and distinct count over the filtered sets. */
  async paramRanges(layout: PivotLayout, filter: LossFilter): Promise<ParamRange[]> {
    const pivot = await this.pivotName(layout, filter);
    return this.once(pivot, 'ranges', () => this.paramRangesNow(layout, filter));
  }

  private async paramRangesNow(layout: PivotLayout, filter: LossFilter): Promise<ParamRange[]> {
    if (!layout.params.length) return [];
    const src = await this.source(layout, filter);
    const cols = layout.params.flatMap((p, i) => [
      `min(${ident(p)}) AS ${ident(`lo${i}`)}`,
      `max(${ident(p)}) AS ${ident(`hi${i}`)}`,
      `count(DISTINCT ${ident(p)})::BIGINT AS ${ident(`n${i}`)}`,
    ]);
    const sql = `${src.ctes ? `WITH ${src.ctes}` : ''} SELECT ${cols.join(', ')} FROM ${src.rel}`;
    const [row] = plainRows(await this.engine.query(sql));
    return layout.params.map((column, i) => ({
      column,
      min: row?.[`lo${i}`] ?? null,
      max: row?.[`hi${i}`] ?? null,
      distinct: num(row?.[`n${i}`]) ?? 0,
    }));
  }
}

const perSession = new WeakMap<AnalysisQueries, PivotQueries>();

/** One PivotQueries per session, so its rankings and kept results outlive a tab switch. */
export function pivotQueriesFor(engine: SqlEngine, analysis: AnalysisQueries): PivotQueries {
  let q = perSession.get(analysis);
  if (!q) {
    q = new PivotQueries(engine, analysis);
    perSession.set(analysis, q);
  }
  return q;
}
