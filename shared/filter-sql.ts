// The filter and sort of a view as SQL: the WHERE and ORDER BY every query of the window uses and
// the host's export runs, so "export what I see" is the same rows in the same order. Built only
// through sql.ts's ident()/literal(). Reads the relation `losses` (the renderer's view over the
// readable shards; the exporter's view over the listed ones).
import type { LossFilter, LossSortState, Range } from './query-types.ts';
import { ident, literal } from './sql.ts';

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

/** A non-negative integer for LIMIT/OFFSET/bins: rejects anything else rather than quoting it. */
export function int(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`expected a non-negative integer, got ${n}`);
  return String(n);
}
