// collect(): the one entry point for the CLI, the app's child process and library users. It
// detects each source, opens (or resumes) the store writer when the source knows its shape, and
// marks this writer complete or failed at the end. Resumption is the writer's committed inputs.
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Manifest } from '../../shared/manifest.ts';
import { readManifestIfExists } from '../store/manifest-io.ts';
import { explainWriteError } from '../store/writable.ts';
import { autoCompact } from './auto-compact.ts';
import { type Duck, type DuckOptions, openDuck } from './duck.ts';
import { type Partition, parsePartition, partitionLabel } from './partition.ts';
import { type OnProgress, ProgressTracker } from './progress.ts';
import { checkShape } from './shape-check.ts';
import { detectSource } from './sources/detect.ts';
import { ndjsonSource } from './sources/ndjson.ts';
import { parquetSource } from './sources/parquet.ts';
import { provenanceSource } from './sources/provenance.ts';
import { spoolSource } from './sources/spool.ts';
import type { OnError, Source, SourceContext, SourceKind, StoreShape } from './sources/types.ts';
import { viewsSource } from './sources/views.ts';
import { StoreWriter } from './store-writer.ts';

export interface CollectOptions {
  sources: readonly string[];
  out: string;
  jobSpec?: string | null;
  jobId?: string | null;
  batchRows?: number | null;
  flushSeconds?: number;
  /** Tail a spool folder until its `_DONE` marker appears. */
  follow?: boolean;
  partition?: string | Partition | null;
  writerId?: string | null;
  onError?: OnError;
  /** Parquet: only these columns are parameters / these are not (names with or without `param_`). */
  params?: readonly string[] | null;
  exclude?: readonly string[] | null;
  stdin?: Readable;
  duck?: DuckOptions;
  /** Stop before the next shard (see InterruptedError); the writer is then marked failed. */
  signal?: AbortSignal;
  /** Checked when stdin ends: an error when the input was cut short (its producer died). */
  inputCut?: () => Error | null;
  /** Compact a complete store that ended in many small shards (default true; see autoCompact). */
  compact?: boolean;
}

const SOURCES: Record<SourceKind, Source> = {
  views: viewsSource,
  provenance: provenanceSource,
  ndjson: ndjsonSource,
  parquet: parquetSource,
  spool: spoolSource,
};

export function defaultWriterId(partition: Partition | null): string {
  return partition ? `p${partition.k}of${partition.n}` : 'main';
}

export async function collect(options: CollectOptions, onProgress: OnProgress = () => {}): Promise<Manifest> {
  if (options.sources.length === 0) throw new Error('collect: give at least one SRC');
  const partition =
    typeof options.partition === 'string' ? parsePartition(options.partition) : (options.partition ?? null);
  const out = path.resolve(options.out);
  const writerId = options.writerId ?? defaultWriterId(partition);
  const duck: Duck = await openDuck(options.duck);
  let writer: StoreWriter | null = null;
  try {
    for (const src of options.sources) {
      const kind = await detectSource(src, options.follow ?? false);
      const source = SOURCES[kind];
      const existing = await readManifestIfExists(out);
      const progress = new ProgressTracker(onProgress, src);
      const ctx: SourceContext = {
        src: src === '-' ? '-' : path.resolve(src),
        duck,
        partition,
        onError: options.onError ?? 'fail',
        batchRows: options.batchRows ?? null,
        flushSeconds: options.flushSeconds ?? 5,
        follow: options.follow ?? false,
        signal: options.signal ?? null,
        jobSpec: options.jobSpec ? path.resolve(options.jobSpec) : null,
        jobId: options.jobId ?? existing?.job_id ?? null,
        stdin: options.stdin ?? process.stdin,
        progress,
        existingParams: existing?.params ?? null,
        paramChoice: { only: options.params ?? null, exclude: options.exclude ?? [] },
        collectedAt: new Date(),
        openWriter: async (shape: StoreShape) => {
          checkShape(ctx.src, shape);
          writer = await StoreWriter.open({
            storeDir: out,
            writerId,
            jobId: shape.jobId,
            source: { kind, path: ctx.src },
            params: shape.params,
            targets: shape.targets,
            partition: partitionLabel(partition),
            duck,
            onNote: (message) => progress.note(message),
            // A stream read from stdin ends when its producer does (a Ctrl+C reaches both): its
            // last batch is committed at end of input rather than dropped.
            ...(options.signal && !options.sources.includes('-') ? { signal: options.signal } : {}),
          });
          return writer;
        },
      };
      await source.run(ctx);
      progress.done();
    }
    const w = writer as StoreWriter | null;
    // Interrupted while reading stdin: everything that arrived is committed, but the producer was
    // stopped too (or died), so the input may be short of its end: never `complete`.
    if (options.signal?.aborted) throw options.signal.reason;
    const cut = options.inputCut?.();
    if (cut) throw cut;
    if (!w) throw new Error('collect: no source produced a store (nothing to read?)');
    const done = await w.finish('complete');
    if (options.compact === false || options.signal?.aborted) return done;
    return await autoCompact(out, done, duck, onProgress);
  } catch (e) {
    // Whatever stopped the run, the store says so (never `collecting` after it), with what to do.
    const err = await explainWriteError(e, out);
    const why = err instanceof Error ? err.message : String(err);
    const w = writer as StoreWriter | null;
    if (w) await w.finish('failed', why).catch(() => {});
    else await StoreWriter.markFailed(out, writerId, why).catch(() => {});
    throw err;
  } finally {
    duck.close();
  }
}
