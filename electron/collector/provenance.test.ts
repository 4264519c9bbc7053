// The provenance source: result.json rows joined to parameter sets through the sims' task ids
// (never metadata.json's param_id), failed aggregations as rows, resume, and unjoinable inputs.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect } from './collect.ts';
import { openTestDuck, runCli, storeRelation, tempDir } from './testing/helpers.ts';
import { PROV_TARGETS, provParamId, writeProvenanceFixture } from './testing/provenance-fixture.ts';

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
});
