// The registry follows the manifest: shards in, shards out, and a listed shard that is not readable
// yet is retried until it is, without ever breaking the view.
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Manifest } from '../../shared/manifest.ts';
import { plainRows } from './arrow-rows.ts';
import type { SqlEngine } from './engine-types.ts';
import { LossQueries } from './queries.ts';
import { ShardRegistry } from './registry.ts';
import { writeTortureStore } from './testing/fixtures.ts';
import { createNodeEngine } from './testing/node-engine.ts';

let dir: string;
let manifest: Manifest;
let engine: SqlEngine;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'losslens-r-'));
  manifest = await writeTortureStore(dir);
  engine = await createNodeEngine();
});
afterAll(async () => {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

it('grows, shrinks and retries with the manifest', async () => {
  let changes = 0;
  const registry = new ShardRegistry(engine, {
    shardUrl: (_id, p) => join(dir, p),
    retryDelayMs: 20,
    onChange: () => changes++,
  });
  const q = new LossQueries(engine);
  const [s0, s1] = manifest.shards;
  if (!s0 || !s1) throw new Error('fixture has two shards');

  await registry.sync({ id: 'abc', manifest: { ...manifest, shards: [] } });
  expect(await q.count({})).toBe(0);

  await registry.sync({ id: 'abc', manifest: { ...manifest, shards: [s0] } });
  expect(await q.count({})).toBe(s0.rows);

  // Listed but not on disk yet: left out of the view, retried once it appears.
  const real = join(dir, s1.path);
  renameSync(real, `${real}.tmp`);
  await registry.sync({ id: 'abc', manifest });
  expect(await q.count({})).toBe(s0.rows);
  renameSync(`${real}.tmp`, real);
  await expect.poll(() => q.count({}), { timeout: 5000 }).toBe(s0.rows + s1.rows);
  expect(changes).toBeGreaterThanOrEqual(2);

  // Once idle the rows are served from memory; dropping a shard drops its rows there too.
  await registry.idle();
  expect(registry.mode).toBe('memory');
  await registry.sync({ id: 'abc', manifest: { ...manifest, shards: [s1] } });
  await registry.idle();
  expect(registry.mode).toBe('memory');
  expect(await q.count({})).toBe(s1.rows);

  // Past the memory budget the view goes back to the shards.
  const big = { ...manifest, counts: { ...manifest.counts, rows: 10_000_000 } };
  await registry.sync({ id: 'abc', manifest: big });
  await registry.idle();
  expect(registry.mode).toBe('shards');
  expect(await q.count({})).toBe(s0.rows + s1.rows);
  registry.close();
});

// Issue 8.1: a live store opened mid-run showed `660 of 456 rows`: manifest updates arriving
// while the first copy into memory was queued each queued the same shard again.
it('copies each shard into memory once, however many updates arrive while copying', async () => {
  const registry = new ShardRegistry(engine, { shardUrl: (_id, p) => join(dir, p) });
  const q = new LossQueries(engine);
  const [s0, s1] = manifest.shards;
  if (!s0 || !s1) throw new Error('fixture has two shards');
  registry.holdFill();
  await registry.sync({ id: 'dup', manifest: { ...manifest, shards: [s0] } });
  registry.releaseFill();
  // store-updated events while the fill is queued (the second one lists a new shard).
  void registry.sync({ id: 'dup', manifest: { ...manifest, shards: [s0] } });
  void registry.sync({ id: 'dup', manifest });
  void registry.sync({ id: 'dup', manifest });
  await registry.idle();
  expect(registry.mode).toBe('memory');
  expect(await q.count({})).toBe(s0.rows + s1.rows);
  const dupes = await engine.query(
    'SELECT count(*)::INTEGER AS n FROM (SELECT param_id, target FROM losses GROUP BY ALL HAVING count(*) > 1)',
  );
  expect(plainRows(dupes)[0]?.n).toBe(0);
  registry.close();
});

// Seen in CI (issue 12 notes): after a live store's compaction swap the table showed empty rows for
// a moment. The old shards' rows left the memory copy before the compacted shard was in the view.
it('swaps compacted shards in without the view ever losing a row', async () => {
  const engine = await createNodeEngine(); // its own: the other tests' memory copies are in theirs
  const [s0, s1] = manifest.shards;
  if (!s0 || !s1) throw new Error('fixture has two shards');
  const compacted = 'shards/part-compact-000000.parquet';
  await engine.query(
    `COPY (SELECT * FROM read_parquet(['${join(dir, s0.path)}', '${join(dir, s1.path)}'], union_by_name = true))
     TO '${join(dir, compacted)}' (FORMAT parquet)`,
  );
  const total = s0.rows + s1.rows;
  // The view's row count after every statement the registry runs.
  const seen: number[] = [];
  let probing = false;
  const probe = async () => {
    if (probing) return;
    probing = true;
    try {
      seen.push(Number(plainRows(await engine.query('SELECT count(*)::INTEGER AS n FROM losses'))[0]?.n));
    } catch {
      seen.push(-1); // the view read a file that was dropped under it
    } finally {
      probing = false;
    }
  };
  const watched: SqlEngine = {
    ...engine,
    bundle: engine.bundle,
    query: async (sql, o) => {
      const r = await engine.query(sql, o);
      await probe();
      return r;
    },
    dropFile: async (name) => {
      await engine.dropFile(name);
      await probe();
    },
  };
  const registry = new ShardRegistry(watched, { shardUrl: (_id, p) => join(dir, p) });
  await registry.sync({ id: 'swap', manifest });
  await registry.idle();
  expect(registry.mode).toBe('memory');
  seen.length = 0;
  const entry = { ...s0, path: compacted, writer: 'compact', seq: 0, rows: total };
  await registry.sync({ id: 'swap', manifest: { ...manifest, shards: [entry] } });
  await registry.idle();
  expect(seen.length).toBeGreaterThan(0);
  expect(seen.filter((n) => n !== total)).toEqual([]);
  expect(registry.mode).toBe('memory');
  registry.close();
  await engine.close();
  rmSync(join(dir, compacted));
});

// Issue 8.4: a listed shard deleted from disk froze the app (DuckDB-WASM's read of a 404 never
// settles). The registry asks first, shows the rest of the store and names the missing file.
it('names a missing shard, serves the readable ones, and recovers when it is restored', async () => {
  const problems: string[][] = [];
  const registry = new ShardRegistry(engine, {
    shardUrl: (_id, p) => join(dir, p),
    retryDelayMs: 20,
    probe: (url) => Promise.resolve(existsSync(url) ? { ok: true } : { ok: false, status: 404 }),
    onProblems: (list) => problems.push(list.map((p) => `${p.path}: ${p.reason}`)),
  });
  const q = new LossQueries(engine);
  const [s0, s1] = manifest.shards;
  if (!s0 || !s1) throw new Error('fixture has two shards');
  const real = join(dir, s1.path);
  renameSync(real, `${real}.gone`);
  try {
    await registry.sync({ id: 'miss', manifest });
    expect(await q.count({})).toBe(s0.rows);
    expect(registry.problems.map((p) => p.path)).toEqual([s1.path]);
    expect(problems.at(-1)?.[0]).toMatch(/missing.*404/);
  } finally {
    renameSync(`${real}.gone`, real);
  }
  await expect.poll(() => q.count({}), { timeout: 5000 }).toBe(s0.rows + s1.rows);
  expect(registry.problems).toEqual([]);
  expect(problems.at(-1)).toEqual([]);
  registry.close();
});

it('names a corrupt shard after a second failed read, and leaves it out', async () => {
  const problems: string[] = [];
  const registry = new ShardRegistry(engine, {
    shardUrl: (_id, p) => join(dir, p),
    retryDelayMs: 20,
    maxRetries: 2,
    onProblems: (list) => problems.push(...list.map((p) => `${p.path}: ${p.reason}`)),
  });
  const q = new LossQueries(engine);
  const [s0, s1] = manifest.shards;
  if (!s0 || !s1) throw new Error('fixture has two shards');
  const real = join(dir, s1.path);
  const bytes = readFileSync(real);
  writeFileSync(real, bytes.subarray(0, bytes.length >> 1)); // truncated: no footer
  try {
    await registry.sync({ id: 'bad', manifest });
    await expect.poll(() => registry.problems.length, { timeout: 5000 }).toBe(1);
    expect(problems.at(-1)).toMatch(new RegExp(`^${s1.path}: cannot be read`));
    expect(await q.count({})).toBe(s0.rows);
  } finally {
    writeFileSync(real, bytes);
    registry.close();
  }
});
