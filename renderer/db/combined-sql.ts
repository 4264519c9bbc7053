// SQL for the Pivot and Best views over the per-parameter-set pivot (analysis-sql.ts pivotCte,
// materialised by derived.ts when the store is in memory): the combined loss under the user's
// method, its rank, pages in any order, the best N, and per-target deciles for cell colours.
//
// Combined loss, over the *active* targets (the filter's targets, else all; for a weighted sum
// only targets with a non-zero weight): the mean of their losses (modelops' multi-target loss),
// the mean of their per-target ranks, or Σ weight × loss. A set missing any active target has no
// combined loss and no rank, and is ordered after every complete set.

import { combinedExpr } from '../../shared/combined-sql.ts';
import type { CombinedLoss, LossFilter, LossSortState } from '../../shared/query-types.ts';
import { ident } from '../../shared/sql.ts';
import { pivotCte, statusColumn } from './analysis-sql.ts';
import { int } from './sql.ts';

/** Where pivot rows come from: a derived table, or the pivot CTE computed in the same query. */
export interface PivotSource {
  /** CTE definitions (without WITH) that `rel` needs, or '' for a table. */
  ctes: string;
  rel: string;
}

export const tableSource = (table: string): PivotSource => ({ ctes: '', rel: ident(table) });

export function directSource(
  targets: readonly string[],
  params: readonly string[],
  filter: LossFilter,
): PivotSource {
  return { ctes: pivotCte(targets, params, filter), rel: 'param_ranked' };
}

/**
 * The sets table (derived.ts: a row per set, no ranks) as a pivot source, with the pivot's `n_ok`
 * (targets with an ok loss) computed per row: enough for counts, deciles, ranges and the combined
 * loss by mean or weighted sum.
 */
export function setsSource(sets: string, targets: readonly string[]): PivotSource {
  const nOk = targets.map((t) => `(${ident(t)} IS NOT NULL)::INTEGER`).join(' + ') || '0';
  return { ctes: '', rel: `(SELECT *, (${nOk})::INTEGER AS n_ok FROM ${ident(sets)}) AS __sets` };
}

// The combined loss itself is defined once, in shared/, for these views and the host's best-N export.
export { activeTargets, combinedExpr, weightOf } from '../../shared/combined-sql.ts';

export const PIVOT_FIXED = ['param_id', 'n_ok', 'combined', 'rank'] as const;

function ranked(
  src: PivotSource,
  targets: readonly string[],
  params: readonly string[],
  active: readonly string[],
  combined: CombinedLoss,
): string {
  const cols = pageColumns(targets, params);
  const ctes = src.ctes ? `${src.ctes},` : '';
  return `WITH ${ctes}
    __c AS (SELECT ${cols.join(', ')}, ${combinedExpr(active, combined)} AS combined FROM ${src.rel}),
    __r AS (SELECT *, CASE WHEN combined IS NOT NULL THEN rank() OVER (ORDER BY combined NULLS LAST) END::BIGINT AS rank FROM __c)`;
}

/** Complete sets by combined loss, then incomplete ones (most targets first); param_id breaks ties. */
const RANK_ORDER = 'rank NULLS LAST, n_ok DESC, param_id';

/** By any column; ties in the rank order. */
export function combinedOrder(sort: LossSortState): string {
  if (!sort) return RANK_ORDER;
  const dir = sort.desc ? 'DESC' : 'ASC';
  if (sort.column === 'rank' || sort.column === 'combined')
    return `${sort.column} ${dir} NULLS LAST, ${RANK_ORDER}`;
  return `${ident(sort.column)} ${dir} NULLS LAST, ${RANK_ORDER}`;
}

export const isRankColumn = (c: string) => c === 'rank' || c === 'combined';

/** The pivot columns a page shows, in order (the combined loss and rank come from the ranking). */
export function pageColumns(targets: readonly string[], params: readonly string[]): string[] {
  return [
    'param_id',
    ...targets.flatMap((t) => [ident(t), ident(statusColumn(t))]),
    'n_ok',
    ...params.map(ident),
  ];
}

export function combinedPageSql(
  src: PivotSource,
  targets: readonly string[],
  params: readonly string[],
  active: readonly string[],
  combined: CombinedLoss,
  sort: LossSortState,
  offset: number,
  limit: number,
): string {
  return `${ranked(src, targets, params, active, combined)}
    SELECT * FROM __r ORDER BY ${combinedOrder(sort)} LIMIT ${int(limit)} OFFSET ${int(offset)}`;
}

/**
 * A page in the rank order without a ranking table: the first `offset + limit` sets by a top-N,
 * ranked among themselves. Every set with a lower combined loss is among them, so each rank is the
 * global one (what combinedPageSql gives), at the cost of a heap of `offset + limit` rows instead
 * of a sort of every set (10M rows, 3.3M sets natively: ~60 ms against ~3 s).
 */
export function topRankedPageSql(
  src: PivotSource,
  targets: readonly string[],
  params: readonly string[],
  active: readonly string[],
  combined: CombinedLoss,
  offset: number,
  limit: number,
): string {
  const cols = pageColumns(targets, params);
  const order = 'combined NULLS LAST, n_ok DESC, param_id';
  return `WITH ${src.ctes ? `${src.ctes},` : ''}
    __t AS (SELECT ${cols.join(', ')}, ${combinedExpr(active, combined)} AS combined FROM ${src.rel}
      ORDER BY ${order} LIMIT ${int(offset + limit)})
    SELECT *, CASE WHEN combined IS NOT NULL THEN rank() OVER (ORDER BY combined) END::BIGINT AS rank
    FROM __t ORDER BY ${order} LIMIT ${int(limit)} OFFSET ${int(offset)}`;
}

/** Whether topRankedPageSql answers this page (the rank order, not too deep). */
export function topRankedPage(sort: LossSortState, offset: number, limit: number): boolean {
  const rankOrder = !sort || (!sort.desc && (sort.column === 'rank' || sort.column === 'combined'));
  return rankOrder && offset + limit <= TOP_RANKED_MAX;
}

/** Deeper pages wait for the ranking table: a top-N heap this large is no cheaper than the sort. */
const TOP_RANKED_MAX = 20_000;

/**
 * The best `n` complete sets by combined loss. No window: a top-N over the combined expression,
 * so a weight change costs one scan of the pivot; the caller numbers the rows (ties: param_id).
 */
export function combinedTopSql(
  src: PivotSource,
  targets: readonly string[],
  params: readonly string[],
  active: readonly string[],
  combined: CombinedLoss,
  n: number,
): string {
  const cols = ['param_id', ...targets.map(ident), 'n_ok', ...params.map(ident)];
  return `${src.ctes ? `WITH ${src.ctes}` : ''} SELECT * FROM (
      SELECT ${cols.join(', ')}, ${combinedExpr(active, combined)} AS combined FROM ${src.rel}
    ) WHERE combined IS NOT NULL ORDER BY combined, param_id LIMIT ${int(n)}`;
}

export function pivotCountSql(src: PivotSource): string {
  return `${src.ctes ? `WITH ${src.ctes}` : ''} SELECT count(*)::BIGINT AS n FROM ${src.rel}`;
}

export const DECILES = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9] as const;

/** Per target, the 10 %…90 % quantiles of its ok losses among the filtered sets: cell colours. */
export function decilesSql(src: PivotSource, targets: readonly string[]): string | null {
  if (!targets.length) return null;
  const q = `[${DECILES.join(', ')}]`;
  const cols = targets.map((t, i) => `quantile_disc(${ident(t)}, ${q}) AS ${ident(`q${i}`)}`);
  return `${src.ctes ? `WITH ${src.ctes}` : ''} SELECT ${cols.join(', ')} FROM ${src.rel}`;
}
