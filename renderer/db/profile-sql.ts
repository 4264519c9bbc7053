// SQL for parameter profiles of one target: per parameter, rows grouped by (parameter bin or
// category, loss bin) in one scan with GROUPING SETS, which gives the minimum loss per bin (the
// profile), the 2-D density behind it and the failed/missing count per bin at once.
import type { LossFilter } from '../../shared/query-types.ts';
import { ident, literal } from '../../shared/sql.ts';
import { dbl } from './brush-sql.ts';
import { binExpr } from './histogram-sql.ts';
import { int, LOSSES, whereClause } from './sql.ts';

export type ProfileAxis =
  | { kind: 'numeric'; column: string; lo: number; hi: number; bins: number; log: boolean }
  | { kind: 'category'; column: string };

export interface LossAxis {
  lo: number;
  /** Top of the density; losses above it land in bin `bins` (counted, not drawn). */
  top: number;
  bins: number;
}

const OK = `status = 'ok' AND loss IS NOT NULL`;
const targetIs = (t: string) => `target = ${literal(t)}`;

/** The stats columns: a loss range and (approximate, t-digest) 90th percentile, and each parameter's range. */
function statsColumns(columns: readonly string[]): string {
  const per = columns.flatMap((c, i) => {
    const col = ident(c);
    return [`min(${col}) AS lo_${i}`, `max(${col}) AS hi_${i}`, `approx_count_distinct(${col}) AS nd_${i}`];
  });
  return `count(loss) FILTER (WHERE status = 'ok')::BIGINT AS n_ok,
      min(loss) FILTER (WHERE status = 'ok') AS y_lo, max(loss) FILTER (WHERE status = 'ok') AS y_hi,
      approx_quantile(loss, 0.9) FILTER (WHERE status = 'ok') AS y_q90${per.length ? `, ${per.join(', ')}` : ''}`;
}

/** One target's stats under `filter`. */
export function profileStatsSql(target: string, columns: readonly string[], filter: LossFilter): string {
  return `SELECT ${statsColumns(columns)} FROM ${LOSSES} ${whereClause(filter, targetIs(target))}`;
}

/** Every target's stats under `filter` in one scan (a row per target, `target` first). */
export function profileStatsAllSql(columns: readonly string[], filter: LossFilter): string {
  return `SELECT target, ${statsColumns(columns)} FROM ${LOSSES} ${whereClause(filter)} GROUP BY target`;
}

/** The axis value: the bin of a numeric parameter, a category as text (NULL stays NULL). */
function axisValue(a: ProfileAxis): string {
  const col = ident(a.column);
  if (a.kind === 'category') return `CAST(${col} AS VARCHAR)`;
  const bin = binExpr(col, a);
  return a.log ? `CASE WHEN ${col} > 0 THEN ${bin} END` : bin;
}

/**
 * Rows (`__g` = index of the axis, `__x` = its bin or category, `__iy` = loss bin, NULL for failed
 * or missing rows), with `n`, `min_loss` and `failed` per group. One scan for every axis.
 */
export function profileSql(
  target: string,
  axes: readonly ProfileAxis[],
  y: LossAxis,
  filter: LossFilter,
): string {
  const span = y.top - y.lo;
  const iy =
    span > 0
      ? `greatest(least(floor((loss - ${dbl(y.lo)}) / ${dbl(span)} * ${int(y.bins)}), ${int(y.bins)}), 0)::INTEGER`
      : '0';
  const xs = axes.map((a, i) => `${axisValue(a)} AS __x${i}`);
  const sets = axes.map((_, i) => `(__x${i}, __iy)`).join(', ');
  const g = axes.map((_, i) => `WHEN grouping(__x${i}) = 0 THEN ${i}`).join(' ');
  const x = axes.map((_, i) => `WHEN grouping(__x${i}) = 0 THEN CAST(__x${i} AS VARCHAR)`).join(' ');
  return `SELECT CASE ${g} END AS __g, CASE ${x} END AS __x, __iy, count(*)::BIGINT AS n, min(loss) AS min_loss,
      count(*) FILTER (WHERE status = 'failed')::BIGINT AS failed
    FROM (SELECT ${xs.join(', ')}, CASE WHEN ${OK} THEN ${iy} END AS __iy, status, loss
      FROM ${LOSSES} ${whereClause(filter, targetIs(target))})
    GROUP BY GROUPING SETS (${sets})`;
}

/** The best `n` ok rows of a target, with their parameter values. */
export function bestRowsSql(
  target: string,
  columns: readonly string[],
  filter: LossFilter,
  n: number,
): string {
  const cols = ['param_id', 'loss', ...columns].map(ident).join(', ');
  return `SELECT ${cols} FROM ${LOSSES} ${whereClause(filter, targetIs(target), OK)}
    ORDER BY loss, param_id LIMIT ${int(n)}`;
}

/**
 * The profile-likelihood reading for parameters sharing a filter: per axis the range (or the
 * categories) of the values whose loss is within `delta` of the target's minimum under that filter.
 */
export function intervalSql(
  target: string,
  axes: readonly ProfileAxis[],
  filter: LossFilter,
  delta: number,
): string {
  const picks = axes.map((a, i) => {
    const col = ident(a.column);
    return a.kind === 'numeric'
      ? `min(${col}) AS lo_${i}, max(${col}) AS hi_${i}`
      : `list(DISTINCT CAST(${col} AS VARCHAR)) AS cats_${i}`;
  });
  const cols = ['loss', ...axes.map((a) => a.column)].map(ident).join(', ');
  return `WITH d AS (SELECT ${cols} FROM ${LOSSES} ${whereClause(filter, targetIs(target), OK)}),
      m AS (SELECT min(loss) AS m FROM d)
    SELECT m.m AS min_loss, m.m + ${dbl(delta)} AS threshold, count(*)::BIGINT AS n${picks.length ? `, ${picks.join(', ')}` : ''}
    FROM d, m WHERE d.loss <= m.m + ${dbl(delta)} GROUP BY m.m`;
}
