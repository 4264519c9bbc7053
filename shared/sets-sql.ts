// The sets query: one row per parameter set with its parameters and per-target ok loss and non-ok
// status. Shared because both sides build it: the renderer's derived tables (renderer/db/derived.ts)
// and the host's pre-aggregate of the whole store (electron/host/native-presets.ts), which the page
// adopts in place of its own build only because the SQL is the same.

import { LOSSES, whereClause } from './filter-sql.ts';
import type { LossFilter } from './query-types.ts';
import { ident, literal } from './sql.ts';

const OK = `status = 'ok'`;
const targetIs = (t: string) => `target = ${literal(t)}`;

/** The pivot column holding a target's non-ok status (the loss column is named by the target). */
export const statusColumn = (target: string) => `__status:${target}`;

/**
 * One row per parameter set: its parameters and, per target, the ok loss and non-ok status.
 *
 * Each target's rows are one side of a full outer join on param_id, which relies on the store's
 * contract that a (param_id, target) is one row (the collector keeps a pair once; the ranks below
 * rely on it too). Natively on 10M rows the join takes 2.1 s where one GROUP BY param_id with a
 * FILTERed max() per column took 5.4–7.1 s: each aggregate state was updated for every row.
 */
export function setsSelect(
  targets: readonly string[],
  params: readonly string[],
  filter: LossFilter,
): string {
  if (targets.length === 0) {
    const cols = params.map((p) => `, any_value(${ident(p)}) AS ${ident(p)}`).join('');
    return `SELECT param_id${cols} FROM ${LOSSES} ${whereClause(filter)} GROUP BY param_id`;
  }
  const side = (i: number) => ident(`__t${i}`);
  const sides = targets.map((t, i) => {
    const cols = params.map((p) => `${ident(p)}, `).join('');
    return `${side(i)} AS (SELECT param_id, ${cols}CASE WHEN ${OK} THEN loss END AS __loss,
        CASE WHEN status <> 'ok' THEN status END AS __status FROM ${LOSSES} ${whereClause(filter, targetIs(t))})`;
  });
  // A set has a row on at least one side; its parameters are the first side's that has them.
  const paramCols = params.map(
    (p) => `coalesce(${targets.map((_, i) => `${side(i)}.${ident(p)}`).join(', ')}) AS ${ident(p)}`,
  );
  const perTarget = targets.flatMap((t, i) => [
    `${side(i)}.__loss AS ${ident(t)}`,
    // 'failed' / 'missing' when that target's row is not ok (NULL: ok, or no row under the filter).
    `${side(i)}.__status AS ${ident(statusColumn(t))}`,
  ]);
  const joins = targets
    .slice(1)
    .map((_, i) => ` FULL JOIN ${side(i + 1)} USING (param_id)`)
    .join('');
  return `WITH ${sides.join(', ')}
      SELECT param_id, ${[...paramCols, ...perTarget].join(', ')} FROM ${side(0)}${joins}`;
}

/** Range of one target's ok losses in a pivot table, and how many rows the filter left out. */
export interface TargetRange {
  target: string;
  /** Rows of this target that pass the filter, any status. */
  rows: number;
  /** ok losses: count, min, max; and the same for the positive ones (log scale). */
  n: number;
  lo: number | null;
  hi: number | null;
  nPos: number;
  loPos: number | null;
  hiPos: number | null;
}

/** Per target: rows passing the filter (for the histogram's excluded count), from the view. */
export function targetRowsSql(filter: LossFilter): string {
  return `SELECT target, count(*)::BIGINT AS rows FROM ${LOSSES} ${whereClause(filter)} GROUP BY target`;
}

/** Per target: the ok-loss ranges, from the pivot table (one row per parameter set: cheap). */
export function pivotRangesSql(table: string, targets: readonly string[]): string {
  const parts = targets.map((t) => {
    const c = ident(t);
    return `SELECT ${literal(t)} AS target, count(${c})::BIGINT AS n, min(${c}) AS lo, max(${c}) AS hi,
      count(${c}) FILTER (WHERE ${c} > 0)::BIGINT AS n_pos, min(${c}) FILTER (WHERE ${c} > 0) AS lo_pos,
      max(${c}) FILTER (WHERE ${c} > 0) AS hi_pos FROM ${ident(table)}`;
  });
  return parts.join(' UNION ALL ');
}

const orNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** TargetRange per target from the rows of targetRowsSql and pivotRangesSql (page and host alike). */
export function targetRanges(
  rowCounts: readonly Record<string, unknown>[],
  rangeRows: readonly Record<string, unknown>[],
): TargetRange[] {
  const rows = new Map(rowCounts.map((r) => [String(r.target), orNull(r.rows) ?? 0]));
  return rangeRows.map((r) => ({
    target: String(r.target),
    rows: rows.get(String(r.target)) ?? 0,
    n: orNull(r.n) ?? 0,
    lo: orNull(r.lo),
    hi: orNull(r.hi),
    nPos: orNull(r.n_pos) ?? 0,
    loPos: orNull(r.lo_pos),
    hiPos: orNull(r.hi_pos),
  }));
}
