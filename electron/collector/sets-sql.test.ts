// The per-set query the Pivot, Best, Trade-offs and brushed histograms start from
// (renderer/db/analysis-sql.ts setsSelect, a join of per-target rows) on stores as the collector
// writes them: many small shards of a views job with failed rows (sets the job spec lists without a
// result, and a target that failed entirely), then a
// store that grows by a streamed input between two reads. Checked against an independent GROUP BY
// on native DuckDB over the same shards.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { setsSelect } from '../../renderer/db/analysis-sql.ts';
import { setsByGroupBy } from '../../renderer/db/testing/sets-reference.ts';
import { paramColumn } from '../../shared/schema.ts';
import { lossesSelect } from '../store/losses-view.ts';
import { readManifest } from '../store/manifest-io.ts';
import { collect } from './collect.ts';
import { FIXTURE_TARGETS, writeViewsFixture } from './testing/fixtures.ts';
import { openTestDuck, tempDir } from './testing/helpers.ts';

let dir: string;
let db: Awaited<ReturnType<typeof openTestDuck>>;
beforeAll(async () => {
  dir = await tempDir('sets-sql');
  db = await openTestDuck();
});
afterAll(async () => {
  db.close();
  await fs.rm(dir, { recursive: true, force: true });
});

/** setsSelect and the GROUP BY over the store's listed shards, as plain rows. */
async function both(store: string) {
  const m = await readManifest(store);
  const files = m.shards.filter((s) => s.rows > 0).map((s) => path.join(store, s.path));
  await db.conn.run(`CREATE OR REPLACE VIEW losses AS ${lossesSelect(files, m.params)}`);
  const targets = m.targets.map((t) => t.id);
  const params = m.params.map((p) => paramColumn(p.name));
  const got = await db.rows(`${setsSelect(targets, params, {})} ORDER BY param_id`);
  const want = await db.rows(setsByGroupBy(targets, params, ''));
  return { got, want, shards: files.length, rows: m.counts.rows };
}

it('equals the GROUP BY on a collector-built store of many shards, and again after it grew', async () => {
  const view = await writeViewsFixture(db.conn, {
    dir: path.join(dir, 'job'),
    params: 400,
    dropEvery: 7,
    jobSpec: 'tasks',
    targets: FIXTURE_TARGETS.slice(0, 2),
    failedTargets: [FIXTURE_TARGETS[2]!],
  });
  const store = path.join(dir, 'store');
  await collect({ sources: [view.dir], out: store, batchRows: 60, compact: false });
  const first = await both(store);
  expect(first.shards).toBeGreaterThan(10);
  expect(first.got.length).toBeGreaterThan(300);
  expect(first.got).toEqual(first.want);
  const statuses = new Set(
    first.got.flatMap((r) =>
      Object.entries(r)
        .filter(([k]) => k.startsWith('__status:'))
        .map(([, v]) => v),
    ),
  );
  expect([...statuses]).toContain('failed');

  // A stream adds new sets, some with one target only (no row on the other sides).
  const target = FIXTURE_TARGETS[1]!;
  const lines = Array.from({ length: 30 }, (_, i) =>
    JSON.stringify({ job_id: view.jobId, param_id: `new-${i}`, target, loss: i / 3 }),
  );
  const more = path.join(dir, 'more.ndjson');
  await fs.writeFile(more, `${lines.join('\n')}\n`);
  await collect({ sources: [more], out: store, batchRows: 10, compact: false });
  const grown = await both(store);
  expect(grown.rows).toBe(first.rows + 30);
  expect(grown.got.length).toBe(first.got.length + 30);
  expect(grown.got).toEqual(grown.want);
});
