// The store writer: turns batches of rows (or a SQL relation) into zstd parquet shards and lists
// them in store.json. Order of a commit: COPY to a temp file → fsync → (under the store lock)
// choose seq, rename into shards/, rewrite store.json atomically. A crash at any point leaves
// at most an unlisted file, never a listed partial one.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import {
  deriveStatus,
  type Manifest,
  SHARDS_DIR,
  type ShardEntry,
  type SOURCE_KINDS,
  STORE_FORMAT,
  STORE_VERSION,
  type StoreStatus,
  type StoreWarning,
} from '../../shared/manifest.ts';
import type { LossRow, ParamSpec } from '../../shared/schema.ts';
import { ident, str } from '../../shared/sql.ts';
import { commitRename, tempPathFor } from '../store/atomic.ts';
import { readManifestCached, readManifestIfExists, updateManifest } from '../store/manifest-io.ts';
import { pidAlive } from '../store/owner.ts';
import { removeStaleTemps } from '../store/stale-temps.ts';
import { mkdirStore } from '../store/writable.ts';
import { type Duck, openDuck } from './duck.ts';
import { addCounts, dropShards, mergeTargets, mergeWarnings, sumCounts } from './manifest-edit.ts';
import { finishPartitions, joinPartitions } from './partition.ts';
import { appendRows, batchRelation, createBatchTable, rowWriters } from './row-appender.ts';
import { checkShardFiles, shardProblemMessage } from './shard-health.ts';
import { statsFromCopy, targetStats } from './shard-stats.ts';
import { type StoredCheck, StoredPairs } from './stored-pairs.ts';
import { COLLECTOR_VERSION } from './version.ts';

// 16k-row groups: the app's first page reads one row group per shard, and at 1M rows in headless
// Chromium 16k groups opened in 1.6 s against 2.1 s for 64k (same store, same run); statistics
// also prune finer. (DESIGN.md asks only that groups be small enough to skip most of a file.)
export const ROW_GROUP_SIZE = 16_384;
const BATCH_TABLE = 'losslens_batch';
// zstd level 1, not DuckDB's default 3: measured on the 10M-row bench job, the shard COPYs ran
// ~20 % faster, and the shards came out no larger (473 vs 487 MB).
export const ZSTD_LEVEL = 1;

export interface WriterOptions {
  storeDir: string;
  /** Distinct per concurrent writer; appears in shard file names. */
  writerId: string;
  jobId: string;
  source: { kind: (typeof SOURCE_KINDS)[number]; path: string };
  params: readonly ParamSpec[];
  targets: readonly { id: string; entrypoint: string }[];
  partition?: string | null;
  rowGroupSize?: number;
  duck?: Duck;
  /** Told of what the user should know, e.g. listed shards found missing and dropped. */
  onNote?: (message: string) => void;
  /** Once aborted, no new shard starts (the abort reason is thrown); shards in flight finish. */
  signal?: AbortSignal;
}

/** Manifest changes committed in the same transaction as a shard, so a kill never splits them. */
export interface CommitExtras {
  /** Merged by code (counts add up): exactly once with the shard that carries them. */
  warnings?: readonly StoreWarning[];
  /** Targets first seen in this shard (streams discover targets as they go). */
  targets?: readonly { id: string; entrypoint: string }[];
}

function sameParams(a: readonly ParamSpec[], b: readonly ParamSpec[]): boolean {
  return a.length === b.length && a.every((p, i) => p.name === b[i]?.name && p.type === b[i]?.type);
}

function exists(file: string): Promise<boolean> {
  return fs.stat(file).then(
    () => true,
    () => false,
  );
}

/**
 * The manifest without listed shards that are missing or damaged on disk (checked under the
 * lock, so no writer is between renaming and listing). Their input keys go with them: this run
 * collects those inputs again. Noted to the user and kept as a store warning naming the files.
 */
async function withoutBrokenShards(opts: WriterOptions, current: Manifest): Promise<Manifest> {
  const problems = await checkShardFiles(opts.storeDir, current.shards);
  if (problems.length === 0) return current;
  const { manifest, dropped } = dropShards(current, new Set(problems.map((p) => p.path)));
  const grouped =
    dropped.length > problems.length
      ? ` (with the ${dropped.length - problems.length} other compacted shards, which share their input keys)`
      : '';
  const rows = dropped.reduce((n, s) => n + s.rows, 0);
  const message = `${problems.map(shardProblemMessage).join('; ')}: dropped from store.json${grouped}; their ${rows} rows are collected again from the source`;
  opts.onNote?.(message);
  const warning: StoreWarning = {
    code: 'shards_recollected',
    message: 'listed shards were missing or damaged on disk; dropped and their inputs collected again',
    count: dropped.length,
    examples: problems.map(shardProblemMessage).slice(0, 5),
  };
  return { ...manifest, warnings: mergeWarnings(manifest.warnings, [warning]) };
}

export class StoreWriter {
  private readonly writers: ReturnType<typeof rowWriters>;
  private readonly committed = new Set<string>();
  private rowsWritten = 0;
  private pairs: StoredPairs | null = null;
  private lastCommitAt = Date.now();

  private constructor(
    private readonly opts: WriterOptions,
    private readonly duck: Duck,
    private readonly ownsDuck: boolean,
  ) {
    this.writers = rowWriters(opts.params);
  }

  static async open(opts: WriterOptions): Promise<StoreWriter> {
    if (!/^[A-Za-z0-9_.-]+$/.test(opts.writerId)) {
      throw new Error(`writer id "${opts.writerId}" may only contain letters, digits, '_', '.', '-'`);
    }
    await mkdirStore(path.join(opts.storeDir, SHARDS_DIR));
    await removeStaleTemps(opts.storeDir);
    const now = new Date().toISOString();
    const manifest = await updateManifest(opts.storeDir, async (current) => {
      if (current && !sameParams(current.params, opts.params)) {
        throw new Error(
          `${opts.storeDir} holds parameters (${current.params.map((p) => `${p.name}:${p.type}`).join(', ')}) ` +
            `that differ from this input's (${opts.params.map((p) => `${p.name}:${p.type}`).join(', ')}); ` +
            'collect it into a new store with --out',
        );
      }
      const base: Manifest = (current && (await withoutBrokenShards(opts, current))) ?? {
        format: STORE_FORMAT,
        version: STORE_VERSION,
        job_id: opts.jobId,
        source: opts.source,
        status: 'collecting',
        targets: [],
        params: [...opts.params],
        counts: { rows: 0, ok: 0, failed: 0, missing: 0 },
        shards: [],
        writers: {},
        warnings: [],
        created_at: now,
        updated_at: now,
        collector_version: COLLECTOR_VERSION,
      };
      const previous = base.writers[opts.writerId];
      const writers = {
        ...base.writers,
        [opts.writerId]: {
          status: 'collecting' as const,
          partition: opts.partition ?? null,
          pid: process.pid,
          started_at: previous?.started_at ?? now,
          updated_at: now,
          rows: previous?.rows ?? 0,
          rows_per_second: null,
          error: null,
        },
      };
      const partitions = joinPartitions(base, opts.partition ?? null, opts.storeDir);
      return {
        ...base,
        targets: mergeTargets(base.targets, opts.targets),
        writers,
        partitions,
        status: deriveStatus(writers, 'collecting', partitions),
        updated_at: now,
      };
    });
    const duck = opts.duck ?? (await openDuck());
    const writer = new StoreWriter(opts, duck, !opts.duck);
    try {
      for (const s of manifest.shards) for (const i of s.inputs) writer.committed.add(i);
      writer.rowsWritten = manifest.writers[opts.writerId]?.rows ?? 0;
      await createBatchTable(duck.conn, BATCH_TABLE, opts.params);
    } catch (e) {
      // Listed as collecting a moment ago: never leave the store saying so after a failed start.
      await writer.finish('failed', (e as Error).message).catch(() => {});
      writer.close();
      throw e;
    }
    return writer;
  }

  /**
   * The rows of `relation` (store rows, e.g. from stageRows) whose (param_id, target) the store
   * does not hold yet, and the stored ones found: in time independent of the shard count.
   */
  async withoutStored(relation: string): Promise<StoredCheck> {
    const m = await readManifestCached(this.opts.storeDir);
    if (!m) throw new Error(`${this.opts.storeDir}: store.json disappeared while collecting`);
    this.pairs ??= new StoredPairs(this.duck.conn, this.opts.storeDir);
    await this.pairs.sync(m.shards);
    return this.pairs.check(relation);
  }

  /** Inputs already completed by any writer of this store: a resumed run skips them. */
  get committedInputs(): ReadonlySet<string> {
    return this.committed;
  }

  get connection() {
    return this.duck.conn;
  }

  get storeDir(): string {
    return this.opts.storeDir;
  }

  /** Write one batch of rows as one shard. Returns null for an empty batch with no inputs. */
  async writeRows(
    rows: readonly LossRow[],
    inputs: readonly string[] = [],
    extras: CommitExtras = {},
  ): Promise<ShardEntry | null> {
    const relation = await this.stageRows(rows);
    return this.commitRelation(relation, rows.length, inputs, extras);
  }

  /**
   * Replace the staging table's contents with `rows` and return SQL for them as store rows, so a
   * source can filter them in DuckDB (e.g. against rows already in the store) before writeSelect.
   */
  async stageRows(rows: readonly LossRow[]): Promise<string> {
    await this.duck.conn.run(`DELETE FROM ${ident(BATCH_TABLE)}`);
    await appendRows(this.duck.conn, BATCH_TABLE, this.writers, rows);
    return batchRelation(BATCH_TABLE);
  }

  /**
   * Write the result of a SELECT (which must yield the store columns in order) as one shard.
   * Used by sources DuckDB can read natively, so rows never pass through JavaScript.
   */
  async writeSelect(
    selectSql: string,
    inputs: readonly string[] = [],
    extras: CommitExtras = {},
    conn: DuckDBConnection = this.duck.conn,
  ): Promise<ShardEntry | null> {
    return this.commitRelation(`(${selectSql})`, null, inputs, extras, conn);
  }

  /**
   * Connections for writing shards concurrently (see lanes.ts for the measured trade-off). Each lane
   * commits its own shards; commits are serialised by the manifest lock, and input keys are
   * disjoint, so exactly-once does not depend on their order.
   */
  async lanes(n: number): Promise<DuckDBConnection[]> {
    const out = [this.duck.conn];
    while (out.length < n) out.push(await this.duck.instance.connect());
    return out;
  }

  private async commitRelation(
    relation: string,
    knownRows: number | null,
    inputs: readonly string[],
    extras: CommitExtras,
    conn: DuckDBConnection = this.duck.conn,
  ): Promise<ShardEntry | null> {
    if (knownRows === 0 && inputs.length === 0) return null;
    this.opts.signal?.throwIfAborted();
    const shardsDir = path.join(this.opts.storeDir, SHARDS_DIR);
    const temp = tempPathFor(path.join(shardsDir, `part-${this.opts.writerId}.parquet`));
    const rgs = this.opts.rowGroupSize ?? ROW_GROUP_SIZE;
    try {
      const copied = await conn.runAndReadAll(
        `COPY (SELECT * FROM ${relation} ORDER BY target, loss NULLS LAST) TO ${str(temp)}
         (FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL ${ZSTD_LEVEL}, ROW_GROUP_SIZE ${rgs}, RETURN_STATS)`,
      );
      const written = copied.getRowObjectsJson()[0] as Record<string, unknown> | undefined;
      // Reading the shard back for its stats cost ~1 s of a 10M-row collect; most shards don't need it.
      const targets =
        (written && statsFromCopy(written)) ?? (await targetStats(conn, `read_parquet(${str(temp)})`));
      const rows = Object.values(targets).reduce((n, t) => n + t.rows, 0);
      const bytes = (await fs.stat(temp)).size;
      return await this.listShard(temp, { rows, bytes, targets, inputs: [...inputs] }, extras);
    } finally {
      await fs.rm(temp, { force: true });
    }
  }

  private async listShard(
    temp: string,
    shard: Pick<ShardEntry, 'rows' | 'bytes' | 'targets' | 'inputs'>,
    extras: CommitExtras,
  ): Promise<ShardEntry> {
    const { storeDir, writerId } = this.opts;
    const now = new Date();
    const elapsed = Math.max(1, now.getTime() - this.lastCommitAt) / 1000;
    let entry: ShardEntry | undefined;
    await updateManifest(storeDir, async (current) => {
      if (!current) throw new Error(`${storeDir}: store.json disappeared while collecting`);
      let seq = 1 + Math.max(-1, ...current.shards.filter((s) => s.writer === writerId).map((s) => s.seq));
      let rel = `${SHARDS_DIR}/part-${writerId}-${String(seq).padStart(6, '0')}.parquet`;
      // A compaction may have retired (unlisted, not yet deleted) files with this writer's names:
      // never overwrite a file a reader of an older manifest may still open.
      while (await exists(path.join(storeDir, rel))) {
        seq++;
        rel = `${SHARDS_DIR}/part-${writerId}-${String(seq).padStart(6, '0')}.parquet`;
      }
      await commitRename(temp, path.join(storeDir, rel));
      entry = { path: rel, writer: writerId, seq, created_at: now.toISOString(), ...shard };
      const shards = [...current.shards, entry];
      const prev = current.writers[writerId];
      const writers = {
        ...current.writers,
        [writerId]: {
          status: 'collecting' as const,
          partition: prev?.partition ?? this.opts.partition ?? null,
          pid: process.pid,
          started_at: prev?.started_at ?? now.toISOString(),
          updated_at: now.toISOString(),
          rows: (prev?.rows ?? 0) + shard.rows,
          rows_per_second: shard.rows / elapsed,
          error: null,
        },
      };
      return {
        ...current,
        targets: extras.targets ? mergeTargets(current.targets, extras.targets) : current.targets,
        warnings: extras.warnings ? mergeWarnings(current.warnings, extras.warnings) : current.warnings,
        shards,
        writers,
        counts: addCounts(current.counts, sumCounts([entry])),
        status: deriveStatus(writers, current.status, current.partitions),
        updated_at: now.toISOString(),
      };
    });
    this.lastCommitAt = now.getTime();
    this.rowsWritten += shard.rows;
    for (const i of shard.inputs) this.committed.add(i);
    return entry!;
  }

  /** Merge a warning by code: counts add up, examples are kept up to 5. */
  async addWarning(warning: StoreWarning): Promise<void> {
    await updateManifest(this.opts.storeDir, (current) => {
      if (!current) throw new Error('store.json disappeared');
      const warnings = mergeWarnings(current.warnings, [warning]);
      return { ...current, warnings, updated_at: new Date().toISOString() };
    });
  }

  /** Mark this writer done; the store is `complete` once every writer is. */
  async finish(status: Exclude<StoreStatus, 'collecting'>, error: string | null = null): Promise<Manifest> {
    const manifest = await updateManifest(this.opts.storeDir, (current) => {
      if (!current) throw new Error('store.json disappeared');
      const now = new Date().toISOString();
      const prev = current.writers[this.opts.writerId];
      const writers = {
        ...current.writers,
        [this.opts.writerId]: {
          status,
          partition: prev?.partition ?? null,
          pid: process.pid,
          started_at: prev?.started_at ?? now,
          updated_at: now,
          rows: prev?.rows ?? this.rowsWritten,
          rows_per_second: null,
          error,
        },
      };
      const partitions = finishPartitions(current, prev?.partition ?? null, status);
      return {
        ...current,
        writers,
        partitions,
        status: deriveStatus(writers, status, partitions),
        updated_at: now,
      };
    });
    return manifest;
  }

  /**
   * Mark `writerId` failed when a run stopped before it opened its writer, so a store left
   * `collecting` by an earlier killed run of the same writer does not keep saying so.
   */
  static async markFailed(storeDir: string, writerId: string, error: string): Promise<void> {
    const m = await readManifestIfExists(storeDir);
    const w = m?.writers[writerId];
    if (w?.status !== 'collecting' || (w.pid !== null && w.pid !== process.pid && pidAlive(w.pid))) return;
    await updateManifest(storeDir, (current) => {
      if (!current) throw new Error('store.json disappeared');
      const prev = current.writers[writerId];
      if (prev?.status !== 'collecting') return current;
      const writers = {
        ...current.writers,
        [writerId]: { ...prev, status: 'failed' as const, error, rows_per_second: null },
      };
      return { ...current, writers, status: deriveStatus(writers, 'failed', current.partitions) };
    });
  }

  close(): void {
    if (this.ownsDuck) this.duck.close();
  }
}

export async function storeExists(storeDir: string): Promise<boolean> {
  return (await readManifestIfExists(storeDir)) !== null;
}
