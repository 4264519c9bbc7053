// SQL for the Trade-offs view over a derived pivot table (one row per parameter set, a loss column
// per target): the 2-D density of two targets' losses, their Pareto front, and the sets that no
// other set dominates over every target (the skyline).
import { ident } from '../../shared/sql.ts';
import { dbl } from './brush-sql.ts';
import { binExpr } from './histogram-sql.ts';
import { int } from './sql.ts';

export interface PairAxes {
  a: string;
  b: string;
  /** Drawn ranges; sets outside are counted, not binned. */
  aLo: number;
  aHi: number;
  bLo: number;
  bHi: number;
  aBins: number;
  bBins: number;
}

const both = (a: string, b: string) => `${ident(a)} IS NOT NULL AND ${ident(b)} IS NOT NULL`;
const and = (preds: readonly string[]) => (preds.length ? ` AND ${preds.join(' AND ')}` : '');

/** Per target column: min, max and the `q` quantile of the sets with both losses. */
export function pairRangeSql(
  table: string,
  a: string,
  b: string,
  q: number,
  preds: readonly string[],
): string {
  const [ca, cb] = [ident(a), ident(b)];
  return `SELECT count(*)::BIGINT AS n, min(${ca}) AS a_lo, max(${ca}) AS a_hi, quantile_cont(${ca}, ${dbl(q)}) AS a_q,
      min(${cb}) AS b_lo, max(${cb}) AS b_hi, quantile_cont(${cb}, ${dbl(q)}) AS b_q
    FROM ${ident(table)} WHERE ${both(a, b)}${and(preds)}`;
}

/** Counts per (a bin, b bin) inside the drawn ranges, and one row (`__ia` NULL) of those outside. */
export function pairDensitySql(table: string, x: PairAxes, preds: readonly string[]): string {
  const [ca, cb] = [ident(x.a), ident(x.b)];
  const inside = `${ca} <= ${dbl(x.aHi)} AND ${cb} <= ${dbl(x.bHi)}`;
  const ia = binExpr(ca, { lo: x.aLo, hi: x.aHi, bins: x.aBins, log: false });
  const ib = binExpr(cb, { lo: x.bLo, hi: x.bHi, bins: x.bBins, log: false });
  return `SELECT CASE WHEN ${inside} THEN ${ia} END AS __ia, CASE WHEN ${inside} THEN ${ib} END AS __ib,
      count(*)::BIGINT AS n FROM ${ident(table)} WHERE ${both(x.a, x.b)}${and(preds)} GROUP BY ALL`;
}

/**
 * The Pareto front of two targets (lower is better on each): sorted by a, a set is on the front
 * when its b is below every b before it. Only sets inside the box left of the least-b set's a and
 * below the least-a set's b can be on it, so the sort runs over that box.
 */
export function frontSql(
  table: string,
  a: string,
  b: string,
  preds: readonly string[],
  limit: number,
): string {
  return `WITH j AS (SELECT param_id, ${ident(a)} AS a, ${ident(b)} AS b FROM ${ident(table)}
        WHERE ${both(a, b)}${and(preds)}),
      c AS (SELECT * FROM j WHERE a <= (SELECT arg_min(a, b) FROM j) AND b <= (SELECT arg_min(b, a) FROM j)),
      w AS (SELECT *, min(b) OVER (ORDER BY a, b, param_id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS best_b FROM c)
    SELECT param_id, a, b FROM w WHERE best_b IS NULL OR b < best_b ORDER BY a, b LIMIT ${int(limit)}`;
}

/**
 * Weight vectors for the skyline's pruning points: each axis alone (others barely weighted), each
 * pair, and all equally. A minimiser of a strictly positive weighted sum is never dominated.
 */
export function pruneWeights(k: number): number[][] {
  const eps = 1e-6;
  const out: number[][] = [];
  for (let i = 0; i < k; i++) out.push(Array.from({ length: k }, (_, j) => (j === i ? 1 : eps)));
  for (let i = 0; i < k; i++)
    for (let j = i + 1; j < k; j++)
      out.push(Array.from({ length: k }, (_, m) => (m === i || m === j ? 1 : eps)));
  if (k > 2) out.push(Array.from({ length: k }, () => 1));
  return out;
}

/**
 * The sets with an ok loss for every target that no other such set dominates (≤ on all, < on one).
 * Sets dominated by a pruning point (pruneWeights) are dropped first; the exact pairwise check
 * runs on what remains. With `countOnly`, the number of candidates left after pruning.
 */
export function skylineSql(
  table: string,
  targets: readonly string[],
  preds: readonly string[],
  mode: { countOnly: true } | { countOnly: false; limit: number },
): string {
  const k = targets.length;
  const v = (i: number) => `__v${i}`;
  const cols = targets.map((t, i) => `${ident(t)} AS ${v(i)}`).join(', ');
  const notNull = targets.map((t) => `${ident(t)} IS NOT NULL`).join(' AND ');
  const stats = targets.map((_, i) => `min(${v(i)}) AS l${i}, max(${v(i)}) AS h${i}`).join(', ');
  const z = (i: number) => `coalesce((${v(i)} - l${i}) / nullif(h${i} - l${i}, 0), 0)`;
  const picks = pruneWeights(k)
    .map((w, wi) => `arg_min(param_id, ${w.map((x, i) => `${dbl(x)} * ${z(i)}`).join(' + ')}) AS f${wi}`)
    .join(', ');
  const fIds = pruneWeights(k)
    .map((_, wi) => `f${wi}`)
    .join(', ');
  // "≤ on all and not equal on all": a row comparison, because DuckDB-WASM 1.28 (DuckDB 0.9)
  // decorrelates NOT EXISTS with an OR of strict comparisons wrongly (it kept dominated sets).
  const row = (x: string) => `(${targets.map((_, i) => `${x}.${v(i)}`).join(', ')})`;
  const dominates = (d: string, c: string) =>
    `${targets.map((_, i) => `${d}.${v(i)} <= ${c}.${v(i)}`).join(' AND ')} AND ${row(d)} <> ${row(c)}`;
  const head = `WITH j AS (SELECT param_id, ${cols} FROM ${ident(table)} WHERE ${notNull}${and(preds)}),
      s AS (SELECT ${stats} FROM j),
      p AS (SELECT ${picks} FROM j, s),
      f AS (SELECT j.* FROM j, p WHERE j.param_id IN (${fIds
        .split(', ')
        .map((x) => `p.${x}`)
        .join(', ')})),
      c AS (SELECT * FROM j WHERE NOT EXISTS (SELECT 1 FROM f WHERE ${dominates('f', 'j')}))`;
  if (mode.countOnly)
    return `${head} SELECT count(*)::BIGINT AS n, (SELECT count(*) FROM j)::BIGINT AS total FROM c`;
  const out = targets.map((t, i) => `${v(i)} AS ${ident(t)}`).join(', ');
  return `${head} SELECT param_id, ${out}, count(*) OVER ()::BIGINT AS __total FROM c WHERE NOT EXISTS (SELECT 1 FROM c AS d WHERE ${dominates('d', 'c')})
    ORDER BY ${targets.map((_, i) => v(i)).join(', ')}, param_id LIMIT ${int(mode.limit)}`;
}
