// SQL for the linked histograms: per-target overview (counts by status, loss range) and bin counts
// on fixed edges, so the filtered distribution and the unfiltered one share their bins.
import type { LossFilter } from '../../shared/query-types.ts';
import { ident, literal } from '../../shared/sql.ts';
import { dbl } from './brush-sql.ts';
import { int, LOSSES, whereClause } from './sql.ts';

/** Bins of one target: `bins` equal steps over [lo, hi] of the loss, or of log10(loss). */
export interface BinSpec {
  target: string;
  /** In the binned unit: loss, or log10(loss) when `log`. */
  lo: number;
  hi: number;
  bins: number;
  log: boolean;
}

const OK = `status = 'ok' AND loss IS NOT NULL`;

/** Per target under the filter: rows by status and the ok-loss range (all and positive only). */
export function overviewSql(filter: LossFilter): string {
  return `SELECT target, count(*)::BIGINT AS rows,
      count(*) FILTER (WHERE status = 'failed')::BIGINT AS failed,
      count(*) FILTER (WHERE status = 'missing')::BIGINT AS missing,
      count(loss) FILTER (WHERE status = 'ok')::BIGINT AS n, min(loss) FILTER (WHERE status = 'ok') AS lo,
      max(loss) FILTER (WHERE status = 'ok') AS hi,
      count(loss) FILTER (WHERE status = 'ok' AND loss > 0)::BIGINT AS n_pos,
      min(loss) FILTER (WHERE status = 'ok' AND loss > 0) AS lo_pos,
      max(loss) FILTER (WHERE status = 'ok' AND loss > 0) AS hi_pos
    FROM ${LOSSES} ${whereClause(filter)} GROUP BY target ORDER BY target`;
}

/** The bin of `value` (clamped into [0, bins - 1], so the maximum lands in the last bin). */
export function binExpr(value: string, spec: Pick<BinSpec, 'lo' | 'hi' | 'bins' | 'log'>): string {
  const v = spec.log ? `log10(${value})` : value;
  const b = int(spec.bins);
  const span = spec.hi - spec.lo;
  if (!(span > 0)) return '0';
  return `greatest(least(floor((${v} - ${dbl(spec.lo)}) / ${dbl(span)} * ${b}), ${b} - 1), 0)::INTEGER`;
}

const usable = (col: string, log: boolean) => `${col} IS NOT NULL${log ? ` AND ${col} > 0` : ''}`;

/**
 * Bin counts over a pivot table: `n_all` every set with a usable loss, `n_sel` those passing the
 * predicates `selected(target)` returns (the other charts' brushes). One scan per target of one
 * row per parameter set.
 */
export function pivotBinsSql(
  table: string,
  specs: readonly BinSpec[],
  selected: (target: string) => readonly string[],
): string {
  return specs
    .map((s) => {
      const c = ident(s.target);
      const sel = selected(s.target);
      const nSel = sel.length ? `count(*) FILTER (WHERE ${sel.join(' AND ')})::BIGINT` : 'count(*)::BIGINT';
      return `SELECT ${literal(s.target)} AS target, ${binExpr(c, s)} AS __bin, count(*)::BIGINT AS n_all,
        ${nSel} AS n_sel FROM ${ident(table)} WHERE ${usable(c, s.log)} GROUP BY __bin`;
    })
    .join(' UNION ALL ');
}

/** Bin counts straight from the loss rows (no pivot): one scan for every target's bins. */
export function directBinsSql(filter: LossFilter, specs: readonly BinSpec[]): string | null {
  if (!specs.length) return null;
  const cases = specs.map((s) => `WHEN ${literal(s.target)} THEN ${binExpr('loss', s)}`).join(' ');
  const anyLog = specs.some((s) => s.log);
  const logTargets = specs.filter((s) => s.log).map((s) => literal(s.target));
  const positive = anyLog ? ` AND (loss > 0 OR target NOT IN (${logTargets.join(', ')}))` : '';
  const targets = `target IN (${specs.map((s) => literal(s.target)).join(', ')})`;
  return `SELECT target, CASE target ${cases} END AS __bin, count(*)::BIGINT AS n FROM ${LOSSES}
    ${whereClause(filter, targets, OK + positive)} GROUP BY ALL`;
}
