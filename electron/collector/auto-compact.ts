// At the end of a complete collect that wrote many tiny shards (a stream committed every few
// seconds, Dask batches of 100), compact the store in the same process and memory budget. Tiny
// shards are where compaction pays: thousands of files and footers for few rows, and compacting
// few rows is quick. A views job's ~60k-row shards are left as written: compacting 10M rows in the
// collector's 128 MB took 38 s against the collect's 15 s, for an open that is no faster now that
// the host reads footers once (the CLI prints a tip instead). Readers that opened the store while
// it was collected keep reading the replaced files for the grace period. A compaction that fails
// leaves the store as collected (complete, every row there) and says so.
import type { Manifest } from '../../shared/manifest.ts';
import { readManifest } from '../store/manifest-io.ts';
import { compactStore } from './compact.ts';
import type { Duck } from './duck.ts';
import type { OnProgress, ProgressEvent } from './progress.ts';
import { ROW_GROUP_SIZE } from './store-writer.ts';

/** More shards than this, of fewer rows than one row group on average, are compacted. */
export const AUTO_COMPACT_SHARDS = 32;
export const ROWS_PER_SHARD = 1_000_000;

export function wantsCompaction(m: Manifest): boolean {
  const shards = m.shards.filter((s) => s.rows > 0).length;
  return m.status === 'complete' && shards > AUTO_COMPACT_SHARDS && m.counts.rows / shards < ROW_GROUP_SIZE;
}

export async function autoCompact(
  storeDir: string,
  m: Manifest,
  duck: Duck,
  onProgress: OnProgress,
): Promise<Manifest> {
  if (!wantsCompaction(m)) return m;
  const note = (message: string) => {
    const e: ProgressEvent = {
      phase: 'note',
      source: storeDir,
      rows: m.counts.rows,
      total: null,
      shards: m.shards.length,
      rowsPerSecond: 0,
      etaSeconds: null,
      message,
    };
    onProgress(e);
  };
  const started = Date.now();
  note(
    `compacting ${m.shards.length} shards into about ${Math.ceil(m.counts.rows / ROWS_PER_SHARD)} (--no-compact leaves them)`,
  );
  try {
    const r = await compactStore(storeDir, { duck, rowsPerShard: ROWS_PER_SHARD });
    note(`compacted ${r.before} → ${r.after} shards in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return await readManifest(storeDir);
  } catch (e) {
    note(
      `not compacted (${(e as Error).message}); the store is complete as collected — \`losslens compact ${storeDir}\` can try again`,
    );
    return m;
  }
}
