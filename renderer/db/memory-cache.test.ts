// The memory copy stores the job id, target, entrypoint and status as dictionary codes
// (memory-codes.ts): the view over it must show exactly the shards' rows, and a shard bringing
// values not seen before (a new target in a live store) must re-code the table without losing or
// changing the rows already copied.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Manifest } from '../../shared/manifest.ts';
import { ident, str } from '../../shared/sql.ts';
import { plainRows } from './arrow-rows.ts';
import type { SqlEngine } from './engine-types.ts';
import { MemoryCache } from './memory-cache.ts';
import { TORTURE_TARGETS, writeTortureStore } from './testing/fixtures.ts';
import { createNodeEngine } from './testing/node-engine.ts';

let dir: string;
let manifest: Manifest;
let engine: SqlEngine;
const files: string[] = [];
const ORDER = 'ORDER BY target, param_id';
const COLS = 'job_id, param_id, target, target_entrypoint, status, loss, error_type, error_message';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'losslens-m-'));
  manifest = await writeTortureStore(dir, 120);
  // One file per target, so the second brings a target (and entrypoint) the first did not have.
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  const all = manifest.shards.map((s) => str(join(dir, s.path))).join(', ');
  for (const [i, t] of TORTURE_TARGETS.entries()) {
    const file = join(dir, `only-${i}.parquet`);
    await c.run(
      `COPY (SELECT * FROM read_parquet([${all}]) WHERE target = ${str(t)}) TO ${str(file)} (FORMAT parquet)`,
    );
    files.push(file);
  }
  c.closeSync();
  engine = await createNodeEngine();
  for (const f of files) await engine.registerFile(f, f);
});
afterAll(async () => {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

const viewRows = async (cache: MemoryCache) =>
  plainRows(await engine.query(`SELECT ${COLS} FROM (${cache.viewBody()}) ${ORDER}`));
const fileRows = async (names: string[]) =>
  plainRows(
    await engine.query(
      `SELECT ${COLS} FROM read_parquet([${names.map(str).join(', ')}], union_by_name = true) ${ORDER}`,
    ),
  );

it('shows exactly the shards’ text, and re-codes when a shard brings new values', async () => {
  const cache = new MemoryCache(engine, 1_000_000, 'mem_test');
  // A live store's manifest before it named the second target (the codes start from the manifest).
  const early: Manifest = {
    ...manifest,
    targets: manifest.targets.filter((t) => t.id === TORTURE_TARGETS[0]),
  };
  await cache.load(files[0]!, early);
  const first = await viewRows(cache);
  expect(first.length).toBeGreaterThan(50);
  expect(first).toEqual(await fileRows([files[0]!]));

  await cache.load(files[1]!, manifest);
  expect(await viewRows(cache)).toEqual(await fileRows(files));
  // Stored as codes, shown as text: a value not in the store compares false instead of failing.
  const [types] = plainRows(
    await engine.query(`SELECT typeof(target) AS stored FROM ${ident('mem_test')} LIMIT 1`),
  );
  expect(String(types?.stored)).toMatch(/^ENUM/);
  const [none] = plainRows(
    await engine.query(`SELECT count(*) AS n FROM (${cache.viewBody()}) WHERE target = 'not a target'`),
  );
  expect(Number(none?.n)).toBe(0);
  const [like] = plainRows(
    await engine.query(
      `SELECT count(*) AS n FROM (${cache.viewBody()}) WHERE target LIKE 't\\_it%' ESCAPE '\\'`,
    ),
  );
  expect(Number(like?.n)).toBe((await fileRows([files[1]!])).length);

  // Dropping the first shard keeps the second's rows, unchanged.
  await cache.unload(files[0]!);
  expect(await viewRows(cache)).toEqual(await fileRows([files[1]!]));
  await cache.clear();
});

it('copies shards of one target each without rewriting the table: the codes start from the manifest', async () => {
  const rewrites: string[] = [];
  const counting: SqlEngine = {
    ...engine,
    bundle: engine.bundle,
    query: (sql, o) => {
      if (/^\s*CREATE OR REPLACE TABLE .* AS SELECT/is.test(sql)) rewrites.push(sql);
      return engine.query(sql, o);
    },
  };
  const cache = new MemoryCache(counting, 1_000_000, 'mem_test2');
  for (const f of files) await cache.load(f, manifest);
  expect(await viewRows(cache)).toEqual(await fileRows(files));
  // Each rewrite held the table twice at its peak (the 1M copy: ~825 MB of renderer memory).
  expect(rewrites).toEqual([]);
  await cache.clear();
});
