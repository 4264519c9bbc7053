// What one compaction writes, as pieces of at most ~rowsPerShard rows each, in (target, loss)
// order: small targets share a piece; a large one is cut at approximate loss quantiles, so its
// pieces hold disjoint loss ranges (a top-N reads the first) and each is sorted on its own. One
// sort per piece keeps compaction inside the collector's memory budget whatever the store's size
// (one global sort needed ~1.4 GB at 10M rows). The bounds only decide which piece a row goes
// to; adjacent pieces use the same bound text, so every row lands in exactly one.
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ShardEntry } from '../../shared/manifest.ts';
import { literal, str } from '../../shared/sql.ts';

export interface CompactPiece {
  targets: string[];
  /** Shards holding rows of the piece (by the manifest's per-target counts and loss ranges). */
  files: string[];
  /** SQL condition beyond `target IN (…)`, or null for whole targets. */
  lossRange: string | null;
}

function targetRows(shards: readonly ShardEntry[]): Map<string, number> {
  const rows = new Map<string, number>();
  for (const s of shards)
    for (const [t, st] of Object.entries(s.targets)) rows.set(t, (rows.get(t) ?? 0) + st.rows);
  return rows;
}

/** Loss values cutting target `t`'s ok rows into `k` about equal parts (increasing, distinct). */
async function lossBounds(conn: DuckDBConnection, files: string[], t: string, k: number): Promise<number[]> {
  const qs = Array.from({ length: k - 1 }, (_, i) => (i + 1) / k);
  const [row] = (
    await conn.runAndReadAll(
      `SELECT approx_quantile(loss, [${qs.join(', ')}]) AS b FROM read_parquet([${files.map(str).join(', ')}])
       WHERE target = ${str(t)} AND loss IS NOT NULL`,
    )
  ).getRowObjectsJS();
  const values = ((row?.b as (number | null)[] | null) ?? []).filter((b): b is number => b !== null);
  return [...new Set(values)].sort((a, b) => a - b);
}

export async function planCompaction(
  conn: DuckDBConnection,
  storeDir: string,
  shards: readonly ShardEntry[],
  rowsPerShard: number,
): Promise<CompactPiece[]> {
  const rows = targetRows(shards);
  const filesOf = (ts: readonly string[], keep: (s: ShardEntry) => boolean = () => true) =>
    shards
      .filter((s) => ts.some((t) => (s.targets[t]?.rows ?? 0) > 0) && keep(s))
      .map((s) => path.join(storeDir, s.path));
  const pieces: CompactPiece[] = [];
  let group: string[] = [];
  let groupRows = 0;
  const flush = () => {
    if (group.length > 0) pieces.push({ targets: group, files: filesOf(group), lossRange: null });
    group = [];
    groupRows = 0;
  };
  for (const t of [...rows.keys()].sort()) {
    const n = rows.get(t) ?? 0;
    if (n === 0) continue;
    if (n <= rowsPerShard) {
      if (groupRows + n > rowsPerShard) flush();
      group.push(t);
      groupRows += n;
      continue;
    }
    flush();
    const bounds = await lossBounds(conn, filesOf([t]), t, Math.ceil(n / rowsPerShard));
    for (let i = 0; i <= bounds.length; i++) {
      const lo = i > 0 ? bounds[i - 1]! : null;
      const hi = i < bounds.length ? bounds[i]! : null;
      const parts = [
        lo === null ? null : `loss >= ${literal(lo)}`,
        hi === null ? null : `loss < ${literal(hi)}`,
      ];
      const range = parts.filter((p) => p !== null).join(' AND ');
      // Failed and missing rows (no loss) sort last: they go with the last piece.
      const lossRange = hi === null ? (range ? `(${range} OR loss IS NULL)` : null) : range;
      const overlaps = (s: ShardEntry) => {
        const st = s.targets[t]!;
        if (hi === null && st.ok < st.rows) return true;
        if (st.min_loss === null || st.max_loss === null) return false;
        return (lo === null || st.max_loss >= lo) && (hi === null || st.min_loss < hi);
      };
      pieces.push({ targets: [t], files: filesOf([t], overlaps), lossRange });
    }
  }
  flush();
  return pieces.filter((p) => p.files.length > 0);
}
