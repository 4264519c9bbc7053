// NDJSON: files resume by byte range, stdin commits shards while the stream is still open, bad
// lines are named by line number, duplicates keep the first.
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readManifest, readManifestIfExists } from '../store/manifest-io.ts';
import { collect } from './collect.ts';
import { CLI, openTestDuck, REPO, runCli, storeRelation, tempDir } from './testing/helpers.ts';
import { ndjsonLines, ndjsonRecord } from './testing/ndjson-fixture.ts';

const TARGETS = ['targets.incidence:incidence_mean_signal_target', 'targets.hospital:hospitalization_loglik'];
let db: Awaited<ReturnType<typeof openTestDuck>>;
let root: string;

beforeAll(async () => {
  db = await openTestDuck();
  root = await tempDir('ndjson');
});
afterAll(() => db.close());

describe('ndjson source', () => {
  it('collects a file with failed rows, typed params, capped diagnostics; a re-run resumes after the committed bytes', async () => {
    const file = path.join(root, 'run.ndjson');
    await fs.writeFile(file, ndjsonLines(0, 40, TARGETS));
    const out = path.join(root, 'file-store');
    const m = await collect({ sources: [file], out, batchRows: 16 });
    expect(m.job_id).toBe('job-stream');
    expect(m.params).toEqual([
      { name: 'beta', type: 'DOUBLE' },
      { name: 'population', type: 'BIGINT' },
      { name: 'scenario', type: 'VARCHAR' },
      { name: 'seasonal', type: 'BOOLEAN' },
    ]);
    expect(m.counts).toEqual({ rows: 80, ok: 75, failed: 5, missing: 0 });
    const rel = await storeRelation(out);
    const [f] = await db.rows(
      `SELECT error_type, error_message, loss FROM ${rel} WHERE status = 'failed' LIMIT 1`,
    );
    expect(f).toMatchObject({ error_type: 'KeyError', loss: null });
    const [d] = await db.rows(
      `SELECT diagnostics_truncated AS t, strlen(diagnostics)::INT AS n FROM ${rel} WHERE param_id LIKE '00000001%' LIMIT 1`,
    );
    expect(d).toEqual({ t: true, n: 65536 });
    const [q] = await db.rows(
      `SELECT count(*)::INT AS n FROM ${rel} WHERE param_scenario = 'mask ''strict''' AND target = 'hospitalization_loglik' AND loss < 0`,
    );
    expect(q!.n).toBeGreaterThan(5);
    // Nothing new: same shards. Lines appended later (a job still running): only those are added.
    expect((await collect({ sources: [file], out, batchRows: 16 })).shards.length).toBe(m.shards.length);
    await fs.appendFile(file, ndjsonLines(40, 50, TARGETS));
    const m2 = await collect({ sources: [file], out, batchRows: 16 });
    expect(m2.counts.rows).toBe(100);
    expect(m2.warnings.find((w) => w.code === 'duplicate_rows')).toBeUndefined();
  });

  it('names the line of bad JSON and exits 1; --on-error skip counts bad lines, duplicates keep the first', async () => {
    const file = path.join(root, 'bad.ndjson');
    const dup = { ...ndjsonRecord(0, TARGETS[0]!), loss: 999 } as Record<string, unknown>;
    await fs.writeFile(
      file,
      `${ndjsonLines(0, 3, TARGETS)}{"param_id": oops\n${JSON.stringify({ ...ndjsonRecord(9, TARGETS[0]!), loss: null })}\n${JSON.stringify(dup)}\n`,
    );
    const out = path.join(root, 'bad-store');
    const r = await runCli(['collect', file, '--out', out, '--progress', 'none']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${file}, line 7: bad JSON`);
    expect(r.stderr).toContain('--on-error skip');
    const s = await runCli(['collect', file, '--out', out, '--progress', 'none', '--on-error', 'skip']);
    expect(s.code).toBe(0);
    const m = await readManifest(out);
    expect(m.counts.rows).toBe(6);
    const bad = m.warnings.find((w) => w.code === 'bad_records_skipped')!;
    expect(bad.count).toBe(2);
    expect(bad.examples[1]).toContain('line 8: non-finite loss null on an ok row');
    expect(m.warnings.find((w) => w.code === 'duplicate_rows')?.count).toBe(1);
    const [kept] = await db.rows(
      `SELECT loss FROM ${await storeRelation(out)} WHERE param_id = '${String(dup.param_id)}' AND target = 'incidence_mean_signal_target'`,
    );
    expect(kept!.loss).toBe(5);
  });

  it('commits shards from stdin while the stream is still open (--flush-seconds)', async () => {
    const out = path.join(root, 'stdin-store');
    const child = spawn(
      process.execPath,
      [CLI, 'collect', '-', '--out', out, '--flush-seconds', '0.3', '--progress', 'plain'],
      { cwd: REPO },
    );
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.stdin.write(ndjsonLines(0, 5, TARGETS));
    const deadline = Date.now() + 15_000;
    let listed = 0;
    while (Date.now() < deadline && listed === 0) {
      await new Promise((r) => setTimeout(r, 100));
      listed = (await readManifestIfExists(out))?.counts.rows ?? 0;
    }
    // The first 10 rows are visible to readers before the stream has ended.
    expect(listed).toBe(10);
    child.stdin.end(ndjsonLines(5, 8, TARGETS));
    expect(await closed).toBe(0);
    const m = await readManifest(out);
    expect(m.counts.rows).toBe(16);
    expect(m.status).toBe('complete');
    expect(stderr).toMatch(/collect -: 16 rows/);
    // Re-sending the whole stream adds nothing: its rows are already in the store.
    const again = await runCli(['collect', '-', '--out', out, '--progress', 'none'], {
      input: ndjsonLines(0, 8, TARGETS),
    });
    expect(again.code).toBe(0);
    expect((await readManifest(out)).counts.rows).toBe(16);
  });
});
