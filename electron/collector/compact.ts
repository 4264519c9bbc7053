// `losslens compact`: rewrite many small shards into few large ones sorted by (target, loss).
// Order: new shards are written and fsynced in a temp dir; then, under the store lock, they are
// renamed into shards/ and store.json swaps the old list for the new one in one atomic write.
// Old files stay on disk (listed in retired.json) so a reader holding the old manifest can
// finish; a later compaction deletes them after the grace period. Shards committed by writers
// while compaction ran are kept as they are.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { COMPACT_WRITER, SHARDS_DIR, type ShardEntry } from '../../shared/manifest.ts';
import { storeColumns } from '../../shared/schema.ts';
import { ident, str } from '../../shared/sql.ts';
import { commitRename, fsyncFile } from '../store/atomic.ts';
import { readManifest, updateManifest } from '../store/manifest-io.ts';
import { currentLayout, unlistedSegments } from '../store/manifest-segments.ts';
import { ownerTag } from '../store/owner.ts';
import { deleteExpired, readRetired, writeRetired } from '../store/retired.ts';
import { removeStaleTemps } from '../store/stale-temps.ts';
import { planCompaction } from './compact-plan.ts';
import { type Duck, openDuck } from './duck.ts';
import { sumCounts } from './manifest-edit.ts';
import { checkShardFiles, probeShards, shardProblemsMessage } from './shard-health.ts';
import { targetStats } from './shard-stats.ts';
import { ROW_GROUP_SIZE } from './store-writer.ts';

export { COMPACT_WRITER };

export interface CompactOptions {
  rowsPerShard?: number;
  graceSeconds?: number;
  /** Run on this DuckDB (the collector's, at the end of a collect) instead of opening one. */
  duck?: Duck;
}

export interface CompactResult {
  before: number;
  after: number;
  retired: number;
  deleted: string[];
}

async function nextSeq(storeDir: string): Promise<number> {
  const names = await fs.readdir(path.join(storeDir, SHARDS_DIR));
  const seqs = names.map((n) => /^part-compact-(\d+)\.parquet$/.exec(n)?.[1]).filter((s) => s !== undefined);
  return 1 + Math.max(0, ...seqs.map(Number));
}

export async function compactStore(storeDir: string, opts: CompactOptions = {}): Promise<CompactResult> {
  const graceMs = (opts.graceSeconds ?? 600) * 1000;
  const rowsPerShard = Math.max(1, opts.rowsPerShard ?? 1_000_000);
  const rgs = Math.min(ROW_GROUP_SIZE, rowsPerShard);
  const manifest = await readManifest(storeDir);
  const old = manifest.shards;
  await removeStaleTemps(storeDir);
  // Compacting around a missing shard would carry its input keys into the new shards, and a
  // re-run could then never re-collect its rows: refuse, naming the files.
  const problems = await checkShardFiles(storeDir, old);
  if (problems.length > 0)
    throw new Error(`compact: ${shardProblemsMessage(storeDir, problems)}; then compact again`);
  const gc = await deleteExpired(
    storeDir,
    await readRetired(storeDir),
    new Set(old.map((s) => s.path)),
    graceMs,
  );
  if (old.length <= 1) {
    await writeRetired(storeDir, gc.kept);
    return { before: old.length, after: old.length, retired: 0, deleted: gc.deleted };
  }
  const tmp = path.join(storeDir, SHARDS_DIR, `.tmp-compact-${ownerTag()}-${Date.now()}`);
  await fs.mkdir(tmp, { recursive: true });
  // Pieces of at most ~rowsPerShard rows, each sorted on its own (compact-plan.ts). Measured on
  // a 10M-row store of 168 shards: 16.6 s at 957 MB peak with a 1 GB budget (one global sort:
  // 25.3 s, 1.16 GB; out of memory under 128 MB), 38 s at 375 MB in the collector's 128 MB.
  const duck = opts.duck ?? (await openDuck({ memoryLimit: process.env.LOSSLENS_DUCKDB_MEMORY ?? '1GB' }));
  // A read error names the damaged shard when one is (else the error is DuckDB's own).
  const badShards = async (e: unknown): Promise<never> => {
    const bad = await probeShards(
      duck.conn,
      storeDir,
      old.filter((s) => s.rows > 0),
    );
    if (bad.length > 0)
      throw new Error(`compact: ${shardProblemsMessage(storeDir, bad)}; then compact again`);
    throw e;
  };
  try {
    // Sorted output must stay sorted as DuckDB writes it.
    await duck.conn.run('SET preserve_insertion_order = true');
    const cols = storeColumns(manifest.params)
      .map((c) => ident(c.name))
      .join(', ');
    const full = old.filter((s) => s.rows > 0);
    const pieces = await planCompaction(duck.conn, storeDir, full, rowsPerShard).catch(badShards);
    for (const [i, p] of pieces.entries()) {
      const where = [`target IN (${p.targets.map(str).join(', ')})`, ...(p.lossRange ? [p.lossRange] : [])];
      await duck.conn
        .run(`COPY (SELECT ${cols} FROM read_parquet([${p.files.map(str).join(', ')}], union_by_name = true)
          WHERE ${where.join(' AND ')} ORDER BY target, loss NULLS LAST, param_id)
        TO ${str(path.join(tmp, `c_${i}.parquet`))} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${rgs})`)
        .catch(badShards);
    }
    const made = (await fs.readdir(tmp)).filter((n) => n.endsWith('.parquet'));
    made.sort((a, b) => Number(/(\d+)/.exec(a)?.[1]) - Number(/(\d+)/.exec(b)?.[1]));
    const staged: { file: string; stats: Awaited<ReturnType<typeof targetStats>>; bytes: number }[] = [];
    for (const name of made) {
      const file = path.join(tmp, name);
      const stats = await targetStats(duck.conn, `read_parquet(${str(file)})`);
      // A loss range between two approximate quantiles can hold no row: no empty shard for it.
      if (Object.values(stats).every((t) => t.rows === 0)) continue;
      await fsyncFile(file);
      staged.push({ file, stats, bytes: (await fs.stat(file)).size });
    }
    const inputs = [...new Set(old.flatMap((s) => s.inputs))];
    const oldPaths = new Set(old.map((s) => s.path));
    const now = new Date().toISOString();
    await updateManifest(storeDir, async (current) => {
      if (!current) throw new Error(`${storeDir}: store.json disappeared`);
      const listed = new Set(current.shards.map((s) => s.path));
      if (![...oldPaths].every((p) => listed.has(p)))
        throw new Error('another compaction changed the store; run compact again');
      let seq = await nextSeq(storeDir);
      const fresh: ShardEntry[] = [];
      for (const [i, s] of staged.entries()) {
        const rel = `${SHARDS_DIR}/part-${COMPACT_WRITER}-${String(seq).padStart(6, '0')}.parquet`;
        await commitRename(s.file, path.join(storeDir, rel));
        const rows = Object.values(s.stats).reduce((n, t) => n + t.rows, 0);
        // Every input key of the replaced shards moves to the first new one: resume still skips them.
        fresh.push({
          path: rel,
          writer: COMPACT_WRITER,
          seq: seq++,
          rows,
          bytes: s.bytes,
          created_at: now,
          targets: s.stats,
          inputs: i === 0 ? inputs : [],
        });
      }
      if (fresh.length === 0) {
        // Only empty shards: keep their input keys on one empty entry-less record is impossible,
        // so keep the first old shard as the carrier.
        fresh.push({ ...old[0]!, inputs });
        oldPaths.delete(old[0]!.path);
      }
      const shards = [...fresh, ...current.shards.filter((s) => !oldPaths.has(s.path))];
      await writeRetired(storeDir, [...gc.kept, ...[...oldPaths].map((p) => ({ path: p, retired_at: now }))]);
      return { ...current, shards, counts: sumCounts(shards), updated_at: now };
    });
    // Segment files of the shard list just replaced: kept for readers of the old manifest, like shards.
    const unlisted = await unlistedSegments(storeDir, currentLayout(storeDir));
    if (unlisted.length > 0) {
      const retired = await readRetired(storeDir);
      const have = new Set(retired.map((f) => f.path));
      const add = unlisted.filter((p) => !have.has(p)).map((p) => ({ path: p, retired_at: now }));
      await writeRetired(storeDir, [...retired, ...add]);
    }
    return { before: old.length, after: staged.length || 1, retired: oldPaths.size, deleted: gc.deleted };
  } finally {
    if (opts.duck) await duck.conn.run('SET preserve_insertion_order = false').catch(() => {});
    else duck.close();
    await fs.rm(tmp, { recursive: true, force: true });
  }
}
