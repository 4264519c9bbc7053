// SQL for the analysis queries. Names go through ident(), values through literal(), sizes through
// int(); the user's filter through whereClause().
import type { LossFilter, LossSortState } from '../../shared/query-types.ts';
import { setsSelect, statusColumn } from '../../shared/sets-sql.ts';
import { ident, literal } from '../../shared/sql.ts';
import { int, LOSSES, whereClause } from './sql.ts';

export { setsSelect, statusColumn };

const OK = `status = 'ok'`;
const targetIs = (t: string) => `target = ${literal(t)}`;

/**
 * One row per parameter set (the window sorts only the columns used, not every store column): its
 * ok loss under each target (a column named by the target id), the count of ok targets, the mean
 * of its per-target ranks, and its overall rank by that mean. Only ok rows carry a loss or a rank,
 * as in the histogram, top-N and Pareto queries, so all of them can read one derived table
 * (pivot-sql.ts) and agree with each other.
 */
export function pivotCte(targets: readonly string[], params: readonly string[], filter: LossFilter): string {
  // A (param_id, target) is one row in a store, so a target's rank among its ok rows is the rank of
  // its pivot column: group first (a hash aggregate over every row), then rank one row per set
  // (10M rows: a third of the rows through each sort instead of every row and column).
  const rk = targets.map((_, i) => ident(`__rk${i}`));
  const ranks = targets.map(
    (t, i) =>
      `CASE WHEN ${ident(t)} IS NOT NULL THEN rank() OVER (ORDER BY ${ident(t)} NULLS LAST) END AS ${rk[i]}`,
  );
  const nOk = rk.map((r) => `(${r} IS NOT NULL)::INTEGER`).join(' + ') || '0';
  const rankSum = rk.map((r) => `coalesce(${r}, 0)`).join(' + ') || '0';
  return `per_target AS (${setsSelect(targets, params, filter)}),
    target_ranked AS (SELECT *${ranks.map((r) => `, ${r}`).join('')} FROM per_target),
    per_param AS (
      SELECT * EXCLUDE (${rk.join(', ')}), (${nOk})::INTEGER AS n_ok,
        CASE WHEN ${nOk} > 0 THEN (${rankSum})::DOUBLE / (${nOk}) END AS mean_rank
      FROM target_ranked),
    param_ranked AS (
      SELECT *, CASE WHEN mean_rank IS NOT NULL THEN rank() OVER (ORDER BY n_ok DESC, mean_rank) END AS overall_rank
      FROM per_param)`;
}

/** The pivot's ORDER BY: a column (NULLs last), or the overall rank; param_id breaks ties. */
export function pivotOrder(sort: LossSortState): string {
  return sort
    ? `${ident(sort.column)} ${sort.desc ? 'DESC' : 'ASC'} NULLS LAST, param_id`
    : 'overall_rank NULLS LAST, param_id';
}

export function pivotSql(
  targets: readonly string[],
  params: readonly string[],
  filter: LossFilter,
  sort: LossSortState,
  offset: number,
  limit: number,
): string {
  return `WITH ${pivotCte(targets, params, filter)}
    SELECT * FROM param_ranked ORDER BY ${pivotOrder(sort)} LIMIT ${int(limit)} OFFSET ${int(offset)}`;
}

/** Best by mean rank among parameter sets that have an ok loss for every target. */
export function topCombinedSql(
  targets: readonly string[],
  params: readonly string[],
  filter: LossFilter,
  n: number,
): string {
  return `WITH ${pivotCte(targets, params, filter)}
    SELECT * FROM param_ranked WHERE n_ok = ${int(targets.length)}
    ORDER BY mean_rank, param_id LIMIT ${int(n)}`;
}

export function topTargetSql(
  target: string,
  params: readonly string[],
  filter: LossFilter,
  n: number,
): string {
  const cols = ['param_id', 'target', 'loss', 'n_replicates', ...params].map(ident).join(', ');
  return `SELECT ${cols} FROM ${LOSSES} ${whereClause(filter, targetIs(target), OK)}
    ORDER BY loss, param_id LIMIT ${int(n)}`;
}

/**
 * Bins over [min, max] of the (optionally log10) loss; one row per non-empty bin, each carrying
 * the range and the excluded count so the caller needs one round trip.
 */
export function histogramSql(target: string, bins: number, filter: LossFilter, log: boolean): string {
  const value = log ? 'log10(loss)' : 'loss';
  const usable = log ? `${OK} AND loss > 0` : OK;
  const b = int(bins);
  // Range and excluded count in one pass (CASE keeps log10 away from non-positive losses), the bins
  // in a second: the former CTE chain read the rows four times.
  return `WITH r AS (SELECT min(v) AS lo, max(v) AS hi, count(*) - count(v) AS excluded FROM (
      SELECT CASE WHEN ${usable} THEN ${value} END AS v FROM ${LOSSES} ${whereClause(filter, targetIs(target))}))
    SELECT r.lo, r.hi, r.excluded, h.bin, h.n FROM r LEFT JOIN (
      SELECT least(floor((${value} - lo) / nullif(hi - lo, 0) * ${b}), ${b} - 1)::INTEGER AS bin, count(*) AS n
      FROM ${LOSSES}, r ${whereClause(filter, targetIs(target), usable)} GROUP BY bin) h ON true ORDER BY h.bin`;
}

/** Parameter sets no other set beats on both targets (lower is better on each). */
export function paretoSql(targetA: string, targetB: string, filter: LossFilter): string {
  return `WITH j AS (
      SELECT param_id, max(loss) FILTER (WHERE ${targetIs(targetA)}) AS a,
        max(loss) FILTER (WHERE ${targetIs(targetB)}) AS b
      FROM ${LOSSES} ${whereClause(filter, OK, `target IN (${literal(targetA)}, ${literal(targetB)})`)}
      GROUP BY param_id),
    w AS (SELECT *, min(b) OVER (ORDER BY a, b, param_id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS best_b
      FROM j WHERE a IS NOT NULL AND b IS NOT NULL)
    SELECT param_id, a, b FROM w WHERE best_b IS NULL OR b < best_b ORDER BY a, b`;
}

/** Parameter value vs loss for one target, a repeatable reservoir sample when there are many. */
export function sliceSql(param: string, target: string, filter: LossFilter, maxPoints: number): string {
  return `WITH d AS (SELECT param_id, ${ident(param)} AS x, loss AS y FROM ${LOSSES}
      ${whereClause(filter, targetIs(target), OK)}),
    s AS (SELECT * FROM d USING SAMPLE reservoir(${int(maxPoints)} ROWS) REPEATABLE (42))
    SELECT s.*, (SELECT count(*) FROM d) AS total FROM s ORDER BY x`;
}
