// A partitioned store is complete only when all N partitions finished (writers in separate
// processes); `info` says which are missing. A run that fails never leaves the store `collecting`.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseManifest } from '../../shared/manifest.ts';
import { manifestPath, readManifest } from '../store/manifest-io.ts';
import { StoreWriter } from './store-writer.ts';
import { FIXTURE_TARGETS, type ViewsFixture, writeViewsFixture } from './testing/fixtures.ts';
import { openTestDuck, runCli, tempDir } from './testing/helpers.ts';

let db: Awaited<ReturnType<typeof openTestDuck>>;
let root: string;
let view: ViewsFixture;
const ARGS = ['--batch-rows', '60', '--progress', 'none'];

beforeAll(async () => {
  db = await openTestDuck();
  root = await tempDir('partitions');
  view = await writeViewsFixture(db.conn, {
    dir: path.join(root, 'job'),
    params: 240,
    targets: FIXTURE_TARGETS.slice(0, 2),
    jobSpec: 'tasks',
  });
});
afterAll(() => db.close());

describe('partitions', () => {
  it('3 of 4 partitions done (separate processes): not complete, info names the missing one; the 4th completes it', async () => {
    const out = path.join(root, 'store');
    const runs = await Promise.all(
      [1, 2, 4].map((k) => runCli(['collect', view.dir, '--out', out, '--partition', `${k}/4`, ...ARGS])),
    );
    expect(runs.map((r) => r.code)).toEqual([0, 0, 0]);
    const m = await readManifest(out);
    expect(m.partitions).toEqual({ count: 4, done: [1, 2, 4] });
    expect(m.status).not.toBe('complete');
    const info = await runCli(['info', out]);
    expect(info.stdout).toContain('partitions: 3 of 4 done (missing: 3/4)');
    expect(info.stdout).not.toMatch(/\(complete;/);

    const last = await runCli(['collect', view.dir, '--out', out, '--partition', '3/4', ...ARGS]);
    expect(last.code).toBe(0);
    const done = await readManifest(out);
    expect(done.status).toBe('complete');
    expect(done.partitions).toEqual({ count: 4, done: [1, 2, 3, 4] });
    const [n] = await db.rows(
      `SELECT count(*)::INT AS n FROM read_parquet('${view.dir}/targets/*/data.parquet')`,
    );
    expect(done.counts.rows).toBe(n!.n);
    expect((await runCli(['info', out])).stdout).toContain('partitions: 4 of 4 done\n');
  }, 180_000); // eight child processes on a shared 2-core machine

  it('refuses a different N for the same store, naming the N it was collected with', async () => {
    const out = path.join(root, 'store-n');
    expect((await runCli(['collect', view.dir, '--out', out, '--partition', '1/4', ...ARGS])).code).toBe(0);
    const r = await runCli(['collect', view.dir, '--out', out, '--partition', '1/3', ...ARGS]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('collected in 4 partitions');
  });

  it('reads a manifest written before partitions were recorded, inferring them from the writers', async () => {
    const out = path.join(root, 'store-old');
    expect((await runCli(['collect', view.dir, '--out', out, '--partition', '2/3', ...ARGS])).code).toBe(0);
    const raw = JSON.parse(await fs.readFile(manifestPath(out), 'utf8')) as Record<string, unknown>;
    delete raw.partitions;
    raw.status = 'complete'; // what older collectors wrote here
    await fs.writeFile(manifestPath(out), JSON.stringify(raw));
    expect(parseManifest(JSON.stringify(raw)).partitions ?? null).toBeNull();
    const info = await runCli(['info', out]);
    expect(info.stdout).toContain('partitions: 1 of 3 done (missing: 1/3, 3/3)');
    expect(info.stdout).toMatch(/\(collecting;/);
  });
});

describe('a failed run never leaves the store collecting', () => {
  it('an error while opening the writer (after the store listed it) marks it failed with why', async () => {
    const out = path.join(root, 'open-fails');
    // `id` as a parameter collides with the store's own param_id column in DuckDB.
    const err = await StoreWriter.open({
      storeDir: out,
      writerId: 'main',
      jobId: 'j',
      source: { kind: 'ndjson', path: 'x' },
      params: [{ name: 'id', type: 'DOUBLE' }],
      targets: [],
    }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    const m = await readManifest(out);
    expect(m.status).toBe('failed');
    expect(m.writers.main?.status).toBe('failed');
    expect(m.writers.main?.error).toBe((err as Error).message);
  });
});
