// Source: a provenance store root (`token/v1/aggs/...` + `token/v1/sims/...`). Each aggregation's
// result.json is one row; its parameter set comes from the sims its `inputs` name by task id
// (see provenance-sims.ts for the assumption about where a sim keeps its task id). Parameter ids
// are carried from the sims, never recomputed.
//
// Streaming and exactly-once: aggregations are read bucket by bucket (provenance-layout.ts) and
// committed in batches whose input keys are the buckets' fingerprints. A re-run skips buckets
// whose fingerprint is committed; a bucket that changed (a running job added results) is re-read
// and its rows already in the store are dropped by an anti-join on (param_id, target).
//
// Job id: --job-id, else the store's, else the job spec's, else `provenance-<bundle digest>`
// (recorded as a `job_id_derived` warning), because result.json carries none.
import path from 'node:path';
import type { StoreWarning } from '../../../shared/manifest.ts';
import { type LossRow, shortTargetId } from '../../../shared/schema.ts';
import { str } from '../../../shared/sql.ts';
import { readManifest } from '../../store/manifest-io.ts';
import { CollectError, example, SKIP_HINT } from '../errors.ts';
import { mergeParams, sortedParams } from '../param-types.ts';
import { ownsUnit } from '../partition.ts';
import { badRecordsWarning, duplicatesWarning } from '../record-issues.ts';
import type { StoreWriter } from '../store-writer.ts';
import { readJobSpec } from './job-spec.ts';
import { type AggContext, readAgg } from './provenance-aggs.ts';
import { type AggBucket, readAggLayout } from './provenance-layout.ts';
import { readSims } from './provenance-sims.ts';
import type { Source } from './types.ts';

const DEFAULT_BATCH_ROWS = 50_000;
const MAX_BATCH_BYTES = 8 * 1024 * 1024;
/** result.json files read at once: enough to hide file-system latency, few enough to bound memory. */
const READ_AHEAD = 32;

interface Batch {
  rows: LossRow[];
  bytes: number;
  keys: string[];
  reread: boolean;
  seen: Set<string>;
  bad: string[];
  badCount: number;
  dups: string[];
  dupCount: number;
}

function emptyBatch(): Batch {
  return {
    rows: [],
    bytes: 0,
    keys: [],
    reread: false,
    seen: new Set(),
    bad: [],
    badCount: 0,
    dups: [],
    dupCount: 0,
  };
}

export const provenanceSource: Source = {
  kind: 'provenance',
  async run(ctx) {
    const root = path.join(ctx.src, 'token', 'v1');
    const spec = ctx.jobSpec ? await readJobSpec(ctx.jobSpec) : null;
    const sims = await readSims(path.join(root, 'sims'));
    const layout = await readAggLayout(path.join(root, 'aggs'));
    if (layout.length === 0) {
      throw new CollectError(
        path.join(root, 'aggs'),
        null,
        'no target_*/ directories with aggregations',
        'Point at the root that holds token/v1/aggs/<bundle>/target_*/agg_*/',
      );
    }
    const paramTypes = new Map(sims.params);
    if (spec) for (const [n, t] of spec.params) mergeParams(paramTypes, n, t);
    const derivedJobId = `provenance-${layout[0]!.bundle}`;
    const jobId = ctx.jobId ?? spec?.jobId ?? derivedJobId;
    const writer = await ctx.openWriter({
      jobId,
      params: ctx.existingParams ?? sortedParams(paramTypes),
      targets: layout.map((t) => ({ id: shortTargetId(t.entrypoint), entrypoint: t.entrypoint })),
    });
    // Notes that belong to the store, not to a shard: committed with the first shard of a new store.
    const storeWarnings: StoreWarning[] = [];
    if (writer.committedInputs.size === 0) {
      if (jobId === derivedJobId) {
        storeWarnings.push({
          code: 'job_id_derived',
          message: `result.json carries no job id; using "${jobId}" (pass --job-id or --job-spec to name the job)`,
          count: 1,
          examples: [],
        });
      }
      if (sims.withoutTaskId > 0) {
        storeWarnings.push({
          code: 'sims_without_task_id',
          message: 'sims with no task_id (in result.json or metadata.json) cannot be joined to aggregations',
          count: sims.withoutTaskId,
          examples: [],
        });
      }
    }

    const plan: { bucket: AggBucket; targetIndex: number }[] = [];
    let unit = 0;
    let total = 0;
    layout.forEach((t, targetIndex) => {
      for (const bucket of t.buckets) {
        if (ownsUnit(ctx.partition, unit++) && !writer.committedInputs.has(bucket.key)) {
          plan.push({ bucket, targetIndex });
          total += bucket.aggDirs.length;
        }
      }
    });
    ctx.progress.setTotal(total);

    const limit = ctx.batchRows ?? DEFAULT_BATCH_ROWS;
    let batch = emptyBatch();
    for (const { bucket, targetIndex } of plan) {
      const t = layout[targetIndex]!;
      const c: AggContext = { jobId, targetEntrypoint: t.entrypoint, sims, collectedAt: ctx.collectedAt };
      batch.reread ||= [...writer.committedInputs].some((k) => k.startsWith(bucket.keyPrefix));
      for (let i = 0; i < bucket.aggDirs.length; i += READ_AHEAD) {
        const dirs = bucket.aggDirs.slice(i, i + READ_AHEAD);
        const outcomes = await Promise.all(dirs.map((d) => readAgg(path.join(t.dir, d), c)));
        for (const o of outcomes) {
          if ('pending' in o) continue;
          if ('bad' in o) {
            if (ctx.onError === 'fail') throw new CollectError(o.file, null, o.bad, SKIP_HINT);
            batch.badCount++;
            batch.bad.push(example(o.file, 'aggregation', o.bad));
            continue;
          }
          const key = `${o.row.param_id}\u0000${o.row.target}`;
          if (batch.seen.has(key)) {
            batch.dupCount++;
            batch.dups.push(
              `${t.targetDir}: ${o.row.param_id} aggregated more than once; the first was kept`,
            );
            continue;
          }
          batch.seen.add(key);
          batch.rows.push(o.row);
          batch.bytes += 200 + (o.row.diagnostics?.length ?? 0);
        }
      }
      batch.keys.push(bucket.key);
      if (batch.rows.length >= limit || batch.bytes >= MAX_BATCH_BYTES) {
        await commit(writer, batch);
        batch = emptyBatch();
      }
    }
    if (batch.keys.length > 0) await commit(writer, batch);
    // Store-level notes on an input that had nothing new still need recording once.
    if (storeWarnings.length > 0) for (const w of storeWarnings) await writer.addWarning(w);

    async function commit(w: StoreWriter, b: Batch): Promise<void> {
      const relation = await w.stageRows(b.rows);
      const listed = (await readManifest(w.storeDir)).shards.filter((s) => s.rows > 0);
      let select = `SELECT * FROM ${relation}`;
      if (listed.length > 0 && b.rows.length > 0) {
        // The same parameter set aggregated again in another bucket (or a bucket re-read after it
        // grew): keep the row already stored.
        const files = listed.map((s) => str(path.join(w.storeDir, s.path))).join(', ');
        const stored = `(SELECT param_id, target FROM read_parquet([${files}]))`;
        if (!b.reread) {
          const r = await w.connection.runAndReadAll(
            `SELECT s.param_id, s.target, count(*) OVER () AS n FROM ${relation} s SEMI JOIN ${stored} x
             ON s.param_id = x.param_id AND s.target = x.target LIMIT 5`,
          );
          const hits = r.getRowObjectsJS();
          b.dupCount += Number(hits[0]?.n ?? 0);
          for (const h of hits)
            b.dups.push(`${String(h.param_id)} / ${String(h.target)} was already in the store`);
        }
        select = `SELECT s.* FROM ${relation} s ANTI JOIN ${stored} x ON s.param_id = x.param_id AND s.target = x.target`;
      }
      const warnings = storeWarnings.splice(0);
      if (b.badCount) warnings.push(badRecordsWarning(b.badCount, b.bad));
      if (b.dupCount) warnings.push(duplicatesWarning(b.dupCount, b.dups));
      const shard = await w.writeSelect(select, b.keys, { warnings });
      ctx.progress.shard(shard?.rows ?? 0);
    }
  },
};
