// Spool folders (losslens_dask's worker-side collection) through the real CLI: --follow picks up
// grown, new and rolled files while the job runs, takes only complete lines, ends on _DONE, and a
// follower killed mid-job resumes without writing a pair twice.
import { type ChildProcess, spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readManifest, readManifestIfExists } from '../store/manifest-io.ts';
import { CLI, openTestDuck, REPO, runCli, storeRelation, tempDir } from './testing/helpers.ts';
import { ndjsonLines, ndjsonRecord } from './testing/ndjson-fixture.ts';

const TARGETS = ['targets.incidence:incidence_mean_signal_target', 'targets.hospital:hospitalization_loglik'];
let db: Awaited<ReturnType<typeof openTestDuck>>;
let root: string;

beforeAll(async () => {
  db = await openTestDuck();
  root = await tempDir('spool');
});
afterAll(() => db.close());

function follow(spool: string, out: string): { child: ChildProcess; closed: Promise<number | null> } {
  const child = spawn(
    process.execPath,
    [CLI, 'collect', spool, '--follow', '--out', out, '--flush-seconds', '0.2', '--progress', 'none'],
    { cwd: REPO, stdio: 'ignore' },
  );
  return { child, closed: new Promise((resolve) => child.on('close', resolve)) };
}

async function rowsReach(out: string, n: number, ms = 20_000): Promise<number> {
  const deadline = Date.now() + ms;
  let rows = 0;
  while (Date.now() < deadline) {
    rows = (await readManifestIfExists(out))?.counts.rows ?? 0;
    if (rows >= n) return rows;
    await new Promise((r) => setTimeout(r, 100));
  }
  return rows;
}

async function newSpool(name: string): Promise<string> {
  const spool = path.join(root, name);
  await fs.mkdir(spool);
  await fs.writeFile(
    path.join(spool, '_SPOOL'),
    '{"format":"losslens-spool","version":1,"job_id":"job-spool"}\n',
  );
  return spool;
}

describe('spool source', () => {
  it('follows grown, new and rolled files, only complete lines, until _DONE', async () => {
    const spool = await newSpool('follow');
    const out = path.join(root, 'follow-store');
    const a = path.join(spool, 'w1-000000.ndjson');
    const first = ndjsonLines(0, 10, TARGETS);
    // The last record is half-written: it must not be read until its newline arrives.
    await fs.writeFile(a, first.slice(0, first.length - 40));
    const f = follow(spool, out);
    expect(await rowsReach(out, 19)).toBe(19);
    await fs.appendFile(a, first.slice(first.length - 40));
    await fs.writeFile(path.join(spool, 'w1-000001.ndjson'), ndjsonLines(10, 15, TARGETS)); // rolled
    await fs.writeFile(path.join(spool, 'w2-000000.ndjson'), ndjsonLines(15, 20, TARGETS)); // new worker
    expect(await rowsReach(out, 40)).toBe(40);
    // A re-run task's record in another worker's file, and a torn line from a killed worker.
    await fs.appendFile(
      path.join(spool, 'w2-000000.ndjson'),
      `${JSON.stringify({ ...ndjsonRecord(3, TARGETS[0]!), loss: 999 })}\n{"param_id":"00ff`,
    );
    await new Promise((r) => setTimeout(r, 600));
    expect(f.child.exitCode).toBeNull();
    await fs.writeFile(path.join(spool, '_DONE'), '{}\n');
    expect(await f.closed).toBe(0);
    const m = await readManifest(out);
    expect(m).toMatchObject({ job_id: 'job-spool', status: 'complete', source: { kind: 'spool' } });
    const rel = await storeRelation(out);
    const [c] = await db.rows(
      `SELECT count(*)::INT AS n, count(DISTINCT (param_id, target))::INT AS pairs,
         (count(*) FILTER (WHERE status = 'failed'))::INT AS failed FROM ${rel}`,
    );
    const expected = Array.from({ length: 20 }, (_, i) => TARGETS.map((t) => ndjsonRecord(i, t))).flat();
    expect(c).toEqual({ n: 40, pairs: 40, failed: expected.filter((r) => 'error' in r).length });
    expect(m.counts.rows).toBe(40);
    const [kept] = await db.rows(
      `SELECT loss FROM ${rel} WHERE param_id = '${String(ndjsonRecord(3, TARGETS[0]!).param_id)}' AND target = 'incidence_mean_signal_target'`,
    );
    expect(kept!.loss).toBe(ndjsonRecord(3, TARGETS[0]!).loss);
    const warn = Object.fromEntries(m.warnings.map((w) => [w.code, w.count]));
    expect(warn).toEqual({ duplicate_rows: 1, spool_torn_lines: 1 });
    expect(m.warnings.find((w) => w.code === 'spool_torn_lines')!.examples[0]).toContain(
      'w2-000000.ndjson, line 12',
    );
    // Run again over the finished folder: everything is committed, nothing changes.
    const again = await runCli(['collect', spool, '--follow', '--out', out, '--progress', 'none']);
    expect(again.code).toBe(0);
    const m2 = await readManifest(out);
    expect(m2.counts).toEqual(m.counts);
    expect(m2.warnings).toEqual(m.warnings);
  });

  it('a follower killed mid-job resumes after the committed bytes of each file', async () => {
    const spool = await newSpool('resume');
    const out = path.join(root, 'resume-store');
    await fs.writeFile(path.join(spool, 'w1-000000.ndjson'), ndjsonLines(0, 30, TARGETS));
    const f = follow(spool, out);
    expect(await rowsReach(out, 60)).toBe(60);
    f.child.kill('SIGKILL');
    await f.closed;
    await fs.appendFile(path.join(spool, 'w1-000000.ndjson'), ndjsonLines(30, 40, TARGETS));
    await fs.writeFile(path.join(spool, 'w2-000000.ndjson'), ndjsonLines(40, 50, TARGETS));
    await fs.writeFile(path.join(spool, '_DONE'), '');
    const r = await runCli(['collect', spool, '--follow', '--out', out, '--progress', 'none']);
    expect(r.code, r.stderr).toBe(0);
    const m = await readManifest(out);
    expect(m.counts.rows).toBe(100);
    expect(m.warnings).toEqual([]);
    const [c] = await db.rows(
      `SELECT count(DISTINCT (param_id, target))::INT AS pairs FROM ${await storeRelation(out)}`,
    );
    expect(c!.pairs).toBe(100);
  });

  it('without --follow reads a spool folder once; --follow refuses a file; pre-cut diagnostics stay text', async () => {
    const spool = await newSpool('once');
    const out = path.join(root, 'once-store');
    const cut = `{"per_replicate":["${'é'.repeat(40)}`;
    const rec = { ...ndjsonRecord(0, TARGETS[0]!), diagnostics: cut, diagnostics_truncated: true };
    await fs.writeFile(path.join(spool, 'w1-000000.ndjson'), `${JSON.stringify(rec)}\n{"param_id":"x`);
    const r = await runCli(['collect', spool, '--out', out, '--progress', 'none']);
    expect(r.code, r.stderr).toBe(0);
    const m = await readManifest(out);
    // The unterminated tail is a record still being written: left for a later run, not warned.
    expect(m.counts.rows).toBe(1);
    expect(m.warnings).toEqual([]);
    const [d] = await db.rows(
      `SELECT diagnostics, diagnostics_truncated AS t FROM ${await storeRelation(out)}`,
    );
    expect(d).toEqual({ diagnostics: cut, t: true });
    const bad = await runCli([
      'collect',
      path.join(spool, 'w1-000000.ndjson'),
      '--follow',
      '--out',
      path.join(root, 'x'),
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--follow tails a spool folder, not a file');
  });
});
