// Fixture jobs written by real writers (native DuckDB COPY for parquet), shaped like the modelops
// outputs in MODELOPS-FORMATS.md. Shared by the tests and the bench, so both exercise the same
// layouts: colon target dirs, a target that failed entirely, negative losses, a quoted string param.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { str } from '../../../shared/sql.ts';

export const FIXTURE_TARGETS = [
  'targets.incidence:incidence_mean_signal_target',
  'targets.prevalence:prevalence_target',
  'targets.hospital:hospitalization_loglik',
] as const;

/** The param_id of parameter set i: 64 hex, deterministic, never recomputed by the collector. */
export function fixtureParamIdSql(i: string): string {
  return `sha256('contracts:param:v1|fixture|' || ${i})`;
}

export interface ViewsFixture {
  dir: string;
  jobId: string;
  params: number;
  /** Targets written with data.parquet; a target dir in `failedTargets` gets none. */
  targets: readonly string[];
  failedTargets: readonly string[];
}

export interface ViewsFixtureOptions {
  dir: string;
  params: number;
  targets?: readonly string[];
  /** Targets whose aggregation failed for every parameter set: no data.parquet. */
  failedTargets?: readonly string[];
  /** Parameter sets i with i % dropEvery === dropEvery-1 have no row (failed aggregation). */
  dropEvery?: number;
  replicates?: number;
  /** Write JOB.json beside the view (tasks, or the older batches[] layout). */
  jobSpec?: 'tasks' | 'batches' | null;
  /** Row i duplicated at the end of the first target's file. */
  duplicateRows?: number;
  rowGroupSize?: number;
  /** Manifest failed counts to claim, per target dir (defaults to the true counts). */
  claimFailed?: Record<string, number>;
}

/** One row per parameter set (likelihood targets have negative losses), params typed DOUBLE, BIGINT, BOOLEAN and VARCHAR (one with a quote). */
function dataSelect(
  targetIndex: number,
  negative: boolean,
  params: number,
  dropEvery: number,
  reps: number,
  jobId: string,
) {
  const keep = dropEvery > 0 ? `WHERE i % ${dropEvery} <> ${dropEvery - 1}` : '';
  const loss = negative
    ? `-(1500 - (hash(i, ${targetIndex}) % 100000) / 100.0)`
    : `5 + (hash(i, ${targetIndex}) % 1000000) / 1000.0`;
  return `SELECT ${str(jobId)} AS job_id, ${fixtureParamIdSql('i')} AS param_id,
      'bundle-abc' AS bundle_ref, 'models.sir/baseline' AS entrypoint, (${loss})::DOUBLE AS loss,
      ${reps}::BIGINT AS n_replicates,
      list_transform(range(${reps}), r -> (i * 100 + r)::BIGINT) AS seeds,
      strftime(TIMESTAMP '2026-01-02 03:04:05' + to_seconds(i % 3600), '%Y-%m-%dT%H:%M:%S.%fZ') AS timestamp,
      (i % 1000) / 1000.0 AS param_beta, (10000 + i)::BIGINT AS param_population,
      (i % 2 = 0) AS param_seasonal,
      CASE i % 3 WHEN 0 THEN 'baseline' WHEN 1 THEN 'mask ''strict''' ELSE 'school' END AS param_scenario
    FROM range(${params}) t(i) ${keep}`;
}

export async function writeViewsFixture(
  conn: DuckDBConnection,
  o: ViewsFixtureOptions,
): Promise<ViewsFixture> {
  const targets = o.targets ?? FIXTURE_TARGETS.slice(0, 2);
  const failedTargets = o.failedTargets ?? [];
  const reps = o.replicates ?? 3;
  const dropEvery = o.dropEvery ?? 0;
  const jobId = `job-${
    path
      .basename(o.dir)
      .replace(/[^a-z0-9]/gi, '')
      .slice(0, 12) || 'fixture'
  }`;
  const manifestTargets: Record<string, unknown> = {};
  const dropped = dropEvery > 0 ? Math.floor(o.params / dropEvery) : 0;
  for (const [ti, t] of [...targets, ...failedTargets].entries()) {
    const tdir = path.join(o.dir, 'targets', t);
    await fs.mkdir(tdir, { recursive: true });
    const failed = failedTargets.includes(t);
    if (!failed) {
      let sql = dataSelect(ti, t.includes('loglik'), o.params, dropEvery, reps, jobId);
      if (ti === 0 && o.duplicateRows) {
        // Duplicates carry a different loss so a test can tell which copy was kept.
        sql = `(${sql}) UNION ALL (SELECT * REPLACE (loss + 1e6 AS loss) FROM (${sql}) LIMIT ${o.duplicateRows})`;
      }
      const rg = o.rowGroupSize ? `, ROW_GROUP_SIZE ${o.rowGroupSize}` : '';
      await conn.run(
        `COPY (${sql}) TO ${str(path.join(tdir, 'data.parquet'))} (FORMAT parquet, COMPRESSION snappy${rg})`,
      );
    }
    const rows = failed ? 0 : o.params - dropped;
    manifestTargets[t] = {
      rows,
      available: !failed,
      failed: o.claimFailed?.[t] ?? (failed ? o.params : dropped),
      mean_loss: failed ? null : 100,
    };
  }
  const manifest = {
    job_id: jobId,
    bundle_ref: 'bundle-abc',
    created_at: '2026-01-02T03:04:05Z',
    targets: manifestTargets,
    dataset_uri: `views/jobs/${jobId}`,
    schema_version: '1.0.0',
    target_spec: null,
  };
  await fs.writeFile(path.join(o.dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  if (o.jobSpec) await writeJobSpec(path.join(o.dir, 'JOB.json'), jobId, o.params, reps, o.jobSpec);
  return { dir: o.dir, jobId, params: o.params, targets, failedTargets };
}

export function fixtureParamValues(i: number): Record<string, number | boolean | string> {
  return {
    beta: (i % 1000) / 1000,
    population: 10000 + i,
    seasonal: i % 2 === 0,
    scenario: i % 3 === 0 ? 'baseline' : i % 3 === 1 ? "mask 'strict'" : 'school',
  };
}

/** JOB.json: one task per replicate, so each parameter set appears `reps` times. */
export async function writeJobSpec(
  file: string,
  jobId: string,
  params: number,
  reps: number,
  layout: 'tasks' | 'batches',
  paramIds?: readonly string[],
): Promise<void> {
  const ids = paramIds ?? (await computeParamIds(params));
  const tasks = [];
  for (let i = 0; i < params; i++) {
    for (let r = 0; r < reps; r++) {
      tasks.push({
        entrypoint: 'models.sir/baseline',
        bundle_ref: 'bundle-abc',
        params: { param_id: ids[i], values: fixtureParamValues(i) },
        seed: i * 100 + r,
        outputs: ['incidence'],
      });
    }
  }
  const spec = {
    job_type: 'simulation',
    job_id: jobId,
    bundle_ref: 'bundle-abc',
    priority: 0,
    metadata: {},
    target_spec: null,
    ...(layout === 'tasks'
      ? { tasks }
      : { batches: [{ tasks: tasks.slice(0, reps) }, { tasks: tasks.slice(reps) }] }),
  };
  await fs.writeFile(file, JSON.stringify(spec));
}

/** The same ids DuckDB's sha256 gives, computed in Node for fixtures written from JavaScript. */
export async function computeParamIds(n: number): Promise<string[]> {
  const { createHash } = await import('node:crypto');
  return Array.from({ length: n }, (_, i) =>
    createHash('sha256').update(`contracts:param:v1|fixture|${i}`).digest('hex'),
  );
}
