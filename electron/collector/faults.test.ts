// Real child processes: 4 partitioned writers filling one store at once, and collectors killed
// with SIGKILL at several points then re-run. Both must end with exactly the rows of one
// uninterrupted run, checked by DuckDB over the shards each store.json lists.
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readManifest, readManifestIfExists } from '../store/manifest-io.ts';
import { FIXTURE_TARGETS, type ViewsFixture, writeViewsFixture } from './testing/fixtures.ts';
import { CLI, openTestDuck, REPO, runCli, storeRelation, tempDir } from './testing/helpers.ts';
import { ndjsonLines } from './testing/ndjson-fixture.ts';

let db: Awaited<ReturnType<typeof openTestDuck>>;
let root: string;
let view: ViewsFixture;
let reference: string;
const BATCH = ['--batch-rows', '60', '--progress', 'none'];

beforeAll(async () => {
  db = await openTestDuck();
  root = await tempDir('faults');
  view = await writeViewsFixture(db.conn, {
    dir: path.join(root, 'job'),
    params: 800,
    targets: FIXTURE_TARGETS.slice(0, 2),
    failedTargets: [FIXTURE_TARGETS[2]],
    dropEvery: 13,
    duplicateRows: 5,
    jobSpec: 'tasks',
  });
  reference = path.join(root, 'reference');
  expect((await runCli(['collect', view.dir, '--out', reference, ...BATCH])).code).toBe(0);
});
afterAll(() => db.close());

/** Rows in `store` and not in `ref` plus the reverse (collected_at differs by run, so excluded). */
async function difference(
  store: string,
  ref: string,
): Promise<{ extra: number; lost: number; dups: number }> {
  const a = `(SELECT * EXCLUDE (collected_at) FROM ${await storeRelation(store)})`;
  const b = `(SELECT * EXCLUDE (collected_at) FROM ${await storeRelation(ref)})`;
  const [r] = await db.rows(`SELECT
    (SELECT count(*) FROM (SELECT * FROM ${a} EXCEPT ALL SELECT * FROM ${b}))::INT AS extra,
    (SELECT count(*) FROM (SELECT * FROM ${b} EXCEPT ALL SELECT * FROM ${a}))::INT AS lost,
    (SELECT count(*) - count(DISTINCT (param_id, target)) FROM ${a})::INT AS dups`);
  return r as { extra: number; lost: number; dups: number };
}

/** Start a collector and SIGKILL it once store.json lists at least `shards` shards. */
async function killAfter(args: string[], store: string, shards: number): Promise<NodeJS.Signals | null> {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: REPO, stdio: 'ignore' });
  const closed = new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_c, s) => resolve(s)));
  let done = false;
  void closed.then(() => {
    done = true;
  });
  while (!done) {
    const m = await readManifestIfExists(store).catch(() => null);
    if ((m?.shards.length ?? 0) >= shards) {
      child.kill('SIGKILL');
      break;
    }
    await new Promise((r) => setTimeout(r, 15));
  }
  return closed;
}

/** Start a collector, send it SIGINT (Ctrl+C) once store.json lists `shards` shards; its exit. */
async function interruptAfter(args: string[], store: string, shards: number) {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  let done = false;
  const closed = new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.on('close', (code) => {
      done = true;
      resolve({ code, stderr });
    }),
  );
  while (!done) {
    if (((await readManifestIfExists(store).catch(() => null))?.shards.length ?? 0) >= shards) {
      child.kill('SIGINT');
      break;
    }
    await new Promise((r) => setTimeout(r, 15));
  }
  return closed;
}

describe('concurrency and faults', () => {
  it('4 partitioned writers (child processes) fill one store with exactly the rows of one writer', async () => {
    const out = path.join(root, 'parallel');
    const runs = [1, 2, 3, 4].map((k) =>
      runCli(['collect', view.dir, '--out', out, '--partition', `${k}/4`, ...BATCH]),
    );
    const results = await Promise.all(runs);
    expect(results.map((r) => r.code)).toEqual([0, 0, 0, 0]);
    const m = await readManifest(out);
    expect(Object.keys(m.writers).sort()).toEqual(['p1of4', 'p2of4', 'p3of4', 'p4of4']);
    expect(m.status).toBe('complete');
    expect(m.counts).toEqual((await readManifest(reference)).counts);
    expect(await difference(out, reference)).toEqual({ extra: 0, lost: 0, dups: 0 });
    expect(m.warnings.find((w) => w.code === 'duplicate_rows')?.count).toBe(5);
    const info = JSON.parse((await runCli(['info', out, '--json'])).stdout) as { counts: unknown };
    expect(info.counts).toEqual(m.counts);
  });

  it('kill -9 after k shards, then re-run: exactly the rows of an uninterrupted run', async () => {
    for (const k of [1, 6, 17]) {
      const out = path.join(root, `killed-${k}`);
      const signal = await killAfter(['collect', view.dir, '--out', out, ...BATCH], out, k);
      expect(signal).toBe('SIGKILL');
      const before = (await readManifest(out)).shards.length;
      expect(before).toBeGreaterThanOrEqual(k);
      const rerun = await runCli(['collect', view.dir, '--out', out, ...BATCH]);
      expect(rerun.code).toBe(0);
      expect(await difference(out, reference)).toEqual({ extra: 0, lost: 0, dups: 0 });
      const m = await readManifest(out);
      expect(m.counts).toEqual((await readManifest(reference)).counts);
      // Warnings are committed with their shard: never counted twice by the re-run.
      expect(m.warnings).toEqual((await readManifest(reference)).warnings);
    }
  });

  it('Ctrl+C stops before the next shard: exit 130, writer marked failed with why, no lock left; re-run completes', async () => {
    const out = path.join(root, 'interrupted');
    const r = await interruptAfter(['collect', view.dir, '--out', out, ...BATCH], out, 3);
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('interrupted by SIGINT');
    expect(r.stderr).toContain('re-run the same command to resume');
    const m = await readManifest(out);
    expect(m.status).toBe('failed');
    expect(m.writers.main?.error).toMatch(/^interrupted by SIGINT/);
    expect(m.shards.length).toBeGreaterThanOrEqual(3);
    expect(m.shards.length).toBeLessThan((await readManifest(reference)).shards.length);
    await expect(fs.stat(path.join(out, 'store.json.lock'))).rejects.toThrow();
    const rerun = await runCli(['collect', view.dir, '--out', out, ...BATCH]);
    expect(rerun.code).toBe(0);
    expect((await readManifest(out)).status).toBe('complete');
    expect(await difference(out, reference)).toEqual({ extra: 0, lost: 0, dups: 0 });
  });

  it('kill -9 mid NDJSON file, then re-run: resumes after the committed byte range', async () => {
    const file = path.join(root, 'stream.ndjson');
    await fs.writeFile(file, ndjsonLines(0, 400, ['targets.a:alpha', 'targets.b:beta']));
    const args = (out: string) => ['collect', file, '--out', out, '--batch-rows', '25', '--progress', 'none'];
    const ref = path.join(root, 'nd-ref');
    expect((await runCli(args(ref))).code).toBe(0);
    const out = path.join(root, 'nd-killed');
    expect(await killAfter(args(out), out, 9)).toBe('SIGKILL');
    expect((await runCli(args(out))).code).toBe(0);
    expect(await difference(out, ref)).toEqual({ extra: 0, lost: 0, dups: 0 });
    expect((await readManifest(out)).warnings).toEqual([]);
  });
});
