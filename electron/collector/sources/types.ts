// What every source gets from the orchestrator and what it gives back. A source knows its input
// kind; the orchestrator knows the store, partitions, errors and progress.
import type { Readable } from 'node:stream';
import type { SOURCE_KINDS } from '../../../shared/manifest.ts';
import type { ParamSpec } from '../../../shared/schema.ts';
import type { Duck } from '../duck.ts';
import type { Partition } from '../partition.ts';
import type { ProgressTracker } from '../progress.ts';
import type { StoreWriter } from '../store-writer.ts';

export type SourceKind = Exclude<(typeof SOURCE_KINDS)[number], 'demo'>;
export type OnError = 'fail' | 'skip';

export interface TargetRef {
  id: string;
  entrypoint: string;
}

/** --params / --exclude (parquet): names as parameters (`beta`) or as columns (`param_beta`). */
export interface ParamChoice {
  only: readonly string[] | null;
  exclude: readonly string[];
}

export interface StoreShape {
  jobId: string;
  params: readonly ParamSpec[];
  targets: readonly TargetRef[];
}

export interface SourceContext {
  /** The source path as given (`-` for stdin). */
  src: string;
  duck: Duck;
  partition: Partition | null;
  onError: OnError;
  /** Rows per shard; null means auto-tune from the bytes of the input. */
  batchRows: number | null;
  flushSeconds: number;
  /** Spool folders: keep tailing until the runner writes `_DONE` (else one pass). */
  follow: boolean;
  /** Aborted by Ctrl+C / SIGTERM: a source that waits for input stops waiting. */
  signal: AbortSignal | null;
  jobSpec: string | null;
  jobId: string | null;
  stdin: Readable;
  progress: ProgressTracker;
  /** Params of the store when it exists already: a resumed stream keeps the store's types. */
  existingParams: readonly ParamSpec[] | null;
  /** Which columns of a parquet input are parameters (default: every unknown column). */
  paramChoice: ParamChoice;
  /** Open (or resume) the store writer once the source knows its shape. Call once. */
  openWriter(shape: StoreShape): Promise<StoreWriter>;
  /** Store-level note for the user (e.g. counts disagree with manifest.json); added once. */
  collectedAt: Date;
}

export interface Source {
  kind: SourceKind;
  run(ctx: SourceContext): Promise<void>;
}
