// Counts under brushed ranges read from the derived pivot (one row per parameter set) instead of
// semi-joining every loss row per brush (1M rows in DuckDB-WASM: 210–290 ms for the row count,
// 630–830 ms for the job header's per-target summary). Exact only where a brush means the same on
// both: see brushedCountsApply.
import type { LossFilter } from '../../shared/query-types.ts';
import { ident, literal } from '../../shared/sql.ts';
import type { PivotLayout } from './analysis.ts';
import { statusColumn } from './analysis-sql.ts';
import { hasBrushes } from './brush-sql.ts';

/**
 * True when the pivot built for the filter's non-brush part answers its counts exactly. A loss
 * brush on target A keeps the sets whose ok A loss (in the whole store) is in range; the pivot's
 * A column is that loss only when A's rows pass the base filter untouched: no WHERE text, no
 * status filter, and A among the ticked targets. Every counted target must be a pivot column.
 */
export function brushedCountsApply(filter: LossFilter, layout: PivotLayout): boolean {
  if (!hasBrushes(filter) || filter.where?.trim() || filter.statuses?.length) return false;
  const ticked = filter.targets?.length ? filter.targets : null;
  if (ticked?.some((t) => !layout.targets.includes(t))) return false;
  for (const t of Object.keys(filter.lossRanges ?? {}))
    if (!layout.targets.includes(t) || (ticked && !ticked.includes(t))) return false;
  return Object.keys(filter.paramRanges ?? {}).every((p) => layout.params.includes(p));
}

/** A target has a row in the base filter exactly when its loss (ok) or its status column is set. */
const hasRow = (t: string) => `(${ident(t)} IS NOT NULL OR ${ident(statusColumn(t))} IS NOT NULL)`;

const where = (preds: readonly string[]) => (preds.length ? `WHERE ${preds.join(' AND ')}` : '');

/** Loss rows (any status) of the sets passing `preds`: what `selectCount` counts. */
export function brushedCountSql(table: string, targets: readonly string[], preds: readonly string[]): string {
  const rows = targets.map((t) => `${hasRow(t)}::BIGINT`).join(' + ') || '0';
  return `SELECT coalesce(sum(${rows}), 0)::BIGINT AS n FROM ${ident(table)} ${where(preds)}`;
}

/** Per target what job-summary.ts `summarySql` returns, over the sets passing `preds`. */
export function brushedSummarySql(
  table: string,
  targets: readonly string[],
  preds: readonly string[],
): string {
  return targets
    .map((t) => {
      const [c, s] = [ident(t), ident(statusColumn(t))];
      return `SELECT ${literal(t)} AS target, count(${c})::BIGINT AS ok,
        count(*) FILTER (WHERE ${s} = 'failed')::BIGINT AS failed,
        count(*) FILTER (WHERE ${s} = 'missing')::BIGINT AS missing,
        min(${c}) AS best, arg_min(param_id, (${c}, param_id)) FILTER (WHERE ${c} IS NOT NULL) AS best_id
        FROM ${ident(table)} ${where(preds)}`;
    })
    .join(' UNION ALL ');
}
