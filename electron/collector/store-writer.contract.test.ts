// The loss-store contract of DESIGN.md, checked on a store written by the real writer and read
// back by native DuckDB; and the crash guarantee, checked by killing a real writer process.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseManifest } from '../../shared/manifest.ts';
import { DIAGNOSTICS_CAP_BYTES } from '../../shared/schema.ts';
import { listLiteral, str } from '../../shared/sql.ts';
import { writeDemoStore } from './demo.ts';

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'losslens-writer-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function query(sql: string) {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    return (await conn.runAndReadAll(sql)).getRowObjectsJS();
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

async function listedFiles(store: string) {
  const manifest = parseManifest(await fs.readFile(path.join(store, 'store.json'), 'utf8'));
  return { manifest, files: manifest.shards.map((s) => path.join(store, s.path)) };
}

describe('store writer output', () => {
  it('writes every DESIGN.md column with its type, sorted by (target, loss), and a consistent manifest', async () => {
    const store = path.join(dir, 'typed');
    await writeDemoStore({
      out: store,
      params: 3000,
      targets: 3,
      seed: 5,
      failRate: 0.05,
      setsPerShard: 1000,
    });
    const { manifest, files } = await listedFiles(store);
    expect(manifest.status).toBe('complete');
    expect(manifest.shards).toHaveLength(3);
    const types = await query(`DESCRIBE SELECT * FROM read_parquet(${str(files[0]!)})`);
    expect(Object.fromEntries(types.map((t) => [t.column_name, t.column_type]))).toEqual({
      job_id: 'VARCHAR',
      param_id: 'VARCHAR',
      target: 'VARCHAR',
      target_entrypoint: 'VARCHAR',
      status: 'VARCHAR',
      loss: 'DOUBLE',
      n_replicates: 'INTEGER',
      seeds: 'UBIGINT[]',
      param_beta: 'DOUBLE',
      param_gamma: 'DOUBLE',
      param_incubation_days: 'DOUBLE',
      param_reporting_rate: 'DOUBLE',
      param_population: 'BIGINT',
      param_seasonal: 'BOOLEAN',
      param_scenario: 'VARCHAR',
      diagnostics: 'VARCHAR',
      diagnostics_truncated: 'BOOLEAN',
      error_type: 'VARCHAR',
      error_message: 'VARCHAR',
      collected_at: 'TIMESTAMP',
    });
    const rel = `read_parquet(${listLiteral(files)})`;
    const [agg] = await query(`SELECT count(*)::INT AS n,
        count(DISTINCT (param_id, target))::INT AS keys,
        count(*) FILTER (status = 'ok')::INT AS ok,
        count(*) FILTER (status = 'failed')::INT AS failed,
        count(*) FILTER (status = 'failed' AND (loss IS NOT NULL OR error_type IS NULL))::INT AS bad_failed,
        count(*) FILTER (status = 'ok' AND NOT isfinite(loss))::INT AS bad_ok,
        min(loss) FILTER (target = 'hospitalization_loglik') AS min_loglik,
        max(strlen(diagnostics))::INT AS max_diag,
        max(len(seeds))::INT AS max_seeds,
        count(*) FILTER (param_scenario LIKE '%''%')::INT AS quoted
      FROM ${rel}`);
    expect(agg).toMatchObject({ n: 9000, keys: 9000, bad_failed: 0, bad_ok: 0, max_seeds: 10 });
    expect(agg!.ok! as number).toBe(manifest.counts.ok);
    expect(agg!.failed! as number).toBe(manifest.counts.failed);
    expect(manifest.counts.failed).toBeGreaterThan(0);
    expect(agg!.min_loglik as number).toBeLessThan(0);
    expect(agg!.max_diag as number).toBeLessThanOrEqual(DIAGNOSTICS_CAP_BYTES);
    expect(agg!.quoted as number).toBeGreaterThan(0);
    // Inside a shard rows are sorted by (target, loss) with failed rows after each target's losses.
    const [order] = await query(`SELECT count(*)::INT AS inversions FROM (
        SELECT target, loss, lag(target) OVER (ORDER BY file_row_number) AS pt,
               lag(loss) OVER (ORDER BY file_row_number) AS pl
        FROM read_parquet(${str(files[1]!)}, file_row_number = true))
      WHERE pt > target OR (pt = target AND (pl > loss OR (pl IS NULL AND loss IS NOT NULL)))`);
    expect(order!.inversions).toBe(0);
    for (const s of manifest.shards) {
      const [r] = await query(
        `SELECT count(*)::INT AS n, min(loss) AS lo FROM read_parquet(${str(path.join(store, s.path))})`,
      );
      expect(r!.n).toBe(s.rows);
      expect((await fs.stat(path.join(store, s.path))).size).toBe(s.bytes);
      const mins = Object.values(s.targets).map((t) => t.min_loss!);
      expect(r!.lo).toBe(Math.min(...mins));
    }
  });

  it('is deterministic for a seed and resumes without writing a row twice', async () => {
    const a = path.join(dir, 'a');
    await writeDemoStore({ out: a, params: 400, targets: 2, seed: 8, failRate: 0.02, setsPerShard: 100 });
    await writeDemoStore({ out: a, params: 400, targets: 2, seed: 8, failRate: 0.02, setsPerShard: 100 });
    const { manifest, files } = await listedFiles(a);
    expect(manifest.counts.rows).toBe(800);
    const [sum] = await query(
      `SELECT count(*)::INT AS n, sum(loss) AS s, string_agg(param_id, '' ORDER BY param_id, target) AS ids FROM read_parquet(${listLiteral(files)})`,
    );
    expect(sum!.n).toBe(800);
    const b = path.join(dir, 'b');
    await writeDemoStore({ out: b, params: 400, targets: 2, seed: 8, failRate: 0.02, setsPerShard: 400 });
    const other = await listedFiles(b);
    const [sum2] = await query(
      `SELECT sum(loss) AS s, string_agg(param_id, '' ORDER BY param_id, target) AS ids FROM read_parquet(${listLiteral(other.files)})`,
    );
    expect(sum2!.s).toBeCloseTo(sum!.s as number, 6);
    expect(sum2!.ids).toBe(sum!.ids);
  });
});

describe('crash safety', () => {
  const waitFor = async (cond: () => Promise<boolean>, ms: number) => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      if (await cond()) return true;
      await new Promise((r) => setTimeout(r, 10));
    }
    return false;
  };

  it('never lists a half-written shard when the writer is killed mid-write', async () => {
    // Kill at several moments after the first shard lands; each time every listed shard must be
    // complete and readable, whatever unlisted temp files the kill left behind.
    for (const delayMs of [0, 40, 120, 300]) {
      const store = path.join(dir, `killed-${delayMs}`);
      const child: ChildProcess = spawn(
        process.execPath,
        [
          'bin/losslens.mjs',
          'demo',
          '--out',
          store,
          '--params',
          '60000',
          '--targets',
          '3',
          '--sets-per-shard',
          '4000',
        ],
        { stdio: 'ignore' },
      );
      const firstShard = await waitFor(async () => {
        if (!existsSync(path.join(store, 'store.json'))) return false;
        return (await listedFiles(store)).manifest.shards.length > 0;
      }, 60_000);
      expect(firstShard).toBe(true);
      await new Promise((r) => setTimeout(r, delayMs));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const { manifest, files } = await listedFiles(store);
      expect(manifest.status).toBe('collecting');
      for (const [i, f] of files.entries()) {
        const [r] = await query(`SELECT count(*)::INT AS n FROM read_parquet(${str(f)})`);
        expect(r!.n).toBe(manifest.shards[i]!.rows);
      }
      expect(manifest.counts.rows).toBe(manifest.shards.reduce((n, s) => n + s.rows, 0));
    }
  });
});
