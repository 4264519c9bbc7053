// SQL for a brush cube (brush-cube.ts): while one histogram is brushed, every other chart's counts
// and the row count are sums over a small table grouped by where each set's loss on the brushed
// target falls among that chart's bin edges, so moving the brush needs no query (Mosaic's
// pre-aggregated "active view" indexes). The key is exact for a range whose ends are edges: a
// set's loss v gets c = 2·K + E, K = how many edges are ≤ v, E = 1 when v equals the largest of
// them, so `e_a ≤ v ≤ e_b` ⟺ c ≥ 2a + 2 and (c ≤ 2b + 1 or c = 2b + 3) (see inEdgeRange).
import { ident, literal } from '../../shared/sql.ts';
import { statusColumn } from './analysis-sql.ts';
import { dbl } from './brush-sql.ts';
import { type BinSpec, binExpr } from './histogram-sql.ts';

export const KEY = '__c';

/**
 * The key of `col` against `edges` (ascending, raw loss units). A floor over the chart's own
 * scale guesses the edge index; comparing with the edges themselves corrects the guess by one
 * either way (floating-point rounding never moves it further), so K is what comparisons give.
 * (A NULL guess, a non-positive loss on a log scale, is 0 before clamping: least/greatest skip
 * NULLs and would make it the last edge.)
 */
export function edgeKeyExpr(col: string, spec: BinSpec, edges: readonly number[]): string {
  const n = edges.length - 1;
  const list = `[${edges.map(dbl).join(', ')}]`;
  const u = spec.log ? `log10(CASE WHEN ${col} > 0 THEN ${col} END)` : col;
  const span = spec.hi - spec.lo;
  const guess =
    span > 0
      ? `greatest(least(coalesce(floor((${u} - ${dbl(spec.lo)}) / ${dbl(span)} * ${n}), 0), ${n}), 0)::INTEGER`
      : '0';
  const k = `(${guess} + 1 - coalesce((${col} < list_extract(${list}, ${guess} + 1))::INTEGER, 0)
    + coalesce((${col} >= list_extract(${list}, ${guess} + 2))::INTEGER, 0))`;
  return `(2 * ${k} + coalesce((list_extract(${list}, ${k}) = ${col})::INTEGER, 0))`;
}

/** Whether key `c` is inside [edges[a], edges[b]] (null: that end open). */
export function inEdgeRange(c: number, a: number | null, b: number | null): boolean {
  return (a === null || c >= 2 * a + 2) && (b === null || c <= 2 * b + 1 || c === 2 * b + 3);
}

const where = (preds: readonly string[]) => (preds.length ? ` AND ${preds.join(' AND ')}` : '');

const KEYED = '__keyed';

/**
 * One scan: the sets with an active-target loss keyed once (a materialised CTE), then per other
 * target its bins' counts by key under `preds(target)` (part 'cell'), and, when `counts` is given,
 * per key and target what brushed-counts-sql.ts answers (part 'count': rows and the job header's
 * summary) under `counts.preds`.
 */
export function cubeSql(
  table: string,
  active: string,
  key: string,
  others: readonly BinSpec[],
  preds: (target: string) => readonly string[],
  counts: { targets: readonly string[]; preds: readonly string[] } | null,
): string | null {
  const cells = others.map((s) => {
    const c = ident(s.target);
    const usable = `${c} IS NOT NULL${s.log ? ` AND ${c} > 0` : ''}`;
    return `SELECT 'cell' AS part, ${literal(s.target)} AS target, ${KEY}, ${binExpr(c, s)} AS __bin, count(*)::BIGINT AS n
      FROM ${KEYED} WHERE ${usable}${where(preds(s.target))} GROUP BY ALL`;
  });
  const sums = (counts?.targets ?? []).map((t) => {
    const [c, st] = [ident(t), ident(statusColumn(t))];
    return `SELECT 'count' AS part, ${literal(t)} AS target, ${KEY},
      count(*) FILTER (WHERE ${c} IS NOT NULL OR ${st} IS NOT NULL)::BIGINT AS rows, count(${c})::BIGINT AS ok,
      count(*) FILTER (WHERE ${st} = 'failed')::BIGINT AS failed,
      count(*) FILTER (WHERE ${st} = 'missing')::BIGINT AS missing,
      min(${c}) AS best, arg_min(param_id, (${c}, param_id)) FILTER (WHERE ${c} IS NOT NULL) AS best_id
      FROM ${KEYED} WHERE true${where(counts?.preds ?? [])} GROUP BY ALL`;
  });
  const parts = [...cells, ...sums];
  if (!parts.length) return null;
  return `WITH ${KEYED} AS MATERIALIZED (SELECT *, ${key} AS ${KEY} FROM ${ident(table)} WHERE ${ident(active)} IS NOT NULL)
    ${parts.join(' UNION ALL BY NAME ')}`;
}
