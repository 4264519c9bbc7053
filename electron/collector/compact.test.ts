// compact: same rows, fewer shards, each sorted by (target, loss); replaced files stay readable
// for the grace period; resume still skips everything that was collected.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { str } from '../../shared/sql.ts';
import { readManifest } from '../store/manifest-io.ts';
import { collect } from './collect.ts';
import { compactStore } from './compact.ts';
import { FIXTURE_TARGETS, writeViewsFixture } from './testing/fixtures.ts';
import { openTestDuck, runCli, storeRelation, tempDir } from './testing/helpers.ts';

let db: Awaited<ReturnType<typeof openTestDuck>>;
let root: string;

beforeAll(async () => {
  db = await openTestDuck();
  root = await tempDir('compact');
});
afterAll(() => db.close());

describe('compact', () => {
  it('rewrites many shards into few sorted ones atomically, keeping old files for open readers', async () => {
    const view = await writeViewsFixture(db.conn, {
      dir: path.join(root, 'job'),
      params: 500,
      targets: FIXTURE_TARGETS,
      dropEvery: 9,
      jobSpec: 'tasks',
    });
    const out = path.join(root, 'store');
    const before = await collect({ sources: [view.dir], out, batchRows: 40 });
    expect(before.shards.length).toBeGreaterThan(30);
    const oldRel = await storeRelation(out);
    await db.conn.run(`CREATE TABLE before AS SELECT * EXCLUDE (collected_at) FROM ${oldRel}`);
    const r = await runCli(['compact', out, '--rows-per-shard', '600']);
    expect(r.code).toBe(0);
    const after = await readManifest(out);
    expect(after.shards.length).toBeGreaterThanOrEqual(2);
    expect(after.shards.length).toBeLessThanOrEqual(3);
    expect(after.counts).toEqual(before.counts);
    const rel = await storeRelation(out);
    const [diff] = await db.rows(`SELECT
      (SELECT count(*) FROM (SELECT * FROM before EXCEPT ALL SELECT * EXCLUDE (collected_at) FROM ${rel}))::INT AS a,
      (SELECT count(*) FROM (SELECT * EXCLUDE (collected_at) FROM ${rel} EXCEPT ALL SELECT * FROM before))::INT AS b`);
    expect(diff).toEqual({ a: 0, b: 0 });
    for (const s of after.shards) {
      const [u] = await db.rows(`SELECT count(*)::INT AS unsorted FROM (
        SELECT target, loss, lag(target) OVER w AS pt, lag(loss) OVER w AS pl
        FROM (SELECT *, file_row_number AS rn FROM read_parquet(${str(path.join(out, s.path))}, file_row_number = true))
        WINDOW w AS (ORDER BY rn)) WHERE pt > target OR (pt = target AND pl > loss)`);
      expect(u!.unsorted).toBe(0);
    }
    // A reader holding the old manifest can still read every file it lists.
    const [old] = await db.rows(`SELECT count(*)::INT AS n FROM ${oldRel}`);
    expect(old!.n).toBe(before.counts.rows);
    // Resume after compaction still adds nothing; a second compaction past the grace deletes.
    expect((await collect({ sources: [view.dir], out, batchRows: 40 })).counts).toEqual(before.counts);
    const again = await compactStore(out, { graceSeconds: 0, rowsPerShard: 600 });
    expect(again.deleted.length).toBe(before.shards.length);
    // Only the files this second compaction replaced are left besides the listed ones.
    const left = await fs.readdir(path.join(out, 'shards'));
    const expected = [...(await readManifest(out)).shards, ...after.shards].map((s) => path.basename(s.path));
    expect(left.sort()).toEqual([...new Set(expected)].sort());
  });
});
