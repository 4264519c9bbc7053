// Shards store.json lists but the disk does not hold as listed: deleted, truncated, overwritten
// or corrupt. Each is named with what to do, instead of DuckDB's "IO Error: No files found".
// The cheap check (size and parquet trailer) runs whenever a writer opens a store; the deep one
// (DuckDB reading the file) only when a query over the store failed.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ShardEntry } from '../../shared/manifest.ts';
import { str } from '../../shared/sql.ts';

export interface ShardProblem {
  path: string;
  rows: number;
  kind: 'missing' | 'corrupt';
  detail: string;
}

export const SHARD_FIX =
  're-run the same collect command to re-collect its rows (it drops the shard from store.json first), or restore the file';

export function shardProblemMessage(p: ShardProblem): string {
  return `${p.path} is ${p.kind} (${p.detail}; listed in store.json with ${p.rows} rows)`;
}

/** One line for many problems: the first few named, then the fix. */
export function shardProblemsMessage(storeDir: string, problems: readonly ShardProblem[]): string {
  const named = problems.slice(0, 5).map(shardProblemMessage).join('; ');
  const more = problems.length > 5 ? `; and ${problems.length - 5} more` : '';
  return `${storeDir}: ${named}${more}. To fix: ${SHARD_FIX}`;
}

const MAGIC = Buffer.from('PAR1');

/** Missing, of another size than listed, or without parquet's trailing magic. */
export async function checkShardFile(storeDir: string, shard: ShardEntry): Promise<ShardProblem | null> {
  const file = path.join(storeDir, shard.path);
  const base = { path: shard.path, rows: shard.rows };
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { ...base, kind: 'missing', detail: code === 'ENOENT' ? 'not on disk' : `cannot open: ${code}` };
  }
  try {
    const { size } = await handle.stat();
    if (size !== shard.bytes)
      return { ...base, kind: 'corrupt', detail: `${size} bytes, listed as ${shard.bytes}` };
    const tail = Buffer.alloc(4);
    await handle.read(tail, 0, 4, Math.max(0, size - 4));
    if (!tail.equals(MAGIC))
      return { ...base, kind: 'corrupt', detail: 'not a parquet file (no PAR1 trailer)' };
    return null;
  } finally {
    await handle.close();
  }
}

export async function checkShardFiles(
  storeDir: string,
  shards: readonly ShardEntry[],
): Promise<ShardProblem[]> {
  const out: ShardProblem[] = [];
  // A few at a time: thousands of shards, each an open + stat + 4-byte read.
  for (let i = 0; i < shards.length; i += 32) {
    const got = await Promise.all(shards.slice(i, i + 32).map((s) => checkShardFile(storeDir, s)));
    for (const p of got) if (p) out.push(p);
  }
  return out;
}

/** After a query over the store failed: which files DuckDB cannot read through (every column). */
export async function probeShards(
  conn: DuckDBConnection,
  storeDir: string,
  shards: readonly ShardEntry[],
): Promise<ShardProblem[]> {
  const out: ShardProblem[] = [];
  for (const s of shards) {
    try {
      // Reading every value (hash of each row) decodes every page, so a bad page is found too.
      await conn.run(`SELECT sum(hash(t)) FROM read_parquet(${str(path.join(storeDir, s.path))}) t`);
    } catch (e) {
      const first = (e as Error).message.split('\n')[0] ?? '';
      out.push({ path: s.path, rows: s.rows, kind: 'corrupt', detail: `DuckDB cannot read it: ${first}` });
    }
  }
  return out;
}
