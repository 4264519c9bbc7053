// The views source end to end: a job view written by native DuckDB (colon target dirs, a target
// that failed entirely, negative losses, a quoted string parameter, duplicates, a job spec with
// replicates) collected into a store and read back with DuckDB.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { str } from '../../shared/sql.ts';
import { readManifest } from '../store/manifest-io.ts';
import { collect } from './collect.ts';
import { FIXTURE_TARGETS, writeViewsFixture } from './testing/fixtures.ts';
import { openTestDuck, runCli, storeRelation, tempDir } from './testing/helpers.ts';

const [INCIDENCE, PREVALENCE, HOSPITAL] = FIXTURE_TARGETS;
let db: Awaited<ReturnType<typeof openTestDuck>>;
let root: string;

beforeAll(async () => {
  db = await openTestDuck();
  root = await tempDir('views');
});
afterAll(() => db.close());

async function fixture(name: string, extra: Partial<Parameters<typeof writeViewsFixture>[1]> = {}) {
  return writeViewsFixture(db.conn, {
    dir: path.join(root, name),
    params: 200,
    targets: [INCIDENCE, HOSPITAL],
    failedTargets: [PREVALENCE],
    dropEvery: 10,
    jobSpec: 'tasks',
    replicates: 3,
    ...extra,
  });
}

describe('views source', () => {
  it("lists each shard with the stats of its own rows (taken from DuckDB's COPY, not re-read)", async () => {
    const view = await fixture('stats');
    const out = path.join(root, 'stats-store');
    const m = await collect({ sources: [view.dir], out, batchRows: 64 });
    expect(m.shards.length).toBeGreaterThan(6);
    for (const shard of m.shards) {
      const file = path.join(out, shard.path);
      const rows = await db.rows(
        `SELECT target, count(*)::INT AS rows, count(*) FILTER (WHERE status = 'ok')::INT AS ok,
                count(*) FILTER (WHERE status = 'failed')::INT AS failed,
                count(*) FILTER (WHERE status = 'missing')::INT AS missing,
                min(loss) AS min_loss, max(loss) AS max_loss
         FROM read_parquet(${str(file)}) GROUP BY target`,
      );
      expect(shard.targets).toEqual(Object.fromEntries(rows.map(({ target, ...t }) => [target, t])));
      expect(shard.rows).toBe(rows.reduce((n, r) => n + Number(r.rows), 0));
    }
  });

  it('collects every parameter set × target, with failed rows from the job spec', async () => {
    const view = await fixture('full', { duplicateRows: 3 });
    const out = path.join(root, 'full-store');
    const m = await collect({ sources: [view.dir], out, batchRows: 64 });
    expect(m.status).toBe('complete');
    // 200 sets × 3 targets; 20 absent per data target + 200 for the failed target are `failed`.
    expect(m.counts).toEqual({ rows: 600, ok: 360, failed: 240, missing: 0 });
    const rel = await storeRelation(out);
    const perTarget = await db.rows(
      `SELECT target, target_entrypoint, status, count(*)::INT AS n, min(loss) AS lo FROM ${rel} GROUP BY ALL ORDER BY ALL`,
    );
    expect(perTarget).toEqual([
      { target: 'hospitalization_loglik', target_entrypoint: HOSPITAL, status: 'failed', n: 20, lo: null },
      {
        target: 'hospitalization_loglik',
        target_entrypoint: HOSPITAL,
        status: 'ok',
        n: 180,
        lo: expect.any(Number),
      },
      {
        target: 'incidence_mean_signal_target',
        target_entrypoint: INCIDENCE,
        status: 'failed',
        n: 20,
        lo: null,
      },
      { target: 'incidence_mean_signal_target', target_entrypoint: INCIDENCE, status: 'ok', n: 180, lo: 5 },
      { target: 'prevalence_target', target_entrypoint: PREVALENCE, status: 'failed', n: 200, lo: null },
    ]);
    expect(Number(perTarget[1]!.lo)).toBeLessThan(0);
    // Exactly one row per (param_id, target); the first duplicate (original loss) was kept.
    const [dup] = await db.rows(
      `SELECT count(*) - count(DISTINCT (param_id, target)) AS d, max(loss) AS hi FROM ${rel}`,
    );
    expect(Number(dup!.d)).toBe(0);
    expect(Number(dup!.hi)).toBeLessThan(1e6);
    expect(m.warnings.find((w) => w.code === 'duplicate_rows')?.count).toBe(3);
    // Failed rows carry the spec's parameters (quote intact) and replicate seeds.
    const [f] = await db.rows(
      `SELECT param_scenario, len(seeds)::INT AS r, n_replicates, error_message FROM ${rel}
       WHERE status = 'failed' AND param_scenario LIKE '%''%' LIMIT 1`,
    );
    expect(f).toMatchObject({ param_scenario: "mask 'strict'", r: 3, n_replicates: null });
    expect(String(f!.error_message)).toMatch(/aggregation failed/);
    const types = await db.rows(
      `SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM ${rel}) WHERE column_name LIKE 'param_%' ORDER BY 1`,
    );
    expect(types.map((t) => `${t.column_name}:${t.column_type}`)).toEqual([
      'param_beta:DOUBLE',
      'param_id:VARCHAR',
      'param_population:BIGINT',
      'param_scenario:VARCHAR',
      'param_seasonal:BOOLEAN',
    ]);
    // A re-run over the same inputs adds nothing.
    const again = await collect({ sources: [view.dir], out, batchRows: 64 });
    expect(again.shards.length).toBe(m.shards.length);
    expect(again.counts).toEqual(m.counts);
    // A re-run with another batch size still adds nothing (ranges are subtracted, not matched).
    const third = await collect({ sources: [view.dir], out, batchRows: 50 });
    expect(third.counts).toEqual(m.counts);
  });

  it('reads the older batches[] job spec and marks absent sets missing where the manifest counts no failures', async () => {
    const view = await fixture('batches', {
      jobSpec: 'batches',
      failedTargets: [],
      claimFailed: { [INCIDENCE]: 0, [HOSPITAL]: 0 },
    });
    const out = path.join(root, 'batches-store');
    const m = await collect({ sources: [view.dir], out });
    expect(m.counts).toEqual({ rows: 400, ok: 360, failed: 0, missing: 40 });
  });

  it('warns when manifest.json counts disagree, and without a job spec says how to list failures', async () => {
    const view = await fixture('mismatch', { jobSpec: null, claimFailed: { [INCIDENCE]: 7 } });
    const out = path.join(root, 'mismatch-store');
    const m = await collect({ sources: [view.dir], out });
    expect(m.counts).toEqual({ rows: 360, ok: 360, failed: 0, missing: 0 });
    const codes = Object.fromEntries(m.warnings.map((w) => [w.code, w]));
    expect(codes.failures_not_listed?.count).toBe(3);
    expect(codes.failures_not_listed?.examples.join('\n')).toContain(`${PREVALENCE}: 200 failures`);
    // With the spec passed explicitly, the counts are checked against the manifest's failures.
    const spec = await fixture('mismatch-spec', { claimFailed: { [INCIDENCE]: 7 } });
    const m2 = await collect({
      sources: [spec.dir],
      out: path.join(root, 'mismatch-spec-store'),
      jobSpec: path.join(spec.dir, 'JOB.json'),
    });
    expect(m2.warnings.find((w) => w.code === 'count_mismatch')?.examples.join('\n')).toContain(
      'counts 7 failures',
    );
  });

  it('stops with exit code 1 naming file, row and fix on a non-finite loss; --on-error skip counts it', async () => {
    const view = await fixture('bad', { jobSpec: null, failedTargets: [] });
    const file = path.join(view.dir, 'targets', INCIDENCE, 'data.parquet');
    await db.conn.run(`COPY (SELECT * REPLACE (CASE WHEN param_population = 10005 THEN 'NaN'::DOUBLE ELSE loss END AS loss)
      FROM read_parquet('${file}')) TO '${file}.new' (FORMAT parquet)`);
    const { rename } = await import('node:fs/promises');
    await rename(`${file}.new`, file);
    const out = path.join(root, 'bad-store');
    const r = await runCli(['collect', view.dir, '--out', out, '--progress', 'none']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`targets/${INCIDENCE}/data.parquet`);
    expect(r.stderr).toMatch(/row 5 \(counting from 0\): non-finite loss nan on an ok row/);
    expect(r.stderr).toContain('--on-error skip');
    const ok = await runCli(['collect', view.dir, '--out', out, '--progress', 'none', '--on-error', 'skip']);
    expect(ok.code).toBe(0);
    const m = await readManifest(out);
    expect(m.counts.ok).toBe(359);
    expect(m.warnings.find((w) => w.code === 'bad_records_skipped')).toMatchObject({ count: 1 });
    const info = await runCli(['info', out, '--json']);
    const parsed = JSON.parse(info.stdout) as {
      targets: { id: string; ok: number; best_loss: number; best_param_id: string }[];
    };
    const inc = parsed.targets.find((t) => t.id === 'incidence_mean_signal_target')!;
    expect(inc.ok).toBe(179);
    expect(inc.best_loss).toBe(5);
    expect(inc.best_param_id).toMatch(/^[0-9a-f]{64}$/);
  });
});
