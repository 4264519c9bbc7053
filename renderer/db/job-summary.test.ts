// The job header's per-target counts and best loss: unfiltered, from the manifest's shard stats
// plus one lookup of the best ids, even when the store lists empty shards (a target with no output
// leaves a 0-row shard with no stats); equal to native DuckDB's GROUP BY over the same shards.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Manifest } from '../../shared/manifest.ts';
import { str } from '../../shared/sql.ts';
import type { SqlEngine } from './engine-types.ts';
import { jobHeadlines } from './job-summary.ts';
import { ShardRegistry } from './registry.ts';
import { nativeReference, writeTiedStore } from './testing/fixtures.ts';
import { createNodeEngine } from './testing/node-engine.ts';

let dir: string;
let manifest: Manifest;
let base: SqlEngine;
let registry: ShardRegistry;
let native: Awaited<ReturnType<typeof nativeReference>>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'losslens-js-'));
  const tied = await writeTiedStore(dir);
  // An empty shard, as the collector commits for a target whose outputs are absent.
  const empty = 'shards/part-w-empty.parquet';
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  await c.run(
    `COPY (SELECT * FROM read_parquet(${str(join(dir, tied.shards[0]!.path))}) LIMIT 0) TO ${str(join(dir, empty))} (FORMAT parquet)`,
  );
  c.closeSync();
  manifest = {
    ...tied,
    shards: [...tied.shards, { ...tied.shards[0]!, path: empty, seq: 99, rows: 0, targets: {} }],
  };
  base = await createNodeEngine();
  registry = new ShardRegistry(base, { shardUrl: (_id, p) => join(dir, p) });
  await registry.sync({ id: 'abc', manifest });
  await registry.idle();
  native = await nativeReference(dir, manifest);
});
afterAll(async () => {
  native.close();
  registry.close();
  await base.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The test engine, keeping every SQL statement it is asked. */
function recording(): { engine: SqlEngine; asked: string[] } {
  const asked: string[] = [];
  const engine: SqlEngine = {
    ...base,
    bundle: base.bundle,
    query: (sql, o) => {
      asked.push(sql);
      return base.query(sql, o);
    },
  };
  return { engine, asked };
}

it('answers the unfiltered header from the manifest despite an empty shard, equal to DuckDB', async () => {
  const { engine, asked } = recording();
  const got = await jobHeadlines(engine, manifest, {});
  const want = await native.rows(`SELECT target, count(*) FILTER (WHERE status = 'ok') AS ok,
      count(*) FILTER (WHERE status = 'failed') AS failed, count(*) FILTER (WHERE status = 'missing') AS missing,
      min(loss) FILTER (WHERE status = 'ok') AS best FROM losses GROUP BY target ORDER BY target`);
  expect(got.map(({ target, ok, failed, missing, best }) => ({ target, ok, failed, missing, best }))).toEqual(
    want.map((r) => ({
      target: r.target,
      ok: Number(r.ok),
      failed: Number(r.failed),
      missing: Number(r.missing),
      best: r.best,
    })),
  );
  for (const h of got) {
    const [ids] = await native.rows(
      `SELECT min(param_id) AS id FROM losses WHERE status = 'ok' AND target = ${str(h.target)} AND loss = ${h.best}`,
    );
    expect(h.bestId).toBe(ids?.id);
  }
  // One lookup of the best ids (statistics prune it), not a scan of every row.
  expect(asked).toHaveLength(1);
  expect(asked[0]).not.toMatch(/count\(\*\)/);
});

it('reads the best ids from only the shards holding each best loss while the store is read shard by shard', async () => {
  const { engine, asked } = recording();
  // One more shard whose losses are all above the best: its rows cannot hold a best set.
  const high = 'shards/part-w-high.parquet';
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  await c.run(
    `COPY (SELECT * REPLACE (param_id || '-hi' AS param_id, loss + 100 AS loss)
       FROM read_parquet(${str(join(dir, manifest.shards[0]!.path))}))
     TO ${str(join(dir, high))} (FORMAT parquet)`,
  );
  c.closeSync();
  const first = manifest.shards[0]!;
  const highTargets = Object.fromEntries(
    Object.entries(first.targets).map(([t, st]) => [
      t,
      {
        ...st,
        min_loss: st.min_loss === null ? null : st.min_loss + 100,
        max_loss: st.max_loss === null ? null : st.max_loss + 100,
      },
    ]),
  );
  const withHigh: Manifest = {
    ...manifest,
    shards: [...manifest.shards, { ...first, path: high, seq: 100, targets: highTargets }],
  };
  const reference = await nativeReference(dir, withHigh);
  const early = { shards: withHigh.shards.map((entry) => ({ name: join(dir, entry.path), entry })) };
  const got = await jobHeadlines(engine, withHigh, {}, undefined, early);
  for (const h of got) {
    const [ids] = await reference.rows(
      `SELECT min(param_id) AS id FROM losses WHERE status = 'ok' AND target = ${str(h.target)} AND loss = ${h.best}`,
    );
    expect(h.bestId).toBe(ids?.id);
  }
  // The tied store has each best loss in some shards, not all: only those are read.
  reference.close();
  const holding = new Set(
    got.flatMap((h) =>
      withHigh.shards.filter((s) => s.targets[h.target]?.min_loss === h.best).map((s) => s.path),
    ),
  );
  const others = withHigh.shards.filter((s) => !holding.has(s.path));
  expect(others.map((s) => s.path)).toContain(high);
  expect(asked).toHaveLength(1);
  for (const p of holding) expect(asked[0]).toContain(join(dir, p));
  for (const s of others) expect(asked[0]).not.toContain(join(dir, s.path));
  expect(asked[0]).not.toMatch(/\blosses\b/);
});

it('falls back to the losses view when a shard named by the statistics cannot be read', async () => {
  const early = {
    shards: manifest.shards.map((entry) => ({ name: join(dir, 'gone', entry.path), entry })),
  };
  const got = await jobHeadlines(base, manifest, {}, undefined, early);
  for (const h of got) {
    const [ids] = await native.rows(
      `SELECT min(param_id) AS id FROM losses WHERE status = 'ok' AND target = ${str(h.target)} AND loss = ${h.best}`,
    );
    expect(h.bestId).toBe(ids?.id);
  }
});
