// The host's `losses` view reads every row of every listed shard whatever their columns: shards of
// one shape are read without union_by_name (it re-reads every footer's schema at each query), and a
// store whose shards differ — columns in another order, a parameter column missing — still gives
// exactly what an independent DuckDB reading the same files by column name gives.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arrow } from '../../shared/arrow.ts';
import type { Manifest } from '../../shared/manifest.ts';
import { storeColumns } from '../../shared/schema.ts';
import { ident, str } from '../../shared/sql.ts';
import { type CollectedFixture, collectedFixture } from '../collector/testing/collected-fixture.ts';
import { FIXTURE_TARGETS } from '../collector/testing/fixtures.ts';
import { defaultBudget } from './native-lockdown.ts';
import { NativeStore } from './native-store.ts';

let fx: CollectedFixture;
let dir: string;
let source: string;
let manifest: Manifest;
let db: CollectedFixture['db'];

beforeAll(async () => {
  fx = await collectedFixture(
    'view',
    { params: 120, dropEvery: 5, jobSpec: 'tasks', targets: FIXTURE_TARGETS.slice(0, 2), failedTargets: [] },
    50,
  );
  ({ dir, store: source, manifest, db } = fx);
});
afterAll(() => fx.close());

/** Every row, each column of the store by name, as one text (NULLs spelled out), in one order. */
function everyRowSql(m: Manifest): string {
  const cols = storeColumns(m.params).map((c) => `coalesce(${ident(c.name)}::VARCHAR, '∅')`);
  return `SELECT count(*)::INTEGER AS n, string_agg(concat_ws('|', ${cols.join(', ')}), chr(10)
    ORDER BY param_id, target) AS rows FROM losses`;
}

/** A copy of the store whose shard `i` is rewritten by `select` (over `src`, the original file). */
async function variant(name: string, edits: Record<number, (src: string) => string>): Promise<string> {
  const out = path.join(dir, name);
  await fs.cp(source, out, { recursive: true });
  for (const [i, select] of Object.entries(edits)) {
    const file = path.join(out, manifest.shards[Number(i)]!.path);
    const tmp = `${file}.new`;
    await db.conn.run(`COPY (${select(`read_parquet(${str(file)})`)}) TO ${str(tmp)} (FORMAT parquet)`);
    await fs.rename(tmp, file);
  }
  return out;
}

/** The same text from an independent DuckDB reading the listed files by column name. */
async function reference(store: string, skip = -1): Promise<{ n: number; rows: string }> {
  const files = manifest.shards
    .filter((s, i) => s.rows > 0 && i !== skip)
    .map((s) => str(path.join(store, s.path)));
  await db.conn.run(
    `CREATE OR REPLACE VIEW losses AS SELECT * FROM read_parquet([${files.join(', ')}], union_by_name = true)`,
  );
  const [row] = await db.rows(everyRowSql(manifest));
  return { n: Number(row?.n), rows: String(row?.rows) };
}

async function rowsOf(native: NativeStore): Promise<{ n: number; rows: string }> {
  const session = await native.session('ab'.repeat(16));
  const table = arrow.tableFromIPC(await session.run(`q${Math.random()}`, everyRowSql(manifest)));
  const row = table.get(0)?.toJSON() as { n: number; rows: string };
  return { n: Number(row.n), rows: String(row.rows) };
}

async function hostRows(store: string): Promise<{ n: number; rows: string }> {
  const native = await NativeStore.open(store, manifest, defaultBudget(path.basename(store)));
  try {
    await native.ready();
    return await rowsOf(native);
  } finally {
    await native.close();
  }
}

describe("the host's losses view", () => {
  it('reads a store whose shards all have the same columns', async () => {
    const want = await reference(source);
    expect(want.n).toBe(manifest.counts.rows);
    expect(await hostRows(source)).toEqual(want);
  });

  it('reads shards whose columns come in another order', async () => {
    const reversed = storeColumns(manifest.params)
      .map((c) => ident(c.name))
      .reverse()
      .join(', ');
    const store = await variant('reordered', { 1: (src) => `SELECT ${reversed} FROM ${src}` });
    const want = await reference(store);
    expect(want.n).toBe(manifest.counts.rows);
    expect(await hostRows(store)).toEqual(want);
  });

  it('reads a shard that lacks a parameter column as NULLs there', async () => {
    const dropped = storeColumns(manifest.params).find((c) => c.name.startsWith('param_'))!.name;
    const store = await variant('missing', {
      0: (src) => `SELECT * EXCLUDE (${ident(dropped)}) FROM ${src}`,
    });
    const want = await reference(store);
    expect(want.rows).toContain('∅');
    expect(await hostRows(store)).toEqual(want);
  });

  it('leaves out a listed shard whose file is not whole yet, and reads it once it is', async () => {
    const store = await variant('torn', {});
    const file = path.join(store, manifest.shards[2]!.path);
    const whole = await fs.readFile(file);
    await fs.writeFile(file, whole.subarray(0, whole.length >> 1));
    const native = await NativeStore.open(store, manifest, defaultBudget('torn'));
    try {
      await native.ready();
      expect(native.shardCount).toBe(manifest.shards.length - 1);
      expect(await rowsOf(native)).toEqual(await reference(store, 2));
      await fs.writeFile(file, whole);
      const until = Date.now() + 10_000;
      while (native.shardCount < manifest.shards.length && Date.now() < until)
        await new Promise((r) => setTimeout(r, 50));
      await native.ready();
      expect(await rowsOf(native)).toEqual(await reference(store));
    } finally {
      await native.close();
    }
  });
});
