// store.json: the manifest of a loss store, with runtime validation (zod). A shard exists for
// readers only once it is listed here; writers replace the file atomically.
import { z } from 'zod';
import { PARAM_TYPES } from './schema.ts';

export const STORE_FORMAT = 'losslens-store';
export const STORE_VERSION = 1;
export const MANIFEST_FILE = 'store.json';
export const SHARDS_DIR = 'shards';
/** The writer id of `losslens compact`'s shards. */
export const COMPACT_WRITER = 'compact';

export const SOURCE_KINDS = ['demo', 'views', 'provenance', 'ndjson', 'parquet', 'spool'] as const;
export const STORE_STATUSES = ['collecting', 'complete', 'failed'] as const;
export type StoreStatus = (typeof STORE_STATUSES)[number];

const isoDate = z.string().min(1);
const finiteOrNull = z.number().nullable();

export const targetStatsSchema = z.object({
  rows: z.number().int().nonnegative(),
  ok: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  missing: z.number().int().nonnegative(),
  min_loss: finiteOrNull,
  max_loss: finiteOrNull,
});
export type TargetStats = z.infer<typeof targetStatsSchema>;

export const shardSchema = z.object({
  /** Relative to the store root, always `shards/part-<writer>-<seq>.parquet`. */
  path: z.string().regex(/^shards\/part-[A-Za-z0-9_.-]+-\d+\.parquet$/),
  writer: z.string().min(1),
  seq: z.number().int().nonnegative(),
  rows: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  created_at: isoDate,
  targets: z.record(z.string(), targetStatsSchema),
  /** Opaque keys of the inputs this shard completes; a re-run skips inputs already listed. */
  inputs: z.array(z.string()).default([]),
});
export type ShardEntry = z.infer<typeof shardSchema>;

export const writerSchema = z.object({
  status: z.enum(STORE_STATUSES),
  partition: z.string().nullable().default(null),
  pid: z.number().int().nullable().default(null),
  started_at: isoDate,
  updated_at: isoDate,
  rows: z.number().int().nonnegative(),
  /** Rows per second over the last commit interval, for the live badge. */
  rows_per_second: z.number().nonnegative().nullable().default(null),
  error: z.string().nullable().default(null),
});
export type WriterEntry = z.infer<typeof writerSchema>;

export const warningSchema = z.object({
  code: z.string().min(1),
  message: z.string(),
  count: z.number().int().nonnegative(),
  examples: z.array(z.string()).max(20).default([]),
});
export type StoreWarning = z.infer<typeof warningSchema>;

export const countsSchema = z.object({
  rows: z.number().int().nonnegative(),
  ok: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  missing: z.number().int().nonnegative(),
});
export type StoreCounts = z.infer<typeof countsSchema>;

/**
 * A store filled by `--partition K/N` writers: N, and the K whose writer finished. Absent in
 * stores written before it was recorded (then inferred from the writers' labels).
 */
export const partitionsSchema = z.object({
  count: z.number().int().positive(),
  done: z.array(z.number().int().positive()).default([]),
});
export type Partitions = z.infer<typeof partitionsSchema>;

export const manifestSchema = z.object({
  format: z.literal(STORE_FORMAT),
  version: z.literal(STORE_VERSION),
  job_id: z.string(),
  source: z.object({ kind: z.enum(SOURCE_KINDS), path: z.string() }),
  status: z.enum(STORE_STATUSES),
  targets: z.array(z.object({ id: z.string().min(1), entrypoint: z.string() })),
  params: z.array(z.object({ name: z.string().min(1), type: z.enum(PARAM_TYPES) })),
  counts: countsSchema,
  shards: z.array(shardSchema),
  writers: z.record(z.string(), writerSchema).default({}),
  partitions: partitionsSchema.nullish(),
  warnings: z.array(warningSchema).default([]),
  created_at: isoDate,
  updated_at: isoDate,
  collector_version: z.string(),
});
export type Manifest = z.infer<typeof manifestSchema>;

/** Parse store.json text; the error names the field that is wrong. */
export function parseManifest(text: string, where = MANIFEST_FILE): Manifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`${where}: not valid JSON (${(e as Error).message})`);
  }
  return parseManifestValue(raw, where);
}

/** Validate an already parsed store.json; the error names the field that is wrong. */
export function parseManifestValue(raw: unknown, where = MANIFEST_FILE): Manifest {
  const version = (raw as { version?: unknown } | null)?.version;
  if (typeof version === 'number' && version > STORE_VERSION) {
    throw new Error(
      `${where} was written by a newer Losslens (store format ${version}; this version reads format ${STORE_VERSION}): update Losslens to open it`,
    );
  }
  const result = manifestSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const at = issue?.path.length ? issue.path.join('.') : '(root)';
    throw new Error(`${where}: invalid loss-store manifest at ${at}: ${issue?.message ?? 'unknown'}`);
  }
  return result.data;
}

export interface PartitionProgress {
  count: number;
  done: number[];
  missing: number[];
}

/** N and the finished partitions: recorded, or for older stores read from the writers' labels. */
export function partitionProgress(m: Pick<Manifest, 'partitions' | 'writers'>): PartitionProgress | null {
  let recorded = m.partitions;
  if (!recorded) {
    const labels = Object.values(m.writers).map((w) => ({ w, p: /^(\d+)\/(\d+)$/.exec(w.partition ?? '') }));
    const n = Math.max(0, ...labels.map((l) => Number(l.p?.[2] ?? 0)));
    if (n === 0) return null;
    const done = labels.filter((l) => l.p && l.w.status === 'complete').map((l) => Number(l.p![1]));
    recorded = { count: n, done };
  }
  const done = [...new Set(recorded.done)].filter((k) => k <= recorded.count).sort((a, b) => a - b);
  const missing: number[] = [];
  for (let k = 1; k <= recorded.count; k++) if (!done.includes(k)) missing.push(k);
  return { count: recorded.count, done, missing };
}

/**
 * The store's status follows its writers: any failed → failed, any collecting → collecting; all
 * complete is `complete` only once every partition of a partitioned store has finished (until
 * then it is still `collecting`: partitions remain to be run).
 */
export function deriveStatus(
  writers: Record<string, WriterEntry>,
  fallback: StoreStatus,
  partitions: Partitions | null | undefined = null,
): StoreStatus {
  const statuses = Object.values(writers).map((w) => w.status);
  if (statuses.length === 0) return fallback;
  if (statuses.includes('failed')) return 'failed';
  if (statuses.includes('collecting')) return 'collecting';
  const progress = partitionProgress({ partitions, writers });
  if (progress && progress.missing.length > 0) return 'collecting';
  return 'complete';
}
