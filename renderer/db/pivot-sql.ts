// SQL over a derived pivot table (derived.ts): the per-parameter-set pivot of analysis-sql.ts
// materialised once per (data version, filter). Building it costs a rank window over every row
// (~1.5 s at 1M rows in DuckDB-WASM); reading it costs a scan of one row per parameter set, so the
// pivot pages, combined top-N, Pareto front and histograms each answer in tens of milliseconds.
// Every query here returns exactly what its direct counterpart in analysis-sql.ts returns.
import type { LossFilter, LossSortState } from '../../shared/query-types.ts';
import { pivotRangesSql, type TargetRange, targetRowsSql } from '../../shared/sets-sql.ts';
import { ident, literal } from '../../shared/sql.ts';
import { pivotOrder, setsSelect } from './analysis-sql.ts';

export { pivotRangesSql, type TargetRange, targetRowsSql };

import { int } from './sql.ts';

/** Position in the default order (overall rank, param_id), 1-based; the table is stored in it. */
export const POS = '__pos';

/**
 * The sets table: a row per parameter set with its parameters and per-target loss and status, no
 * ranks (setsSelect: one join of the per-target rows; 10M rows 2.4 s natively), so views that
 * pair targets per set (histograms under brushes, trade-offs, counts) need not wait for ranks.
 */
export function createSetsSql(
  table: string,
  targets: readonly string[],
  params: readonly string[],
  filter: LossFilter,
): string {
  return `CREATE OR REPLACE TEMP TABLE ${ident(table)} AS ${setsSelect(targets, params, filter)}`;
}

/**
 * Creates the ranked pivot from the sets table: the rows pivotCte() gives, stored in default order
 * so a default page is a `__pos` range read. Each rank sorts only (rowid, loss) and the overall
 * rank only (rowid, param_id, n_ok, mean_rank), joined back by rowid: a window over the wide rows
 * carries every column through each sort (10M rows natively: 3.9 s against 9.2 s).
 */
export function createPivotSql(table: string, targets: readonly string[], sets: string): string {
  const s = ident(sets);
  const rk = targets.map((_, i) => ident(`__rk${i}`));
  const ranks = targets.map((t, i) => {
    const c = ident(t);
    return `__r${i} AS (SELECT rowid AS __rid, rank() OVER (ORDER BY ${c}) AS ${rk[i]} FROM ${s} WHERE ${c} IS NOT NULL)`;
  });
  const joins = targets.map((_, i) => `LEFT JOIN __r${i} ON __r${i}.__rid = s.rowid`).join(' ');
  const nOk = rk.map((r) => `(${r} IS NOT NULL)::INTEGER`).join(' + ') || '0';
  const rankSum = rk.map((r) => `coalesce(${r}, 0)`).join(' + ') || '0';
  return `CREATE OR REPLACE TEMP TABLE ${ident(table)} AS WITH ${ranks.map((r) => `${r}, `).join('')}
    __k AS (SELECT s.rowid AS __rid, s.param_id, (${nOk})::INTEGER AS n_ok,
        CASE WHEN ${nOk} > 0 THEN (${rankSum})::DOUBLE / (${nOk}) END AS mean_rank FROM ${s} s ${joins}),
    __o AS (SELECT *, CASE WHEN mean_rank IS NOT NULL THEN rank() OVER (ORDER BY n_ok DESC, mean_rank) END AS overall_rank FROM __k),
    __q AS (SELECT __rid, n_ok, mean_rank, overall_rank, row_number() OVER (ORDER BY ${pivotOrder(null)}) AS ${POS} FROM __o)
    SELECT s.*, __q.n_ok, __q.mean_rank, __q.overall_rank, __q.${POS} FROM ${s} s JOIN __q ON __q.__rid = s.rowid ORDER BY __q.${POS}`;
}

export function pivotPageSql(table: string, sort: LossSortState, offset: number, limit: number): string {
  const cols = `* EXCLUDE (${POS})`;
  // The default order is the storage order: a range of __pos, which zone maps narrow to one row group.
  if (!sort)
    return `SELECT ${cols} FROM ${ident(table)} WHERE ${POS} > ${int(offset)} AND ${POS} <= ${int(offset + limit)} ORDER BY ${POS}`;
  return `SELECT ${cols} FROM ${ident(table)} ORDER BY ${pivotOrder(sort)} LIMIT ${int(limit)} OFFSET ${int(offset)}`;
}

export function pivotTopCombinedSql(table: string, targets: readonly string[], n: number): string {
  return `SELECT * EXCLUDE (${POS}) FROM ${ident(table)} WHERE n_ok = ${int(targets.length)}
    ORDER BY mean_rank, param_id LIMIT ${int(n)}`;
}

/**
 * The Pareto front of two target columns. Only points inside the box below (b of a least-a point)
 * and left of (a of a least-b point) can be on the front, and the points outside it never change
 * the running minimum of a point inside it, so the sort + running min runs over that small box.
 */
export function pivotParetoSql(table: string, targetA: string, targetB: string): string {
  return `WITH j AS (SELECT param_id, ${ident(targetA)} AS a, ${ident(targetB)} AS b FROM ${ident(table)}
        WHERE ${ident(targetA)} IS NOT NULL AND ${ident(targetB)} IS NOT NULL),
      c AS (SELECT * FROM j WHERE a <= (SELECT arg_min(a, b) FROM j) AND b <= (SELECT arg_min(b, a) FROM j)),
      w AS (SELECT *, min(b) OVER (ORDER BY a, b, param_id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS best_b FROM c)
    SELECT param_id, a, b FROM w WHERE best_b IS NULL OR b < best_b ORDER BY a, b`;
}

/**
 * Same rows as histogramSql(): (lo, hi, excluded, bin, n). The range is known from the table's
 * stats, so the bins take one pass over one column; for a log scale lo/hi are log10 of the
 * positive range, computed by DuckDB as the direct query does. Null when no loss is usable.
 */
export function pivotHistogramSql(
  table: string,
  range: TargetRange,
  bins: number,
  log: boolean,
): string | null {
  const [lo, hi, n] = log ? [range.loPos, range.hiPos, range.nPos] : [range.lo, range.hi, range.n];
  if (lo === null || hi === null || n === 0) return null;
  const c = ident(range.target);
  // A 17-digit literal would parse as DECIMAL (and overflow); as DOUBLE it is the same double again.
  const d = (x: number) => `${literal(x)}::DOUBLE`;
  const [l, h] = log ? [`log10(${d(lo)})`, `log10(${d(hi)})`] : [d(lo), d(hi)];
  const value = log ? `log10(${c})` : c;
  const b = int(bins);
  return `SELECT ${l} AS lo, ${h} AS hi, ${int(range.rows - n)} AS excluded, bin, n FROM (
      SELECT least(floor((${value} - ${l}) / nullif(${h} - ${l}, 0) * ${b}), ${b} - 1)::INTEGER AS bin, count(*) AS n
      FROM ${ident(table)} WHERE ${c} IS NOT NULL${log ? ` AND ${c} > 0` : ''} GROUP BY bin) ORDER BY bin`;
}
