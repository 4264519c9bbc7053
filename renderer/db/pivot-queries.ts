// Typed queries for the Pivot and Best views (SQL in combined-sql.ts). Each reads the derived
// tables for the filter when there are any (derived.ts): the sets table for counts, deciles,
// ranges and the combined loss by mean or weighted sum, the ranked pivot only for the mean of
// ranks; else the pivot computed in the same query. Each returns a page, the best N or a few
// numbers, never all parameter sets.
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
  setsSource,
  tableSource,
  topRankedPage,
  topRankedPageSql,
} from './combined-sql.ts';
import type { SqlEngine } from './engine-types.ts';
import { createRankSql, PIVOT_TIE, rankedPageSql, SETS_TIE } from './rank-sql.ts';

/** The mean of ranks needs the ranked pivot; means and weighted sums read the sets table. */
const needsRanks = (combined: CombinedLoss) => combined.method === 'mean-rank';

/** A derived table a query reads, with its source form. */
interface Derived {
  name: string;
  src: PivotSource;
  tie: string;
}

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
  private readonly rankings = new Map<string, { pivot: string; table: Promise<string>; done?: string }>();
  /** Results that depend only on a derived table (its name changes with the data and filter). */
  private readonly memo = new Map<string, Promise<unknown>>();
  private seq = 0;

  constructor(
    private readonly engine: SqlEngine,
    private readonly analysis: AnalysisQueries,
  ) {}

  /** The table `combined` ranks from (see needsRanks), or null without derived tables. */
  private async derived(
    layout: PivotLayout,
    filter: LossFilter,
    combined: CombinedLoss | null,
  ): Promise<Derived | null> {
    if (combined && needsRanks(combined)) {
      const t = await this.analysis.pivotTable(filter, layout);
      return t ? { name: t.name, src: tableSource(t.name), tie: PIVOT_TIE } : null;
    }
    const t = await this.analysis.setsTable(filter, layout);
    return t ? { name: t.name, src: setsSource(t.name, layout.targets), tie: SETS_TIE } : null;
  }

  /** Where a query under `combined` (null: any method) reads its sets from. */
  async source(
    layout: PivotLayout,
    filter: LossFilter,
    combined: CombinedLoss | null = null,
  ): Promise<PivotSource> {
    const d = await this.derived(layout, filter, combined);
    return d ? d.src : directSource(layout.targets, layout.params, filter);
  }

  /** Once per derived table; direct (no table) results are not kept. */
  private once<T>(table: string | null, what: string, run: () => Promise<T>): Promise<T> {
    if (!table) return run();
    const key = `${table}:${what}`;
    let hit = this.memo.get(key) as Promise<T> | undefined;
    if (!hit) {
      if (this.memo.size > 16) this.memo.clear();
      hit = run();
      hit.catch(() => this.memo.delete(key));
      this.memo.set(key, hit);
    }
    return hit;
  }

  private key(d: Derived, active: readonly string[], combined: CombinedLoss): string {
    return JSON.stringify([d.name, active, combined.method, active.map((t) => combined.weights[t] ?? 1)]);
  }

  /** The ranking table of `d` under `combined`, built on first use. */
  private ranking(
    d: Derived,
    layout: PivotLayout,
    active: readonly string[],
    combined: CombinedLoss,
  ): Promise<string> {
    const key = this.key(d, active, combined);
    const hit = this.rankings.get(key);
    if (hit) {
      this.rankings.delete(key);
      this.rankings.set(key, hit);
      return hit.table;
    }
    const name = `__losslens_rank_${++this.seq}`;
    const table = this.engine
      .query(createRankSql(name, d.src, d.tie, layout.targets, layout.params, active, combined))
      .then(() => name);
    const entry: { pivot: string; table: Promise<string>; done?: string } = { pivot: d.name, table };
    table.then(
      (t) => (entry.done = t),
      () => this.rankings.delete(key),
    );
    this.rankings.set(key, entry);
    // Drop rankings of older derived tables (rebuilt for new rows or gone) and the least recent.
    for (const [k, r] of this.rankings) {
      if (r.pivot === d.name && this.rankings.size <= MAX_RANKINGS) continue;
      if (k === key) continue;
      this.rankings.delete(k);
      void r.table.then((t) => this.engine.query(`DROP TABLE IF EXISTS ${ident(t)}`)).catch(() => {});
    }
    return table;
  }

  /**
   * Build what the Pivot tab first asks for under no filter (its count, cell colours and ranking)
   * once the default sets table exists, so the tab's first click reads tables instead of building one.
   */
  async warm(layout: PivotLayout, combined: CombinedLoss): Promise<void> {
    const d = await this.derived(layout, {}, combined);
    if (!d) return;
    await this.count(layout, {});
    await this.deciles(layout, {});
    await this.ranking(d, layout, activeTargets(layout.targets, {}, combined), combined);
  }

  /** Parameter sets with any row under the filter: the pivot's row count. */
  async count(layout: PivotLayout, filter: LossFilter): Promise<number> {
    const d = await this.derived(layout, filter, null);
    return this.once(d?.name ?? null, 'count', async () => {
      const rows = plainRows(
        await this.engine.query(pivotCountSql(d?.src ?? (await this.source(layout, filter)))),
      );
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
    const d = await this.derived(layout, filter, combined);
    const active = activeTargets(layout.targets, filter, combined);
    const { targets, params } = layout;
    if (!d) {
      const src = directSource(targets, params, filter);
      return plainRows(
        await this.engine.query(combinedPageSql(src, targets, params, active, combined, sort, offset, limit)),
      );
    }
    const done = this.rankings.get(this.key(d, active, combined))?.done;
    // Means and weighted sums only: the ranking table of a mean of ranks breaks ties by __pos.
    if (!done && d.tie === SETS_TIE && topRankedPage(sort, offset, limit)) {
      // The first pages before the ranking table exists (3.3M sets: ~3 s to sort), asked first so
      // they do not queue behind its build.
      const sql = topRankedPageSql(d.src, targets, params, active, combined, offset, limit);
      const rows = plainRows(await this.engine.query(sql));
      void this.ranking(d, layout, active, combined).catch(() => {});
      return rows;
    }
    const ranks = await this.ranking(d, layout, active, combined);
    return plainRows(await this.engine.query(rankedPageSql(ranks, targets, params, sort, offset, limit)));
  }

  /** The best `n` complete sets by combined loss, numbered 1…n (`rank`). */
  async bestCombined(
    layout: PivotLayout,
    filter: LossFilter,
    combined: CombinedLoss,
    n: number,
  ): Promise<Plain[]> {
    const src = await this.source(layout, filter, combined);
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
    const d = await this.derived(layout, filter, null);
    return this.once(d?.name ?? null, 'deciles', () => this.decilesNow(layout, filter));
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
    const d = await this.derived(layout, filter, null);
    return this.once(d?.name ?? null, 'ranges', () => this.paramRangesNow(layout, filter));
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
