// SQL text for the loss table, built only through shared/sql.ts's ident()/literal() so column
// names and values can never break a query. Pure functions: unit-tested without an engine.
import type { LossFilter, LossSortState, Range } from '../../shared/query-types.ts';
import { ident, literal } from '../../shared/sql.ts';

/** The relation every query reads: a view over all readable shards (see registry.ts). */
export const LOSSES = 'losses';

const FAILED_LAST = `(${ident('status')} <> 'ok')`;

export function inList(column: string, values: readonly string[]): string {
  return `${ident(column)} IN (${values.map(literal).join(', ')})`;
}

/** `col >= lo AND col <= hi` for the closed ends of a range ('' when both are open). */
function rangeCond(col: string, [lo, hi]: Range): string {
  // A DOUBLE cast: a 17-digit literal alone parses as a DECIMAL and can overflow.
  const parts: string[] = [];
  if (lo !== null) parts.push(`${col} >= ${literal(lo)}::DOUBLE`);
  if (hi !== null) parts.push(`${col} <= ${literal(hi)}::DOUBLE`);
  return parts.join(' AND ');
}

/**
 * Brushed ranges filter parameter sets, not rows (crossfilter): a parameter range keeps the rows
 * whose parameter value is in it (every row of a set carries the same values), and a loss range
 * on target A keeps every row — of any target — of the sets whose ok loss under A is in it. So a
 * brush on A's histogram narrows B's histogram, the pivot and the table to the same sets.
 */
export function rangeConditions(filter: LossFilter): string[] {
  const out: string[] = [];
  for (const [col, range] of Object.entries(filter.paramRanges ?? {})) {
    const c = rangeCond(ident(col), range);
    if (c) out.push(c);
  }
  for (const [target, range] of Object.entries(filter.lossRanges ?? {})) {
    const c = rangeCond(ident('loss'), range);
    if (!c) continue;
    out.push(
      `${ident('param_id')} IN (SELECT ${ident('param_id')} FROM ${LOSSES} WHERE ${ident('target')} = ${literal(target)} AND ${ident('status')} = 'ok' AND ${c})`,
    );
  }
  return out;
}

/** True when the filter has a brushed range (counts then cannot come from the manifest). */
export function hasRanges(filter: LossFilter): boolean {
  return rangeConditions(filter).length > 0;
}

/** `WHERE …` for a filter (or '' when it keeps every row); `extra` are further conditions ANDed. */
export function whereClause(filter: LossFilter, ...extra: string[]): string {
  const parts: string[] = [];
  if (filter.targets?.length) parts.push(inList('target', filter.targets));
  if (filter.statuses?.length) parts.push(inList('status', filter.statuses));
  if (filter.where?.trim()) parts.push(`(${filter.where})`);
  parts.push(...rangeConditions(filter), ...extra);
  return parts.length ? `WHERE ${parts.join(' AND ')}` : '';
}

/**
 * ORDER BY for the table. Failed and missing rows (NULL loss) sort after every ok row whichever
 * direction loss is sorted; other columns keep NULLs last so the interesting values come first.
 * The key is a total order (target, param_id is unique in a store), so `reversed` is exactly the
 * same order read from the end.
 */
export function orderClause(sort: LossSortState, reversed = false): string {
  const asc = reversed ? 'DESC' : 'ASC';
  const desc = reversed ? 'ASC' : 'DESC';
  const nullsLast = reversed ? 'NULLS FIRST' : 'NULLS LAST';
  const by = (col: string, d = false) => `${col} ${d ? desc : asc} ${nullsLast}`;
  const tiebreak = [by(ident('target')), by(ident('param_id'))];
  let keys: string[];
  if (!sort) keys = [by(ident('target')), by(FAILED_LAST), by(ident('loss')), by(ident('param_id'))];
  else if (sort.column === 'loss') keys = [by(FAILED_LAST), by(ident('loss'), sort.desc), ...tiebreak];
  else keys = [by(ident(sort.column), sort.desc), ...tiebreak];
  return `ORDER BY ${keys.join(', ')}`;
}

/**
 * A window of rows. With `total` known, a window past the middle is read backwards from the end
 * (reversed order, small OFFSET) and flipped by the caller: a sort keeps OFFSET + LIMIT rows, so
 * the last page costs what the first does. `extra` conditions narrow the scan without changing the
 * page (see early-window.ts).
 */
export function selectWindow(
  columns: readonly string[],
  filter: LossFilter,
  sort: LossSortState,
  offset: number,
  limit: number,
  total?: number,
  extra: readonly string[] = [],
): { sql: string; reversed: boolean } {
  const cols = columns.map(ident).join(', ');
  const from = `SELECT ${cols} FROM ${LOSSES} ${whereClause(filter, ...extra)}`;
  if (total !== undefined && offset > total / 2) {
    const end = Math.min(total, offset + limit);
    const sql = `${from} ${orderClause(sort, true)} LIMIT ${int(Math.max(0, end - offset))} OFFSET ${int(total - end)}`;
    return { sql, reversed: true };
  }
  return { sql: `${from} ${orderClause(sort)} LIMIT ${int(limit)} OFFSET ${int(offset)}`, reversed: false };
}

export function selectCount(filter: LossFilter): string {
  return `SELECT count(*)::BIGINT AS n FROM ${LOSSES} ${whereClause(filter)}`;
}

/** EXPLAIN asks DuckDB to bind the user's expression against the real columns without running it. */
export function explainWhere(expr: string): string {
  return `EXPLAIN SELECT 1 FROM ${LOSSES} WHERE (${expr})`;
}

/** A non-negative integer for LIMIT/OFFSET/bins: rejects anything else rather than quoting it. */
export function int(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`expected a non-negative integer, got ${n}`);
  return String(n);
}
