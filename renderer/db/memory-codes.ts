// Dictionary codes for the memory copy (memory-cache.ts): text columns with a handful of distinct
// values per store (the job id, target, entrypoint, status) are stored as DuckDB ENUMs, one byte a
// row instead of a 16-byte string plus its text (target ids and entrypoints run to 30–40 bytes).
// The view casts them back to VARCHAR, so every query sees exactly the store's text: comparisons
// with values not in the store, LIKE, ordering by the text. The codes start from the values the
// manifest names (its job, targets and entrypoints, every row status); each shard's values are read
// before it is copied, and a value not seen before re-codes the table once (a rewrite holds the
// table twice: at 1M rows, shards of one target each re-coded per target peaked at ~825 MB).
import type { Manifest } from '../../shared/manifest.ts';
import { ROW_STATUSES } from '../../shared/schema.ts';
import { ident, literal, str } from '../../shared/sql.ts';

export const CODED = ['job_id', 'target', 'target_entrypoint', 'status'] as const;
export type CodedColumn = (typeof CODED)[number];
export type Domains = Map<CodedColumn, ReadonlySet<string>>;

const isCoded = (c: string): c is CodedColumn => (CODED as readonly string[]).includes(c);

/** One row: per coded column, the list of its distinct non-NULL values in shard `name`. */
export function distinctValuesSql(name: string): string {
  const cols = CODED.map(
    (c) => `list(DISTINCT ${ident(c)}) FILTER (WHERE ${ident(c)} IS NOT NULL) AS ${ident(c)}`,
  );
  return `SELECT ${cols.join(', ')} FROM read_parquet(${str(name)}, union_by_name = true)`;
}

/** The values `manifest` names, in the shape of a distinctValuesSql row. */
export function manifestValues(manifest: Manifest): Record<CodedColumn, string[]> {
  return {
    job_id: [manifest.job_id],
    target: manifest.targets.map((t) => t.id),
    target_entrypoint: manifest.targets.map((t) => t.entrypoint),
    status: [...ROW_STATUSES],
  };
}

/** `seen` added to `known`; null when nothing is new. */
export function grow(known: Domains, seen: Record<string, unknown>): Domains | null {
  let grown = false;
  const next: Domains = new Map();
  for (const c of CODED) {
    const had = known.get(c) ?? new Set<string>();
    const values = listOf(seen[c]).map(String);
    const add = values.filter((v) => !had.has(v));
    if (add.length) grown = true;
    next.set(c, add.length ? new Set([...had, ...add]) : had);
  }
  return grown ? next : null;
}

/** A DuckDB list as JavaScript values: an array, or an Arrow vector (iterable). */
function listOf(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (v !== null && typeof v === 'object' && Symbol.iterator in v) return [...(v as Iterable<unknown>)];
  return [];
}

/** CREATE TYPE for a column's domain, its values in byte order (as VARCHAR sorts them). */
export function enumTypeSql(type: string, values: ReadonlySet<string>): string {
  const sorted = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `CREATE TYPE ${ident(type)} AS ENUM (${sorted.map(literal).join(', ')})`;
}

/** A column as the view shows it: coded columns cast back to their text. */
export function viewColumn(name: string): string {
  return isCoded(name) ? `${ident(name)}::VARCHAR AS ${ident(name)}` : ident(name);
}

/** A column re-coded to `types` (CREATE OR REPLACE TABLE … AS SELECT over the table itself). */
export function recodeColumn(name: string, types: ReadonlyMap<string, string>): string {
  const t = types.get(name);
  return t ? `${ident(name)}::VARCHAR::${ident(t)} AS ${ident(name)}` : ident(name);
}
