// Opening a raw job folder through the Api: the real collector runs as a child process into a
// store in the data folder, progress arrives as events, the store equals what native DuckDB
// computes from the job's own parquet, Cancel keeps what is committed, and recents survive.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CollectJob } from '../../shared/collect-job.ts';
import type { ApiEvent } from '../../shared/events.ts';
import { str } from '../../shared/sql.ts';
import { writeViewsFixture } from '../collector/testing/fixtures.ts';
import { openTestDuck, storeRelation, tempDir } from '../collector/testing/helpers.ts';
import { createHost } from './host.ts';

let root: string;
let view: string;
const duck = await openTestDuck();

beforeAll(async () => {
  root = await tempDir('open');
  view = path.join(root, 'job-view');
  await writeViewsFixture(duck.conn, { dir: view, params: 3000, dropEvery: 7 });
});
afterAll(async () => {
  duck.close();
  await fs.rm(root, { recursive: true, force: true });
});

it('opens a job view by collecting it, with progress, into the data folder; reopening reuses it', async () => {
  const dataDir = path.join(root, 'data-a');
  const host = createHost({ transport: 'http', crossOriginIsolation: false, dataDir, pollMs: 50 });
  const progress: CollectJob[] = [];
  host.subscribe((e: ApiEvent) => e.type === 'collect-progress' && progress.push(e.job));
  try {
    const store = await host.api.openStore({ path: view });
    expect(store.path.startsWith(path.join(dataDir, 'collected'))).toBe(true);
    await expect.poll(() => progress.at(-1)?.state, { timeout: 60_000 }).toBe('done');
    const [ref] = await duck.rows(
      `SELECT count(*)::INT AS n FROM read_parquet(${str(path.join(view, 'targets', '*', 'data.parquet'))})`,
    );
    const [got] = await duck.rows(`SELECT count(*)::INT AS n FROM ${await storeRelation(store.path)}`);
    expect(got?.n).toBe(ref?.n);
    expect(progress[0]?.state).toBe('running');
    expect(progress.at(-1)?.rows).toBeGreaterThan(0);
    const again = await host.api.openStore({ path: view });
    expect(again.path).toBe(store.path);
    const recents = await host.api.recentJobs({});
    expect(recents.map((r) => r.path)).toEqual([await fs.realpath(view)]);
  } finally {
    await host.close();
  }
  // A new host on the same data folder (an app restart) still lists it.
  const next = createHost({ transport: 'http', crossOriginIsolation: false, dataDir, watch: false });
  expect((await next.api.recentJobs({})).map((r) => r.name)).toEqual(['job-view']);
  await next.close();
});

it('names a folder it cannot open, and what it can open', async () => {
  const odd = path.join(root, 'photos');
  await fs.mkdir(odd, { recursive: true });
  await fs.writeFile(path.join(odd, 'cat.jpg'), 'not a job');
  const host = createHost({
    transport: 'http',
    crossOriginIsolation: false,
    dataDir: path.join(root, 'd-b'),
  });
  try {
    await expect(host.api.openStore({ path: odd })).rejects.toThrow(
      /photos: Losslens cannot open this folder: it is not a loss store \(no store.json\).*job view/,
    );
    await expect(host.api.openStore({ path: path.join(root, 'nope') })).rejects.toThrow(
      /no such file or folder/,
    );
  } finally {
    await host.close();
  }
});

it('a failing collect shows the collector error as is, naming file and line', async () => {
  const dataDir = path.join(root, 'data-c');
  const host = createHost({ transport: 'http', crossOriginIsolation: false, dataDir, pollMs: 50 });
  const states: CollectJob[] = [];
  host.subscribe((e) => e.type === 'collect-progress' && states.push(e.job));
  try {
    // An NDJSON folder whose second file has a bad line: the run fails with file and line.
    const nd = path.join(root, 'nd');
    await fs.mkdir(nd, { recursive: true });
    const rec = (i: number) =>
      JSON.stringify({ job_id: 'j', param_id: `p${i}`, target: 't:a', params: { x: i }, loss: i });
    await fs.writeFile(path.join(nd, 'a.ndjson'), `${[1, 2, 3].map(rec).join('\n')}\n`);
    await fs.writeFile(path.join(nd, 'b.ndjson'), `${rec(4)}\n{"oops"\n`);
    const opened = await host.api.openStore({ path: nd }).then(
      () => 'opened',
      (e: Error) => e.message,
    );
    if (opened !== 'opened') expect(opened).toMatch(/b\.ndjson.*line 2/);
    await expect.poll(() => states.at(-1)?.state, { timeout: 60_000 }).toBe('failed');
    expect(states.at(-1)?.message).toMatch(/b\.ndjson.*line 2/);

    const job = states.at(-1);
    expect(await host.api.cancelCollect({ jobId: job!.id })).toEqual({ cancelled: false });
    expect((await host.api.listCollects({})).map((j) => j.state)).toContain('failed');
  } finally {
    await host.close();
  }
});

it('cancel stops the collector before its next shard and keeps the committed rows', async () => {
  const big = path.join(root, 'big-view');
  await writeViewsFixture(duck.conn, { dir: big, params: 400_000, rowGroupSize: 20_000 });
  const dataDir = path.join(root, 'data-d');
  const host = createHost({ transport: 'http', crossOriginIsolation: false, dataDir, pollMs: 50 });
  const states: CollectJob[] = [];
  host.subscribe((e) => e.type === 'collect-progress' && states.push(e.job));
  try {
    const store = await host.api.openStore({ path: big });
    await expect.poll(() => states.at(-1)?.shards ?? 0, { timeout: 60_000 }).toBeGreaterThan(0);
    const job = states.at(-1)!;
    expect(await host.api.cancelCollect({ jobId: job.id })).toEqual({ cancelled: true });
    await expect.poll(() => states.at(-1)?.state, { timeout: 60_000 }).toBe('cancelled');
    expect(states.at(-1)?.message).toMatch(/kept/);
    const [got] = await duck.rows(`SELECT count(*)::INT AS n FROM ${await storeRelation(store.path)}`);
    expect(got?.n).toBeGreaterThan(0);
    expect(got?.n).toBeLessThan(400_000 * 2);
  } finally {
    await host.close();
  }
});

it('a store written by a newer Losslens says to update, naming its store.json', async () => {
  const store = path.join(root, 'future-store');
  await fs.mkdir(store, { recursive: true });
  await fs.writeFile(
    path.join(store, 'store.json'),
    JSON.stringify({ format: 'losslens-store', version: 9 }),
  );
  const host = createHost({
    transport: 'http',
    crossOriginIsolation: false,
    dataDir: path.join(root, 'd-e'),
  });
  try {
    await expect(host.api.openStore({ path: store })).rejects.toThrow(
      /future-store\/store\.json was written by a newer Losslens \(store format 9; this version reads format 1\): update Losslens/,
    );
  } finally {
    await host.close();
  }
});
