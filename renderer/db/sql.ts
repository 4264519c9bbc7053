// SQL text for the loss table, built only through shared/sql.ts's ident()/literal() so column
// names and values can never break a query. Pure functions: unit-tested without an engine.
import type { LossFilter, LossSortState } from '../../shared/query-types.ts';
import { ident, literal } from '../../shared/sql.ts';

/** The relation every query reads: a view over all readable shards (see registry.ts). */
export const LOSSES = 'losses';

const FAILED_LAST = `(${ident('status')} <> 'ok')`;
// A total order on the key makes OFFSET windows stable between requests.
const TIEBREAK = `${ident('target')}, ${ident('param_id')}`;

export function inList(column: string, values: readonly string[]): string {
  return `${ident(column)} IN (${values.map(literal).join(', ')})`;
}

/** `WHERE …` for a filter (or '' when it keeps every row); `extra` are further conditions ANDed. */
export function whereClause(filter: LossFilter, ...extra: string[]): string {
  const parts: string[] = [];
  if (filter.targets?.length) parts.push(inList('target', filter.targets));
  if (filter.statuses?.length) parts.push(inList('status', filter.statuses));
  if (filter.where?.trim()) parts.push(`(${filter.where})`);
  parts.push(...extra);
  return parts.length ? `WHERE ${parts.join(' AND ')}` : '';
}

/**
 * ORDER BY for the table. Failed and missing rows (NULL loss) sort after every ok row whichever
 * direction loss is sorted; other columns keep NULLs last so the interesting values come first.
 */
export function orderClause(sort: LossSortState): string {
  if (!sort) return `ORDER BY ${ident('target')}, ${FAILED_LAST}, ${ident('loss')}, ${ident('param_id')}`;
  const dir = sort.desc ? 'DESC' : 'ASC';
  const key = `${ident(sort.column)} ${dir} NULLS LAST`;
  if (sort.column === 'loss') return `ORDER BY ${FAILED_LAST}, ${key}, ${TIEBREAK}`;
  return `ORDER BY ${key}, ${TIEBREAK}`;
}

export function selectWindow(
  columns: readonly string[],
  filter: LossFilter,
  sort: LossSortState,
  offset: number,
  limit: number,
): string {
  const cols = columns.map(ident).join(', ');
  return `SELECT ${cols} FROM ${LOSSES} ${whereClause(filter)} ${orderClause(sort)} LIMIT ${int(limit)} OFFSET ${int(offset)}`;
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
