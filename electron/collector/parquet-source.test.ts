// Plain parquet directories: target from hive folders, a target column, or the folder name.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { str } from '../../shared/sql.ts';
import { collect } from './collect.ts';
import { fixtureParamIdSql } from './testing/fixtures.ts';
import { openTestDuck, storeRelation, tempDir } from './testing/helpers.ts';

let db: Awaited<ReturnType<typeof openTestDuck>>;
let root: string;

beforeAll(async () => {
  db = await openTestDuck();
  root = await tempDir('pq');
});
afterAll(() => db.close());

const ROWS = (
  n: number,
  extra = '',
) => `SELECT ${fixtureParamIdSql('i')} AS param_id, (i - 10)::DOUBLE AS loss,
  i::BIGINT AS param_population, CASE WHEN i % 2 = 0 THEN 'it''s' ELSE 'plain' END AS param_scenario ${extra}
  FROM range(${n}) t(i)`;

async function copy(sql: string, file: string) {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await db.conn.run(`COPY (${sql}) TO ${str(file)} (FORMAT parquet)`);
}

describe('parquet directory source', () => {
  it('takes the target from hive folders (colons allowed) and ignores files without loss', async () => {
    const dir = path.join(root, 'hive');
    await copy(
      ROWS(30),
      path.join(dir, 'target=targets.incidence:incidence_mean_signal_target', 'part-0.parquet'),
    );
    await copy(ROWS(20), path.join(dir, 'target=targets.hospital:hospitalization_loglik', 'part-0.parquet'));
    await copy('SELECT 1 AS x', path.join(dir, 'other.parquet'));
    const m = await collect({
      sources: [dir],
      out: path.join(root, 'hive-store'),
      jobId: 'job-hive',
      batchRows: 7,
    });
    expect(m.counts).toEqual({ rows: 50, ok: 50, failed: 0, missing: 0 });
    expect(m.targets.map((t) => t.id).sort()).toEqual([
      'hospitalization_loglik',
      'incidence_mean_signal_target',
    ]);
    expect(m.warnings.find((w) => w.code === 'files_skipped')?.examples).toEqual(['other.parquet']);
    const [r] = await db.rows(
      `SELECT min(loss) AS lo, count(*) FILTER (WHERE param_scenario = 'it''s')::INT AS q FROM ${await storeRelation(path.join(root, 'hive-store'))}`,
    );
    expect(r).toEqual({ lo: -10, q: 25 });
  });

  it('uses a target column and an error_type column for failed rows; otherwise the folder name', async () => {
    const dir = path.join(root, 'cols');
    await copy(
      ROWS(
        10,
        `, CASE WHEN i < 5 THEN 'targets.a:alpha' ELSE 'targets.b:beta' END AS target,
        CASE WHEN i = 3 THEN 'RuntimeError' END AS error_type`,
      ),
      path.join(dir, 'losses.parquet'),
    );
    await copy(ROWS(4), path.join(dir, 'gamma', 'x.parquet'));
    const out = path.join(root, 'cols-store');
    const m = await collect({ sources: [dir], out, jobId: 'job-cols' });
    expect(m.counts).toEqual({ rows: 14, ok: 13, failed: 1, missing: 0 });
    const rows = await db.rows(
      `SELECT target, target_entrypoint, count(*)::INT AS n FROM ${await storeRelation(out)} GROUP BY ALL ORDER BY 1`,
    );
    expect(rows).toEqual([
      { target: 'alpha', target_entrypoint: 'targets.a:alpha', n: 5 },
      { target: 'beta', target_entrypoint: 'targets.b:beta', n: 5 },
      { target: 'gamma', target_entrypoint: 'gamma', n: 4 },
    ]);
    expect((await collect({ sources: [dir], out })).shards.length).toBe(m.shards.length);
  });
});
