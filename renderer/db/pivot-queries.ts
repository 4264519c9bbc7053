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

/** A parameter's range over every filtered set, for the Best view's spans. */
export interface ParamRange {
  column: string;
  min: unknown;
  max: unknown;
  distinct: number;
}

export class PivotQueries {
  constructor(
    private readonly engine: SqlEngine,
    private readonly analysis: AnalysisQueries,
  ) {}

  async source(layout: PivotLayout, filter: LossFilter): Promise<PivotSource> {
    const t = await this.analysis.pivotTable(filter, layout);
    return t ? tableSource(t.name) : directSource(layout.targets, layout.params, filter);
  }

  /** Parameter sets with any row under the filter: the pivot's row count. */
  async count(layout: PivotLayout, filter: LossFilter): Promise<number> {
    const rows = plainRows(await this.engine.query(pivotCountSql(await this.source(layout, filter))));
    return num(rows[0]?.n) ?? 0;
  }

  async page(
    layout: PivotLayout,
    filter: LossFilter,
    combined: CombinedLoss,
    sort: LossSortState,
    offset: number,
    limit: number,
  ): Promise<Plain[]> {
    const src = await this.source(layout, filter);
    const active = activeTargets(layout.targets, filter, combined);
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
