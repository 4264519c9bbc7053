// Test stores written by native DuckDB in the loss-store schema, with hostile names and values:
// a parameter column `param_a"b`, scenarios containing `'`, failed and missing rows, two shards.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Manifest } from '../../../shared/manifest.ts';
import { str } from '../../../shared/sql.ts';

export const TORTURE_TARGETS = ['t_alpha', "t_it's"] as const;
export const TORTURE_PARAMS = [
  { name: 'a"b', type: 'DOUBLE' },
  { name: 'scenario', type: 'VARCHAR' },
  { name: 'population', type: 'BIGINT' },
] as const;

/** `params` parameter sets × 2 targets, split into two shards by param index parity. */
export async function writeTortureStore(dir: string, params = 200): Promise<Manifest> {
  mkdirSync(join(dir, 'shards'), { recursive: true });
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  const rows = `SELECT 'job-t' AS job_id, printf('p%05d', i) AS param_id, t AS target, 'targets:' || t AS target_entrypoint,
      CASE WHEN i % 17 = 3 THEN 'failed' WHEN i % 29 = 5 THEN 'missing' ELSE 'ok' END AS status,
      CASE WHEN i % 17 = 3 OR i % 29 = 5 THEN NULL
           ELSE (CASE WHEN t = 't_alpha' THEN 1 ELSE -1 END) * ((i * 37) % 101)::DOUBLE + i / 1000.0 END AS loss,
      10::INTEGER AS n_replicates, [1, 2]::UBIGINT[] AS seeds,
      (i % 13) / 10.0 AS "param_a""b",
      CASE i % 3 WHEN 0 THEN 'it''s base' WHEN 1 THEN 'high' ELSE NULL END AS param_scenario,
      (1000 + i)::BIGINT AS param_population,
      NULL::VARCHAR AS diagnostics, false AS diagnostics_truncated,
      CASE WHEN i % 17 = 3 THEN 'ValueError' END AS error_type,
      CASE WHEN i % 17 = 3 THEN 'bad ''value'' at step ' || i END AS error_message,
      TIMESTAMP '2026-01-01 00:00:00' AS collected_at
    FROM range(${params}) r(i), (VALUES ('t_alpha'), ('t_it''s')) v(t)`;
  const shards: Manifest['shards'] = [];
  for (const part of [0, 1]) {
    const path = `shards/part-w-${part}.parquet`;
    await c.run(
      `COPY (SELECT * FROM (${rows}) WHERE right(param_id, 1)::INTEGER % 2 = ${part} ORDER BY target, loss)
       TO ${str(join(dir, path))} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 64)`,
    );
    const n = Number(
      (
        await c.runAndReadAll(`SELECT count(*) FROM read_parquet(${str(join(dir, path))})`)
      ).getRowsJS()[0]?.[0],
    );
    shards.push({
      path,
      writer: 'w',
      seq: part,
      rows: n,
      bytes: 0,
      created_at: '2026-01-01T00:00:00Z',
      targets: {},
      inputs: [],
    });
  }
  c.closeSync();
  return {
    format: 'losslens-store',
    version: 1,
    job_id: 'job-t',
    source: { kind: 'demo', path: dir },
    status: 'complete',
    targets: TORTURE_TARGETS.map((id) => ({ id, entrypoint: `targets:${id}` })),
    params: TORTURE_PARAMS.map((p) => ({ ...p })),
    counts: { rows: params * 2, ok: 0, failed: 0, missing: 0 },
    shards,
    writers: {},
    warnings: [],
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    collector_version: 'test',
  };
}

/** Native DuckDB over the same shard files: the reference answers tests compare against. */
export async function nativeReference(dir: string, manifest: Manifest) {
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  const files = manifest.shards.map((s) => str(join(dir, s.path))).join(', ');
  await c.run(`CREATE VIEW losses AS SELECT * FROM read_parquet([${files}], union_by_name = true)`);
  return {
    rows: async (sql: string) => (await c.runAndReadAll(sql)).getRowObjectsJS(),
    close: () => c.closeSync(),
  };
}

/**
 * Three shards × two targets whose losses tie often (integers 0–4), with failed and missing rows,
 * each shard sorted by (target, loss NULLS LAST) like the collector writes them, and manifest
 * per-target stats filled in: the ground on which early windows must equal the full query.
 */
export async function writeTiedStore(dir: string, params = 300): Promise<Manifest> {
  const base = await writeTortureStore(dir, 2);
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  const rows = `SELECT 'job-t' AS job_id, printf('p%05d', i) AS param_id, t AS target, 'targets:' || t AS target_entrypoint,
      CASE WHEN i % 11 = 3 THEN 'failed' WHEN i % 23 = 5 THEN 'missing' ELSE 'ok' END AS status,
      CASE WHEN i % 11 = 3 OR i % 23 = 5 THEN NULL ELSE ((i * 7 + length(t)) % 5)::DOUBLE END AS loss,
      10::INTEGER AS n_replicates, [1]::UBIGINT[] AS seeds, (i % 13) / 10.0 AS "param_a""b",
      'it''s' AS param_scenario, i::BIGINT AS param_population, NULL::VARCHAR AS diagnostics,
      false AS diagnostics_truncated, NULL::VARCHAR AS error_type, NULL::VARCHAR AS error_message,
      TIMESTAMP '2026-01-01 00:00:00' AS collected_at
    FROM range(${params}) r(i), (VALUES ('t_alpha'), ('t_it''s')) v(t)`;
  const shards: Manifest['shards'] = [];
  for (const part of [0, 1, 2]) {
    const path = `shards/part-w-${part}.parquet`;
    const file = str(join(dir, path));
    // Shuffled before the sort so equal losses land in no particular param_id order.
    await c.run(
      `COPY (SELECT * FROM (${rows}) WHERE hash(param_id) % 3 = ${part} ORDER BY target, loss NULLS LAST, hash(param_id || 'x'))
       TO ${file} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 32)`,
    );
    const stats = (
      await c.runAndReadAll(`SELECT target, count(*)::INTEGER, count(*) FILTER (status = 'ok')::INTEGER,
        count(*) FILTER (status = 'failed')::INTEGER, count(*) FILTER (status = 'missing')::INTEGER,
        min(loss), max(loss) FROM read_parquet(${file}) GROUP BY target`)
    ).getRowsJS();
    const targets: Manifest['shards'][number]['targets'] = {};
    for (const [t, n, ok, failed, missing, lo, hi] of stats)
      targets[String(t)] = {
        rows: Number(n),
        ok: Number(ok),
        failed: Number(failed),
        missing: Number(missing),
        min_loss: lo === null ? null : Number(lo),
        max_loss: hi === null ? null : Number(hi),
      };
    const rowsN = Object.values(targets).reduce((s, t) => s + t.rows, 0);
    shards.push({ ...base.shards[0]!, path, seq: part, rows: rowsN, targets });
  }
  c.closeSync();
  return { ...base, shards, counts: { ...base.counts, rows: params * 2 } };
}
