// The combined ranking of a derived pivot table, materialised once per (table, combined loss): a
// copy of the page columns with the combined loss, its rank (ties share one) and the position in
// the rank order (`__cpos`), stored in that order. A default-order page is then a range read, and
// a page sorted by any column a top-N over this one table: no rank window and no join per page.
// Built from the sets table for means and weighted sums (ties by param_id, as the direct query),
// from the ranked pivot only for the mean of ranks (ties by `__pos`, its own default order).
import type { CombinedLoss, LossSortState } from '../../shared/query-types.ts';
import { ident } from '../../shared/sql.ts';
import { combinedExpr, type PivotSource, pageColumns } from './combined-sql.ts';
import { POS } from './pivot-sql.ts';
import { int } from './sql.ts';

export const CPOS = '__cpos';

/**
 * The ranking table of `src`: from the ranked pivot ties break by `__pos`; from the sets table
 * (means and weighted sums: no per-target ranks needed) by param_id, as the direct query does.
 */
export function createRankSql(
  name: string,
  src: PivotSource,
  tie: string,
  targets: readonly string[],
  params: readonly string[],
  active: readonly string[],
  combined: CombinedLoss,
) {
  const cols = pageColumns(targets, params).join(', ');
  return `CREATE OR REPLACE TEMP TABLE ${ident(name)} AS ${src.ctes ? `WITH ${src.ctes}` : ''}
    SELECT *, CASE WHEN combined IS NOT NULL THEN rank() OVER (ORDER BY combined) END::BIGINT AS rank,
      row_number() OVER (ORDER BY combined NULLS LAST, n_ok DESC, ${tie}) AS ${CPOS}
    FROM (SELECT ${cols}${tie === 'param_id' ? '' : `, ${tie}`}, ${combinedExpr(active, combined)} AS combined FROM ${src.rel})
    ORDER BY ${CPOS}`;
}

/** The ranked pivot's tie-break: its own default order. */
export const PIVOT_TIE = POS;
/** The sets table's tie-break: param_id, as in the direct query's order. */
export const SETS_TIE = 'param_id';

/** A page with its combined loss and rank, in the order `sort` asks for. */
export function rankedPageSql(
  ranks: string,
  targets: readonly string[],
  params: readonly string[],
  sort: LossSortState,
  offset: number,
  limit: number,
): string {
  const cols = `${pageColumns(targets, params).join(', ')}, combined, rank`;
  const r = ident(ranks);
  if (!sort || (sort.column === 'rank' && !sort.desc))
    return `SELECT ${cols} FROM ${r} WHERE ${CPOS} > ${int(offset)} AND ${CPOS} <= ${int(offset + limit)} ORDER BY ${CPOS}`;
  const dir = sort.desc ? 'DESC' : 'ASC';
  const key = sort.column === 'rank' || sort.column === 'combined' ? sort.column : ident(sort.column);
  return `SELECT ${cols} FROM ${r} ORDER BY ${key} ${dir} NULLS LAST, ${CPOS} LIMIT ${int(limit)} OFFSET ${int(offset)}`;
}
