// The brushed ranges of a filter (loss per target, value per parameter) as SQL over a derived pivot
// table (one row per parameter set, a loss column per target, a column per parameter), and the
// filter split the way linked charts need it: a chart is drawn under every brush but its own.
import type { LossFilter, Range } from '../../shared/query-types.ts';
import { ident, literal } from '../../shared/sql.ts';

/** The filter without brushed ranges: what the pivot table and the chart backgrounds are built for. */
export function baseFilter(filter: LossFilter): LossFilter {
  const { lossRanges: _l, paramRanges: _p, ...rest } = filter;
  return rest;
}

export function hasBrushes(filter: LossFilter): boolean {
  return Object.keys(filter.lossRanges ?? {}).length + Object.keys(filter.paramRanges ?? {}).length > 0;
}

/** The filter without one brush: a histogram is drawn under the others, not its own. */
export function withoutBrush(filter: LossFilter, except: { target?: string; param?: string }): LossFilter {
  const out: LossFilter = { ...filter };
  if (except.target !== undefined && filter.lossRanges?.[except.target]) {
    const { [except.target]: _, ...rest } = filter.lossRanges;
    out.lossRanges = rest;
  }
  if (except.param !== undefined && filter.paramRanges?.[except.param]) {
    const { [except.param]: _, ...rest } = filter.paramRanges;
    out.paramRanges = rest;
  }
  return out;
}

/** A DOUBLE literal (a 17-digit literal alone would parse as DECIMAL). */
export const dbl = (x: number) => `${literal(x)}::DOUBLE`;

/** `column` within the closed range; either end may be open. Null when the range is empty of ends. */
export function rangeSql(column: string, range: Range): string | null {
  const [lo, hi] = range;
  const parts: string[] = [];
  if (lo !== null) parts.push(`${column} >= ${dbl(lo)}`);
  if (hi !== null) parts.push(`${column} <= ${dbl(hi)}`);
  return parts.length ? `(${parts.join(' AND ')})` : null;
}

/**
 * The filter's brushes as predicates on a pivot table's columns. A brush on a target or parameter
 * the table has no column for is ignored (the pivot is built for the store's own layout).
 */
export function pivotBrushPredicates(
  filter: LossFilter,
  columns: { targets: readonly string[]; params: readonly string[] },
): string[] {
  const out: string[] = [];
  for (const [t, r] of Object.entries(filter.lossRanges ?? {})) {
    const sql = columns.targets.includes(t) ? rangeSql(ident(t), r) : null;
    if (sql) out.push(sql);
  }
  for (const [p, r] of Object.entries(filter.paramRanges ?? {})) {
    const sql = columns.params.includes(p) ? rangeSql(ident(p), r) : null;
    if (sql) out.push(sql);
  }
  return out;
}
