// SQL behind Compare: job A is the `losses` view, job B the `losses_b` view a second registry
// keeps. Each query returns a few rows per target or one page of matched parameter sets.
import { int, LOSSES } from '../../shared/filter-sql.ts';
import { ident, str } from '../../shared/sql.ts';

export const LOSSES_B = 'losses_b';
const A = ident(LOSSES);
const B = ident(LOSSES_B);

/** Per target and job: rows, ok rows, best loss and the param_id that reached it. */
export function bestPerTarget(): string {
  const one = (rel: string, job: string) =>
    `SELECT ${str(job)} AS job, target, count(*)::BIGINT AS rows, count(loss)::BIGINT AS ok,
       min(loss) AS best, arg_min(param_id, loss) AS best_id
     FROM ${rel} GROUP BY target`;
  return `${one(A, 'a')} UNION ALL ${one(B, 'b')} ORDER BY target, job`;
}

/** One target's ok losses from both jobs in `bins` bins over their common range. */
export function overlaidHistogram(target: string, bins: number): string {
  const t = str(target);
  return `WITH src AS (
      SELECT 'a' AS job, loss FROM ${A} WHERE target = ${t} AND loss IS NOT NULL AND isfinite(loss)
      UNION ALL SELECT 'b', loss FROM ${B} WHERE target = ${t} AND loss IS NOT NULL AND isfinite(loss)),
    r AS (SELECT min(loss) AS lo, max(loss) AS hi FROM src)
    SELECT job, least(${int(bins - 1)}, CASE WHEN r.hi = r.lo THEN 0
             ELSE floor((loss - r.lo) / (r.hi - r.lo) * ${int(bins)}) END)::INTEGER AS bin,
           count(*)::BIGINT AS n, any_value(r.lo) AS lo, any_value(r.hi) AS hi
    FROM src, r GROUP BY job, bin ORDER BY job, bin`;
}

export const MATCH_COLUMNS = ['param_id', 'target', 'loss_a', 'loss_b', 'diff'] as const;
export type MatchColumn = (typeof MATCH_COLUMNS)[number];

const MATCHED = `FROM ${A} a JOIN ${B} b USING (param_id, target)`;

/** Parameter sets in both jobs, matched by param_id per target, with B − A. */
export function matchedPage(sort: MatchColumn, desc: boolean, limit: number, offset: number): string {
  const dir = desc ? 'DESC' : 'ASC';
  return `SELECT param_id, target, a.loss AS loss_a, b.loss AS loss_b, b.loss - a.loss AS diff ${MATCHED}
    ORDER BY ${ident(sort)} ${dir} NULLS LAST, param_id, target LIMIT ${int(limit)} OFFSET ${int(offset)}`;
}

export function matchedCount(): string {
  return `SELECT count(*)::BIGINT AS n, count(DISTINCT param_id)::BIGINT AS sets ${MATCHED}`;
}

/**
 * Per numeric parameter, the range the best `n` parameter sets of each job span (best by the mean
 * of their ok losses over the targets both jobs share), beside each job's full range.
 */
export function bestRanges(params: readonly string[], targets: readonly string[], n: number): string {
  const tl = targets.map(str).join(', ');
  const one = (rel: string, job: string) => {
    const cols = params.map((p) => `any_value(${ident(p)})::DOUBLE AS ${ident(p)}`).join(', ');
    const sets = `SELECT param_id, avg(loss) AS score, ${cols} FROM ${rel}
      WHERE target IN (${tl}) GROUP BY param_id`;
    const agg = (from: string, what: string) =>
      `${params
        .map((p) => `min(${ident(p)}) AS ${ident(`${p}:lo`)}, max(${ident(p)}) AS ${ident(`${p}:hi`)}`)
        .join(', ')}, ${str(what)} AS part FROM (${from})`;
    return `SELECT ${str(job)} AS job, ${agg(`${sets} QUALIFY row_number() OVER (ORDER BY score ASC NULLS LAST, param_id) <= ${int(n)}`, 'best')}
      UNION ALL SELECT ${str(job)}, ${agg(sets, 'all')}`;
  };
  return `${one(A, 'a')} UNION ALL ${one(B, 'b')}`;
}
