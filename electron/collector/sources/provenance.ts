// Source: a provenance store root (`token/v1/aggs/...` + `token/v1/sims/...`). Each aggregation's
// result.json is one row; its parameter set comes from the sims its `inputs` name by task id
// (see provenance-sims.ts for the assumption about where a sim keeps its task id). Parameter ids
// are carried from the sims, never recomputed.
//
// Memory: the sims index and each batch of aggregations live in the collector's DuckDB (memory
// limit, spills to disk), never in the JavaScript heap, so peak memory does not grow with the job:
// sims are streamed into a table first, then every batch is joined to it in SQL
// (provenance-join.ts), made into store rows (provenance-rows.ts) and written with writeSelect.
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
import { shortTargetId } from '../../../shared/schema.ts';
import { str } from '../../../shared/sql.ts';
import { readManifest } from '../../store/manifest-io.ts';
import { CollectError, example, SKIP_HINT } from '../errors.ts';
import { mergeParams, sortedParams } from '../param-types.ts';
import { ownsUnit } from '../partition.ts';
import { badRecordsWarning, duplicatesWarning } from '../record-issues.ts';
import type { StoreWriter } from '../store-writer.ts';
import { readJobSpec } from './job-spec.ts';
import { readAgg } from './provenance-aggs.ts';
import { AggBatch, type AggTargetRef, JOIN_INPUTS } from './provenance-batch.ts';
import { badAggs } from './provenance-join.ts';
import { type AggBucket, bucketDirs, readAggLayout } from './provenance-layout.ts';
import { batchRows, dropProvenanceTables } from './provenance-rows.ts';
import { stageSims } from './provenance-sims.ts';
import type { Source, SourceContext } from './types.ts';

const DEFAULT_BATCH_ROWS = 50_000;
const MAX_BATCH_BYTES = 8 * 1024 * 1024;
/** result.json files read at once: enough to hide file-system latency, few enough to bound memory. */
const READ_AHEAD = 32;

export const provenanceSource: Source = {
  kind: 'provenance',
  async run(ctx) {
    try {
      await collectProvenance(ctx);
    } finally {
      await dropProvenanceTables(ctx.duck.conn);
    }
  },
};

async function collectProvenance(ctx: SourceContext): Promise<void> {
  const conn = ctx.duck.conn;
  const root = path.join(ctx.src, 'token', 'v1');
  const spec = ctx.jobSpec ? await readJobSpec(ctx.jobSpec) : null;
  const sims = await stageSims(conn, path.join(root, 'sims'));
  const layout = await readAggLayout(conn, path.join(root, 'aggs'));
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
  const params = ctx.existingParams ?? sortedParams(paramTypes);
  const writer = await ctx.openWriter({
    jobId,
    params,
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
        total += bucket.count;
      }
    }
  });
  ctx.progress.setTotal(total);

  const limits = { rows: ctx.batchRows ?? DEFAULT_BATCH_ROWS, bytes: MAX_BATCH_BYTES };
  const targets: AggTargetRef[] = layout.map((t) => ({
    id: shortTargetId(t.entrypoint),
    entrypoint: t.entrypoint,
    dirName: t.targetDir,
    dir: t.dir,
  }));
  // Small batches join small: a --batch-rows run (and the tests) cross join boundaries too.
  const joinEvery = Math.min(JOIN_INPUTS, limits.rows);
  let batch = await AggBatch.open(conn, targets, joinEvery);
  for (const { bucket, targetIndex } of plan) {
    const t = layout[targetIndex]!;
    batch.reread ||= [...writer.committedInputs].some((k) => k.startsWith(bucket.keyPrefix));
    const aggDirs = await bucketDirs(conn, bucket);
    for (let i = 0; i < aggDirs.length; i += READ_AHEAD) {
      const dirs = aggDirs.slice(i, i + READ_AHEAD);
      const outcomes = await Promise.all(dirs.map((d) => readAgg(path.join(t.dir, d))));
      for (const o of outcomes) if (!('pending' in o)) batch.add(targetIndex, o);
      await batch.settle();
    }
    batch.keys.push(bucket.key);
    if (batch.full(limits)) {
      await commit(writer, batch);
      batch = await AggBatch.open(conn, targets, joinEvery);
    }
  }
  if (batch.keys.length > 0) await commit(writer, batch);
  else await batch.close();
  // Store-level notes on an input that had nothing new still need recording once.
  if (storeWarnings.length > 0) for (const w of storeWarnings) await writer.addWarning(w);

  async function commit(w: StoreWriter, b: AggBatch): Promise<void> {
    await b.close();
    const bad = await badAggs(conn);
    const first = bad.examples[0];
    if (first && ctx.onError === 'fail') {
      throw new CollectError(b.file(first.ti, first.file), null, first.why, SKIP_HINT);
    }
    const r = await batchRows(conn, { jobId, params, collectedAt: ctx.collectedAt });
    const listed = (await readManifest(w.storeDir)).shards.filter((s) => s.rows > 0);
    let select = `SELECT * FROM ${r.relation}`;
    let dupCount = r.dups.count;
    const dups = [...r.dups.examples];
    if (listed.length > 0 && r.rows > 0) {
      // The same parameter set aggregated again in another bucket (or a bucket re-read after it
      // grew): keep the row already stored.
      const files = listed.map((s) => str(path.join(w.storeDir, s.path))).join(', ');
      const stored = `(SELECT param_id, target FROM read_parquet([${files}]))`;
      if (!b.reread) {
        const res = await w.connection.runAndReadAll(
          `SELECT s.param_id, s.target, count(*) OVER () AS n FROM ${r.relation} s SEMI JOIN ${stored} x
           ON s.param_id = x.param_id AND s.target = x.target LIMIT 5`,
        );
        const hits = res.getRowObjectsJS();
        dupCount += Number(hits[0]?.n ?? 0);
        for (const h of hits)
          dups.push(`${String(h.param_id)} / ${String(h.target)} was already in the store`);
      }
      select = `SELECT s.* FROM ${r.relation} s ANTI JOIN ${stored} x ON s.param_id = x.param_id AND s.target = x.target`;
    }
    const warnings = storeWarnings.splice(0);
    if (bad.count) {
      const examples = bad.examples.map((e) => example(b.file(e.ti, e.file), 'aggregation', e.why));
      warnings.push(badRecordsWarning(bad.count, examples));
    }
    if (dupCount) warnings.push(duplicatesWarning(dupCount, dups));
    const shard = await w.writeSelect(select, b.keys, { warnings });
    ctx.progress.shard(shard?.rows ?? 0);
  }
}
