// The provenance source: result.json rows joined to parameter sets through the sims' task ids
// (never metadata.json's param_id), failed aggregations as rows, resume, and unjoinable inputs.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect } from './collect.ts';
import { openTestDuck, runCli, storeRelation, tempDir } from './testing/helpers.ts';
import {
  PROV_BUNDLE,
  PROV_TARGETS,
  provParamId,
  provTaskId,
  writeProvenanceFixture,
} from './testing/provenance-fixture.ts';

let db: Awaited<ReturnType<typeof openTestDuck>>;
let root: string;

beforeAll(async () => {
  db = await openTestDuck();
  root = await tempDir('provenance');
});
afterAll(() => db.close());

describe('provenance source', () => {
  it('joins aggregations to parameter sets by task id, keeps failures, resumes without duplicates', async () => {
    const src = path.join(root, 'prov');
    // Set 7's sims carry their task id in metadata.json instead of result.json (the fallback).
    await writeProvenanceFixture(src, { sets: 30, failedSet: 4, taskIdInMetadata: 7 });
    const out = path.join(root, 'prov-store');
    const m = await collect({ sources: [src], out, batchRows: 16, jobId: 'job-prov' });
    expect(m.job_id).toBe('job-prov');
    expect(m.targets.map((t) => t.id).sort()).toEqual([
      'hospitalization_loglik',
      'incidence_mean_signal_target',
    ]);
    expect(m.targets.find((t) => t.id === 'hospitalization_loglik')?.entrypoint).toBe(
      'targets_hospital:hospitalization_loglik',
    );
    expect(m.params).toEqual([
      { name: 'beta', type: 'DOUBLE' },
      { name: 'population', type: 'BIGINT' },
      { name: 'scenario', type: 'VARCHAR' },
    ]);
    expect(m.counts).toEqual({ rows: 60, ok: 59, failed: 1, missing: 0 });
    const rel = await storeRelation(out);
    const [f] = await db.rows(
      `SELECT param_id, error_type, error_message, loss FROM ${rel} WHERE status = 'failed'`,
    );
    expect(f).toEqual({
      param_id: provParamId(4),
      error_type: 'KeyError',
      error_message: "Required output 'incidence' missing",
      loss: null,
    });
    const [r] = await db.rows(
      `SELECT loss, n_replicates, seeds::VARCHAR AS seeds, param_scenario FROM ${rel}
       WHERE param_id = '${provParamId(3)}' AND target = 'hospitalization_loglik'`,
    );
    expect(r).toEqual({ loss: -53, n_replicates: 2, seeds: '[100, 101]', param_scenario: "mask 'strict'" });
    // Every row's param_id is a full sim param_id, never the misleading metadata prefix.
    const [n] = await db.rows(
      `SELECT count(DISTINCT param_id)::INT AS n, min(strlen(param_id))::INT AS len FROM ${rel}`,
    );
    expect(n).toEqual({ n: 30, len: 64 });

    // Re-run: nothing new. Then a running job adds sets: only those are added.
    const again = await collect({ sources: [src], out, batchRows: 16 });
    expect(again.shards.length).toBe(m.shards.length);
    expect(again.counts.rows).toBe(60);
    await writeProvenanceFixture(src, { sets: 40, from: 30 });
    const grown = await collect({ sources: [src], out, batchRows: 16 });
    expect(grown.counts.rows).toBe(80);
    expect(grown.warnings.find((w) => w.code === 'duplicate_rows')).toBeUndefined();
    const [d] = await db.rows(
      `SELECT count(*)::INT AS n, count(DISTINCT (param_id, target))::INT AS k FROM ${await storeRelation(out)}`,
    );
    expect(d).toEqual({ n: 80, k: 80 });
  });

  it('derives a job id when none is given and records it as a warning', async () => {
    const src = path.join(root, 'prov-noid');
    await writeProvenanceFixture(src, { sets: 3 });
    const m = await collect({ sources: [src], out: path.join(root, 'noid-store') });
    expect(m.job_id).toBe('provenance-3f9a0c21be77');
    expect(m.warnings.map((w) => w.code)).toContain('job_id_derived');
  });

  it('a failure recorded only in metadata.json is a failed row; an aggregation still running is not a row yet', async () => {
    const src = path.join(root, 'prov-meta');
    const fx = await writeProvenanceFixture(src, { sets: 4 });
    const failedDir = fx.aggDir(1, PROV_TARGETS[0]!);
    const result = JSON.parse(await fs.readFile(path.join(failedDir, 'result.json'), 'utf8'));
    await fs.rm(path.join(failedDir, 'result.json'));
    await fs.writeFile(
      path.join(failedDir, 'metadata.json'),
      JSON.stringify({ status: 'failed', error: 'MemoryError: population too large', inputs: result.inputs }),
    );
    const runningFile = path.join(fx.aggDir(2, PROV_TARGETS[0]!), 'result.json');
    const running = await fs.readFile(runningFile, 'utf8');
    await fs.rm(runningFile);
    const out = path.join(root, 'meta-store');
    const m = await collect({ sources: [src], out, jobId: 'j' });
    expect(m.counts).toEqual({ rows: 7, ok: 6, failed: 1, missing: 0 });
    const [f] = await db.rows(
      `SELECT param_id, error_type, error_message FROM ${await storeRelation(out)} WHERE status = 'failed'`,
    );
    expect(f).toEqual({
      param_id: provParamId(1),
      error_type: 'MemoryError',
      error_message: 'population too large',
    });
    // The running aggregation finishes: a re-run adds exactly its row.
    await fs.writeFile(runningFile, running);
    expect((await collect({ sources: [src], out })).counts).toEqual({
      rows: 8,
      ok: 7,
      failed: 1,
      missing: 0,
    });
  });

  it('names the result.json whose task id matches no sim; --on-error skip skips it with a warning', async () => {
    const src = path.join(root, 'prov-orphan');
    const fx = await writeProvenanceFixture(src, { sets: 5 });
    const orphan = path.join(fx.aggDir(2, PROV_TARGETS[0]!), 'result.json');
    const result = JSON.parse(await fs.readFile(orphan, 'utf8'));
    result.inputs = [{ type: 'sim', task_id: 'feedface' }];
    await fs.writeFile(orphan, JSON.stringify(result));
    const fail = await runCli([
      'collect',
      src,
      '--out',
      path.join(root, 'orphan-fail'),
      '--progress',
      'none',
    ]);
    expect(fail.code).toBe(1);
    expect(fail.stderr).toContain(orphan);
    expect(fail.stderr).toContain('task_id feedface matches no sim');
    const m = await collect({
      sources: [src],
      out: path.join(root, 'orphan-skip'),
      onError: 'skip',
      jobId: 'j',
    });
    expect(m.counts.rows).toBe(9);
    const w = m.warnings.find((x) => x.code === 'bad_records_skipped');
    expect(w?.count).toBe(1);
    expect(w?.examples[0]).toContain(orphan);
  });

  it('counts sims without a task id; a set whose task ids are only in metadata.json still joins', async () => {
    const src = path.join(root, 'prov-notask');
    await writeProvenanceFixture(src, { sets: 4, replicates: 3, taskIdInMetadata: 2 });
    // A sim with no task id anywhere (no result.json, none in metadata.json): no aggregation can name it.
    const orphan = path.join(
      src,
      'token/v1/sims',
      PROV_BUNDLE,
      'models.sir_baseline',
      'params_ffffffff',
      'seed_1',
    );
    await fs.mkdir(orphan, { recursive: true });
    await fs.writeFile(
      path.join(orphan, 'metadata.json'),
      JSON.stringify({ param_id: 'f'.repeat(64), params: { beta: 9 }, seed: 1 }),
    );
    const out = path.join(root, 'notask-store');
    const m = await collect({ sources: [src], out, jobId: 'j', batchRows: 3 });
    expect(m.counts).toEqual({ rows: 8, ok: 8, failed: 0, missing: 0 });
    expect(m.warnings.find((w) => w.code === 'sims_without_task_id')?.count).toBe(1);
    const rows = await db.rows(
      `SELECT target, seeds::VARCHAR AS seeds, n_replicates, param_population FROM ${await storeRelation(out)}
       WHERE param_id = '${provParamId(2)}' ORDER BY target`,
    );
    expect(rows).toEqual([
      {
        target: 'hospitalization_loglik',
        seeds: '[100, 101, 102]',
        n_replicates: 3,
        param_population: 1002n,
      },
      {
        target: 'incidence_mean_signal_target',
        seeds: '[100, 101, 102]',
        n_replicates: 3,
        param_population: 1002n,
      },
    ]);
  });

  it('rejects inputs from different parameter sets, keeps the first of duplicate aggregations', async () => {
    const src = path.join(root, 'prov-mixed');
    const fx = await writeProvenanceFixture(src, { sets: 5 });
    const target = PROV_TARGETS[0]!;
    const mixed = path.join(fx.aggDir(1, target), 'result.json');
    const result = JSON.parse(await fs.readFile(mixed, 'utf8'));
    result.inputs = [
      { type: 'sim', task_id: provTaskId(1, 0) },
      { type: 'sim', task_id: provTaskId(2, 1) },
    ];
    await fs.writeFile(mixed, JSON.stringify(result));
    // Set 3 aggregated twice (same bucket, read second): the first read is kept.
    const again = `${fx.aggDir(3, target)}z`;
    await fs.cp(fx.aggDir(3, target), again, { recursive: true });
    const copy = JSON.parse(await fs.readFile(path.join(again, 'result.json'), 'utf8'));
    await fs.writeFile(path.join(again, 'result.json'), JSON.stringify({ ...copy, loss: 999 }));
    // The same sim copied under another entrypoint directory: its task id is found twice.
    const sim = path.join(src, 'token/v1/sims', PROV_BUNDLE, 'models.sir_baseline');
    const pid8 = `params_${provParamId(4).slice(0, 8)}`;
    await fs.cp(path.join(sim, pid8, 'seed_100'), path.join(`${sim}_copy`, pid8, 'seed_100'), {
      recursive: true,
    });

    await expect(collect({ sources: [src], out: path.join(root, 'mixed-fail'), jobId: 'j' })).rejects.toThrow(
      `${mixed}: input sims belong to different parameter sets (${provParamId(1)}, ${provParamId(2)})`,
    );
    const out = path.join(root, 'mixed-skip');
    const m = await collect({ sources: [src], out, jobId: 'j', onError: 'skip' });
    expect(m.counts.rows).toBe(9);
    expect(m.warnings.find((w) => w.code === 'bad_records_skipped')?.count).toBe(1);
    const dup = m.warnings.find((w) => w.code === 'duplicate_rows');
    expect(dup?.count).toBe(1);
    expect(dup?.examples[0]).toContain(`${provParamId(3)} aggregated more than once; the first was kept`);
    const rel = await storeRelation(out);
    const [kept] = await db.rows(
      `SELECT loss FROM ${rel} WHERE param_id = '${provParamId(3)}' AND target = 'incidence_mean_signal_target'`,
    );
    expect(kept).toEqual({ loss: 8 });
    const [twice] = await db.rows(
      `SELECT count(*)::INT AS n, any_value(seeds::VARCHAR) AS seeds FROM ${rel} WHERE param_id = '${provParamId(4)}'`,
    );
    expect(twice).toEqual({ n: 2, seeds: '[100, 101]' });
  });

  it('joins task ids that are not lower-case hex digests by their text, and only by it', async () => {
    const src = path.join(root, 'prov-textids');
    // Set 0: upper-case hex; the others: free text. Neither may meet the other's form.
    const taskId = (i: number, r: number) => (i === 0 ? provTaskId(i, r).toUpperCase() : `task/${i}/${r}`);
    const fx = await writeProvenanceFixture(src, { sets: 3, taskId });
    const out = path.join(root, 'textids-store');
    const m = await collect({ sources: [src], out, jobId: 'j' });
    expect(m.counts.rows).toBe(6);
    const [r] = await db.rows(
      `SELECT seeds::VARCHAR AS seeds FROM ${await storeRelation(out)}
       WHERE param_id = '${provParamId(0)}' AND target = 'hospitalization_loglik'`,
    );
    expect(r).toEqual({ seeds: '[100, 101]' });
    // The lower-case form of set 0's ids names no sim.
    const lower = path.join(fx.aggDir(0, PROV_TARGETS[0]!), 'result.json');
    const result = JSON.parse(await fs.readFile(lower, 'utf8'));
    result.inputs = [{ type: 'sim', task_id: provTaskId(0, 1) }];
    await fs.writeFile(lower, JSON.stringify(result));
    await expect(
      collect({ sources: [src], out: path.join(root, 'textids-fail'), jobId: 'j' }),
    ).rejects.toThrow(`${lower}: input task_id ${provTaskId(0, 1)} matches no sim under token/v1/sims`);
  });

  it('types parameter values once all sims are read, whatever their names', async () => {
    const src = path.join(root, 'prov-params');
    await writeProvenanceFixture(src, {
      sets: 4,
      params: (i) => ({
        'a/b': i,
        'x~y': i % 2 ? 'odd' : 1.5,
        'q"u': i === 0,
        n: i % 2 ? 0.5 : null,
      }),
    });
    const out = path.join(root, 'params-store');
    const m = await collect({ sources: [src], out, jobId: 'j' });
    const types = Object.fromEntries(m.params.map((p) => [p.name, p.type]));
    expect(types).toEqual({ 'a/b': 'BIGINT', 'x~y': 'VARCHAR', 'q"u': 'BOOLEAN', n: 'DOUBLE' });
    const rows = await db.rows(
      `SELECT "param_a/b" AS ab, "param_x~y" AS xy, "param_q""u" AS qu, param_n AS n FROM ${await storeRelation(out)}
       WHERE target = 'hospitalization_loglik' ORDER BY ab`,
    );
    expect(rows).toEqual([
      { ab: 0n, xy: '1.5', qu: true, n: null },
      { ab: 1n, xy: 'odd', qu: false, n: 0.5 },
      { ab: 2n, xy: '1.5', qu: false, n: null },
      { ab: 3n, xy: 'odd', qu: false, n: 0.5 },
    ]);
  });

  it('partitions split the buckets between writers without losing or repeating a row', async () => {
    const src = path.join(root, 'prov-parts');
    await writeProvenanceFixture(src, { sets: 40 });
    const out = path.join(root, 'parts-store');
    await collect({ sources: [src], out, jobId: 'j', partition: '1/2', batchRows: 8 });
    const m = await collect({ sources: [src], out, jobId: 'j', partition: '2/2', batchRows: 8 });
    expect(m.counts.rows).toBe(80);
    expect(new Set(m.shards.map((s) => s.writer))).toEqual(new Set(['p1of2', 'p2of2']));
    const [d] = await db.rows(
      `SELECT count(DISTINCT (param_id, target))::INT AS k FROM ${await storeRelation(out)}`,
    );
    expect(d).toEqual({ k: 80 });
  });
});
