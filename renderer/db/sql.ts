// SQL text for the loss table, built only through shared/sql.ts's ident()/literal() so column
// names and values can never break a query. Pure functions: unit-tested without an engine.

import { int, LOSSES, orderClause, whereClause } from '../../shared/filter-sql.ts';
import type { LossFilter, LossSortState } from '../../shared/query-types.ts';
import { ident } from '../../shared/sql.ts';

export {
  hasRanges,
  inList,
  int,
  LOSSES,
  orderClause,
  rangeConditions,
  whereClause,
} from '../../shared/filter-sql.ts';

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
