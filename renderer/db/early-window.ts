// The first pages of the table while the store is still being copied into memory (registry.ts).
// A sorted window over all shards costs about a second at 1M rows, but the first rows of the
// default order (target, failed last, loss) and of a loss sort sit in a narrow loss range that the
// manifest and one small read can bound. Adding that bound to the WHERE lets DuckDB skip every
// row group outside it (row-group statistics), and the result is still exactly the page the full
// query returns: the bound only drops rows that cannot be in the first offset + limit.
import type { ShardEntry } from '../../shared/manifest.ts';
import type { LossFilter, LossSortState } from '../../shared/query-types.ts';
import type { RowStatus } from '../../shared/schema.ts';
import { ident, literal, str } from '../../shared/sql.ts';
import { inList, int, orderClause } from './sql.ts';

/** What the registry knows before the copy is done: the readable shards and their manifest entries. */
export interface EarlySource {
  shards: readonly { name: string; entry: ShardEntry }[];
}

/** Hidden columns of the head query's rows: the page is exact when `__v < __lim` (or `__lim` NULL). */
export const HEAD_V = '__v';
export const HEAD_LIM = '__lim';

/**
 * The default order's first page from the head of each shard. Shards are written sorted by
 * (target, loss NULLS LAST), so a LIMIT on one target's rows streams only the first pages of each
 * shard, cold or warm the cheapest read there is (measured 1M rows: ~0.3 s cold vs ~1 s for the
 * bounded scan). Each shard gives one row more than the page needs: rows not read from a shard
 * have loss >= the last loss read there (`__lim` is the least of those over shards cut short), so
 * the page is exact when its last loss (`__v`) is below it — with one shard too, where reading
 * exactly `need` rows would make `__v` equal `__lim` every time. A tie at the edge returns false
 * and the caller falls back to the bounded query.
 */
export function headWindowSql(
  src: EarlySource,
  columns: readonly string[],
  filter: LossFilter,
  offset: number,
  limit: number,
): string | null {
  const need = offset + limit;
  if (need > EARLY_MAX_ROWS || limit === 0 || filter.where?.trim()) return null;
  if (filter.statuses?.length && !filter.statuses.includes('ok')) return null;
  if (src.shards.length === 0 || lacksStats(src)) return null;
  const inScope = (t: string) => !filter.targets?.length || filter.targets.includes(t);
  const counts = rowsByTarget(src, filter.statuses);
  const first = [...counts.keys()].filter((t) => inScope(t) && (counts.get(t) ?? 0) > 0).sort(byteCompare)[0];
  if (first === undefined) return null;
  let ok = 0;
  for (const { entry } of src.shards) ok += okOf(entry, first);
  if (ok < need) return null;
  const cols = [...new Set([...columns, 'target', 'status', 'loss', 'param_id'])].map(ident).join(', ');
  const cond = [`target = ${literal(first)}`];
  if (filter.statuses?.length) cond.push(inList('status', filter.statuses));
  // A shard with no row of that target adds nothing but a file to open (collector-built stores
  // hold one target per shard: 10M rows, 55 of 168 shards).
  const holding = src.shards.filter(({ entry }) => (entry.targets[first]?.rows ?? 0) > 0);
  const heads = holding.map(
    ({ name }, i) =>
      `SELECT ${i} AS __s, * FROM (SELECT ${cols} FROM read_parquet(${str(name)}) WHERE ${cond.join(' AND ')} LIMIT ${int(need + 1)})`,
  );
  return `WITH c AS (${heads.join(' UNION ALL ')}),
    cut AS (SELECT min(mx) AS lim FROM (SELECT max(loss) AS mx FROM c GROUP BY __s
      HAVING count(*) = ${int(need + 1)} AND count(loss) = count(*))),
    page AS (SELECT * FROM c ${orderClause(null)} LIMIT ${int(limit)} OFFSET ${int(offset)})
    SELECT ${columns.map(ident).join(', ')}, (SELECT loss FROM page ${orderClause(null, true)} LIMIT 1) AS ${HEAD_V},
      (SELECT lim FROM cut) AS ${HEAD_LIM} FROM page ${orderClause(null)}`;
}

/**
 * A shard with rows but no per-target stats (an older manifest): nothing can be planned from the
 * manifest. An empty shard has none and needs none (the collector writes one for an input it
 * found absent, so a re-run knows it was looked at).
 */
function lacksStats(src: EarlySource): boolean {
  return src.shards.some((s) => s.entry.rows > 0 && Object.keys(s.entry.targets).length === 0);
}

/** Beyond this many rows from the top the plain query is as fast as the bound one. */
export const EARLY_MAX_ROWS = 2000;

/** A bound query on one shard, and the predicates the page query gets once it has answered. */
export interface EarlyPlan {
  /** Returns one row `(b, n)`: the bound, and how many losses it covers (must equal `need`). */
  boundSql: string;
  need: number;
  /** Extra WHERE conditions given the bound. */
  predicates: (bound: number) => string[];
}

const okOf = (entry: ShardEntry, t: string) => entry.targets[t]?.ok ?? 0;

/** DuckDB orders VARCHAR by UTF-8 bytes; JavaScript's `<` by UTF-16 units. Compare as DuckDB does. */
export function byteCompare(a: string, b: string): number {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

/** Rows per target in the readable shards, restricted to `statuses`, from the manifest alone. */
function rowsByTarget(src: EarlySource, statuses: readonly RowStatus[] | undefined): Map<string, number> {
  const out = new Map<string, number>();
  for (const { entry } of src.shards)
    for (const [t, s] of Object.entries(entry.targets)) {
      const n = statuses?.length ? statuses.reduce((sum, st) => sum + s[st], 0) : s.rows;
      out.set(t, (out.get(t) ?? 0) + n);
    }
  return out;
}

/** The filter's row count from the manifest, when it needs no query (no free-text WHERE). */
export function manifestCount(src: EarlySource, filter: LossFilter): number | null {
  if (filter.where?.trim() || lacksStats(src)) return null;
  let n = 0;
  for (const [t, rows] of rowsByTarget(src, filter.statuses))
    if (!filter.targets?.length || filter.targets.includes(t)) n += rows;
  return n;
}

/** The `need` smallest (or largest) ok losses of one target in one shard: their max (or min). */
function boundSql(shard: string, target: string, need: number, desc: boolean): string {
  return `SELECT ${desc ? 'min' : 'max'}(loss) AS b, count(*) AS n FROM (
      SELECT loss FROM read_parquet(${str(shard)}) WHERE target = ${literal(target)} AND status = 'ok'
      AND loss IS NOT NULL ORDER BY loss ${desc ? 'DESC' : 'ASC'} LIMIT ${int(need)})`;
}

/**
 * A plan for rows `[offset, offset + limit)` of `filter`/`sort`, or null when no bound helps
 * (a free-text filter, a sort by another column, a deep offset, or too few ok rows in one shard).
 */
export function planEarlyWindow(
  src: EarlySource,
  filter: LossFilter,
  sort: LossSortState,
  offset: number,
  limit: number,
): EarlyPlan | null {
  const need = offset + limit;
  if (need > EARLY_MAX_ROWS || need === 0 || filter.where?.trim()) return null;
  if (filter.statuses?.length && !filter.statuses.includes('ok')) return null;
  if (lacksStats(src)) return null;
  const inScope = (t: string) => !filter.targets?.length || filter.targets.includes(t);
  if (sort === null) {
    // Default order: the page lies in the first target (in DuckDB's order) when that target alone
    // has `need` ok rows; the failed rows of that target come after them.
    const counts = rowsByTarget(src, filter.statuses);
    const first = [...counts.keys()].filter(inScope).sort(byteCompare)[0];
    if (first === undefined) return null;
    return planFor(src, first, need, false, (b) => [`target = ${literal(first)}`, `loss <= ${literal(b)}`]);
  }
  if (sort.column !== 'loss') return null;
  // Loss sort: any one (shard, target) with `need` ok rows bounds the global `need`-th loss; the
  // group with the most extreme loss in the right direction gives the tightest bound.
  let best: { name: string; target: string; edge: number } | null = null;
  for (const { name, entry } of src.shards)
    for (const [t, s] of Object.entries(entry.targets)) {
      const edge = sort.desc ? s.max_loss : s.min_loss;
      if (!inScope(t) || okOf(entry, t) < need || edge === null) continue;
      if (!best || (sort.desc ? edge > best.edge : edge < best.edge)) best = { name, target: t, edge };
    }
  if (!best) return null;
  const op = sort.desc ? '>=' : '<=';
  return {
    boundSql: boundSql(best.name, best.target, need, sort.desc),
    need,
    predicates: (b) => [`loss ${op} ${literal(b)}`],
  };
}

function planFor(
  src: EarlySource,
  target: string,
  need: number,
  desc: boolean,
  predicates: (b: number) => string[],
): EarlyPlan | null {
  // The shard holding the most ok rows of the target bounds it best and surely has `need` of them.
  let best: { name: string; ok: number } | null = null;
  for (const { name, entry } of src.shards) {
    const ok = okOf(entry, target);
    if (!best || ok > best.ok) best = { name, ok };
  }
  if (!best || best.ok < need) return null;
  return { boundSql: boundSql(best.name, target, need, desc), need, predicates };
}

/**
 * Rows past every ok row (a loss sort), or past the last target's ok rows (the default order),
 * are failed/missing rows, ordered by (target, param_id) alone. The manifest says where that tail
 * starts, so a window inside it is a query over non-ok rows only: `status < 'ok'` (the statuses
 * are exactly ok/failed/missing) lets row-group statistics skip every all-ok group, which
 * `<>`/`IN` do not in DuckDB-WASM 1.28 (10M rows: 3.3 s against 16–19 s). This makes Ctrl+End on
 * a store read from shards cost seconds, not a scan of every shard.
 */
export interface TailPlan {
  /** Row index (in the full order) where the non-ok tail starts, and its length. */
  start: number;
  size: number;
  predicates: string[];
}

export function planTail(
  src: EarlySource,
  filter: LossFilter,
  sort: LossSortState,
  offset: number,
  limit: number,
): TailPlan | null {
  if (filter.where?.trim() || (sort !== null && sort.column !== 'loss')) return null;
  if (lacksStats(src)) return null;
  const withOk = !filter.statuses?.length || filter.statuses.includes('ok');
  const { rows, targets } = targetsInScope(src, filter);
  const ok = new Map<string, number>();
  for (const { entry } of src.shards)
    for (const t of Object.keys(entry.targets)) ok.set(t, (ok.get(t) ?? 0) + (withOk ? okOf(entry, t) : 0));
  const total = targets.reduce((n, t) => n + (rows.get(t) ?? 0), 0);
  const nonOk = (t: string) => (rows.get(t) ?? 0) - (ok.get(t) ?? 0);
  // The tail is one segment per target, in target order (for the default order only the last
  // target's segment is a tail). A window inside one segment also filters on its target, so only
  // that target's row groups are read.
  const segments = (sort === null ? targets.slice(-1) : targets).map((t) => ({ t, n: nonOk(t) }));
  const size = segments.reduce((n, g) => n + g.n, 0);
  const start = total - size;
  if (size <= 0 || offset < start) return null;
  let at = start;
  for (const g of segments) {
    if (offset >= at && offset + limit <= at + g.n) {
      return { start: at, size: g.n, predicates: [`status < 'ok'`, `target = ${literal(g.t)}`] };
    }
    at += g.n;
  }
  return { start, size, predicates: [`status < 'ok'`] };
}

/**
 * In the default order each target's rows are one contiguous segment (targets in byte order), and
 * the manifest counts each under the filter's statuses. A window inside one segment is the same
 * window of that target's rows alone, so `target = t` lets a store whose shards each hold one
 * target (as the collector writes views jobs: 168 shards at 10M rows) read only that target's
 * shards. Deep windows use it (Ctrl+End, scrolling far): the head read and the loss bound above
 * serve the first pages.
 */
export function planSegment(
  src: EarlySource,
  filter: LossFilter,
  sort: LossSortState,
  offset: number,
  limit: number,
): TailPlan | null {
  if (sort !== null || filter.where?.trim() || limit === 0) return null;
  if (lacksStats(src)) return null;
  const { rows, targets } = targetsInScope(src, filter);
  // A page asked past the last row (the table asks whole pages) ends at the last row.
  const end = Math.min(
    offset + limit,
    targets.reduce((n, t) => n + (rows.get(t) ?? 0), 0),
  );
  let at = 0;
  for (const t of targets) {
    const n = rows.get(t) ?? 0;
    if (offset >= at && offset < end && end <= at + n)
      return { start: at, size: n, predicates: [`target = ${literal(t)}`] };
    at += n;
  }
  return null;
}

/** Rows per target under the filter's statuses, and the filter's targets with rows, in byte order. */
function targetsInScope(
  src: EarlySource,
  filter: LossFilter,
): { rows: Map<string, number>; targets: string[] } {
  const rows = rowsByTarget(src, filter.statuses);
  const inScope = (t: string) => !filter.targets?.length || filter.targets.includes(t);
  const targets = [...rows.keys()].filter((t) => inScope(t) && (rows.get(t) ?? 0) > 0).sort(byteCompare);
  return { rows, targets };
}
