// The SQL behind each export, over the relation `losses` and a view's filter and sort
// (filter-sql.ts): the rows as shown, the best N parameter sets (one target, or the combined
// loss), and the per-parameter-set loss summary modelops' job runner uploads.
import { activeTargets, combinedExpr } from './combined-sql.ts';
import { int, LOSSES, orderClause, whereClause } from './filter-sql.ts';
import type { CombinedLoss, LossFilter, LossSortState } from './query-types.ts';
import { ident, literal } from './sql.ts';

/** The order of each derived export, as written in its provenance. */
export const BEST_TARGET_ORDER = `ORDER BY ${ident('loss')}, ${ident('param_id')}`;
export const BEST_COMBINED_ORDER = `ORDER BY combined, ${ident('param_id')}`;
export const SUMMARY_ORDER = `ORDER BY mean_loss NULLS LAST, ${ident('param_id')}`;

const OK_LOSS = `${ident('status')} = 'ok' AND ${ident('loss')} IS NOT NULL`;

/** The filtered rows with these columns, in the table's order for `sort`. */
export function rowsSql(columns: readonly string[], filter: LossFilter, sort: LossSortState): string {
  return `SELECT ${columns.map(ident).join(', ')} FROM ${LOSSES} ${whereClause(filter)} ${orderClause(sort)}`;
}

/** The best `n` parameter sets by their ok loss under one target (ties: param_id). */
export function bestTargetSql(
  target: string,
  params: readonly string[],
  filter: LossFilter,
  n: number,
): string {
  const cols = ['param_id', 'target', 'loss', 'n_replicates', ...params].map(ident).join(', ');
  return `SELECT row_number() OVER (ORDER BY ${ident('loss')}, ${ident('param_id')})::BIGINT AS ${ident('rank')}, ${cols}
    FROM ${LOSSES} ${whereClause(filter, `${ident('target')} = ${literal(target)}`, OK_LOSS)}
    ${BEST_TARGET_ORDER} LIMIT ${int(n)}`;
}

/**
 * One row per parameter set under the filter: its ok loss per target (a column named by the
 * target), `n_ok`, and `mean_rank`, the mean of its per-target ranks among ok rows.
 */
function perParamCte(targets: readonly string[], params: readonly string[], filter: LossFilter): string {
  const perTarget = targets.map(
    (t) =>
      `max(${ident('loss')}) FILTER (WHERE ${ident('target')} = ${literal(t)} AND ${OK_LOSS}) AS ${ident(t)}`,
  );
  const paramCols = params.map((p) => `any_value(${ident(p)}) AS ${ident(p)}`);
  return `__ranked AS (
      SELECT ${['param_id', 'target', 'status', 'loss', ...params].map(ident).join(', ')},
        CASE WHEN ${OK_LOSS} THEN rank() OVER (PARTITION BY ${ident('target')}, (${OK_LOSS}) ORDER BY ${ident('loss')}) END AS __rk
      FROM ${LOSSES} ${whereClause(filter)}),
    __per_param AS (
      SELECT ${ident('param_id')}, ${[...perTarget, ...paramCols].join(', ')},
        count(__rk)::INTEGER AS n_ok, avg(__rk) AS mean_rank
      FROM __ranked GROUP BY ${ident('param_id')})`;
}

/** The best `n` complete parameter sets by combined loss (ties: param_id), numbered from 1. */
export function bestCombinedSql(
  targets: readonly string[],
  params: readonly string[],
  filter: LossFilter,
  combined: CombinedLoss,
  n: number,
): string {
  const active = activeTargets(targets, filter, combined);
  const cols = ['param_id', 'combined', ...active, 'n_ok', ...params].map(ident).join(', ');
  return `WITH ${perParamCte(targets, params, filter)},
    __c AS (SELECT *, ${combinedExpr(active, combined)} AS combined FROM __per_param)
    SELECT row_number() OVER (ORDER BY combined, ${ident('param_id')})::BIGINT AS ${ident('rank')}, ${cols}
    FROM __c WHERE combined IS NOT NULL ${BEST_COMBINED_ORDER} LIMIT ${int(n)}`;
}

/**
 * Per parameter set: mean, sample standard deviation (polars' `std`, ddof 1) and minimum of its ok
 * losses across the targets under the filter, how many there are, and its parameters. Sets with
 * no ok loss are kept (n_ok 0, NULL statistics); best mean first.
 */
export function summarySql(params: readonly string[], filter: LossFilter): string {
  const ok = (agg: string) => `${agg}(${ident('loss')}) FILTER (WHERE ${OK_LOSS})`;
  const paramCols = params.map((p) => `any_value(${ident(p)}) AS ${ident(p)}`);
  return `SELECT ${ident('param_id')}, ${ok('avg')} AS mean_loss, ${ok('stddev_samp')} AS std_loss,
      ${ok('min')} AS min_loss, count(*) FILTER (WHERE ${OK_LOSS})::INTEGER AS n_ok,
      count(*) FILTER (WHERE ${ident('status')} = 'failed')::INTEGER AS n_failed${paramCols.map((c) => `, ${c}`).join('')}
    FROM ${LOSSES} ${whereClause(filter)} GROUP BY ${ident('param_id')}
    ${SUMMARY_ORDER}`;
}
