// compact: same rows, fewer shards, each sorted by (target, loss); replaced files stay readable
// for the grace period; resume still skips everything that was collected.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { str } from '../../shared/sql.ts';
import { readManifest } from '../store/manifest-io.ts';
import { wantsCompaction } from './auto-compact.ts';
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
    const before = await collect({ sources: [view.dir], out, batchRows: 40, compact: false });
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
    expect((await collect({ sources: [view.dir], out, batchRows: 40, compact: false })).counts).toEqual(
      before.counts,
    );
    const again = await compactStore(out, { graceSeconds: 0, rowsPerShard: 600 });
    expect(again.deleted.length).toBe(before.shards.length);
    // Only the files this second compaction replaced are left besides the listed ones.
    const left = await fs.readdir(path.join(out, 'shards'));
    const expected = [...(await readManifest(out)).shards, ...after.shards].map((s) => path.basename(s.path));
    expect(left.sort()).toEqual([...new Set(expected)].sort());
  });

  it('cuts a target larger than a shard at loss quantiles: disjoint ranges in order, failed and missing last', async () => {
    const view = await writeViewsFixture(db.conn, {
      dir: path.join(root, 'job-big'),
      params: 900,
      targets: FIXTURE_TARGETS,
      dropEvery: 7,
      jobSpec: 'tasks',
    });
    const out = path.join(root, 'store-big');
    const before = await collect({ sources: [view.dir], out, batchRows: 50, compact: false });
    await db.conn.run(
      `CREATE TABLE before_big AS SELECT * EXCLUDE (collected_at) FROM ${await storeRelation(out)}`,
    );
    await compactStore(out, { rowsPerShard: 200, graceSeconds: 0 });
    const after = await readManifest(out);
    expect(after.counts).toEqual(before.counts);
    const [diff] = await db.rows(`SELECT
      (SELECT count(*) FROM (SELECT * FROM before_big EXCEPT ALL SELECT * EXCLUDE (collected_at) FROM ${await storeRelation(out)}))::INT AS a`);
    expect(diff!.a).toBe(0);
    expect(after.targets).toHaveLength(3);
    expect(after.shards.every((s) => s.rows > 0)).toBe(true);
    for (const { id: t } of after.targets) {
      const mine = after.shards.filter((s) => s.targets[t]);
      // 900 rows of each target in pieces of about 200 (approximate quantiles), one target each.
      expect(mine.length).toBeGreaterThanOrEqual(4);
      expect(mine.every((s) => Object.keys(s.targets).length === 1 && s.rows <= 400)).toBe(true);
      for (let i = 1; i < mine.length; i++) {
        expect(mine[i - 1]!.targets[t]!.max_loss!).toBeLessThan(mine[i]!.targets[t]!.min_loss!);
      }
      // Rows without a loss sort last: all in the target's last piece.
      const noLoss = mine.map((s) => s.targets[t]!.rows - s.targets[t]!.ok);
      const [src] = await db.rows(
        `SELECT count(*)::INT AS n FROM before_big WHERE target = ${str(t)} AND status <> 'ok'`,
      );
      expect(noLoss.at(-1)).toBe(src!.n);
      expect(noLoss.slice(0, -1).every((n) => n === 0)).toBe(true);
    }
  });

  it('runs at the end of a complete collect that wrote many small shards, unless told not to', async () => {
    const view = await writeViewsFixture(db.conn, {
      dir: path.join(root, 'job-auto'),
      params: 400,
      targets: FIXTURE_TARGETS,
    });
    // The same job with --no-compact keeps the shards it wrote.
    const kept = path.join(root, 'store-kept');
    const r = await runCli([
      'collect',
      view.dir,
      '--out',
      kept,
      '--batch-rows',
      '20',
      '--no-compact',
      '--progress',
      'none',
    ]);
    expect(r.code).toBe(0);
    const written = (await readManifest(kept)).shards.length;
    expect(written).toBeGreaterThan(60);
    const notes: string[] = [];
    const out = path.join(root, 'store-auto');
    const m = await collect({ sources: [view.dir], out, batchRows: 20 }, (e) => {
      if (e.phase === 'note' && e.message) notes.push(e.message);
    });
    expect(m.status).toBe('complete');
    expect(m.shards.length).toBe(1);
    expect(notes).toEqual([
      `compacting ${written} shards into about 1 (--no-compact leaves them)`,
      expect.stringMatching(new RegExp(`^compacted ${written} → 1 shards in [0-9.]+ s$`)),
    ]);
    const files = FIXTURE_TARGETS.map((t) => str(path.join(view.dir, 'targets', t, 'data.parquet')));
    const [cmp] = await db.rows(`SELECT (SELECT count(*) FROM ${await storeRelation(out)})::INT AS n,
      (SELECT count(*) FROM (SELECT param_id, loss FROM read_parquet([${files.join(', ')}])
        EXCEPT ALL SELECT param_id, loss FROM ${await storeRelation(out)}))::INT AS lost`);
    expect(cmp).toEqual({ n: 1200, lost: 0 });
  });

  it('is wanted for a complete store of many tiny shards, not for a views job of 60k-row shards', async () => {
    const m = await readManifest(path.join(root, 'store-kept'));
    const shard = m.shards.find((s) => s.rows > 0)!;
    const of = (n: number, rows: number, status = m.status) => ({
      ...m,
      status,
      shards: Array.from({ length: n }, (_, i) => ({ ...shard, seq: i, rows })),
      counts: { ...m.counts, rows: n * rows },
    });
    expect(wantsCompaction(of(100, 100))).toBe(true);
    expect(wantsCompaction(of(168, 60_000))).toBe(false);
    expect(wantsCompaction(of(20, 100))).toBe(false);
    expect(wantsCompaction(of(100, 100, 'collecting'))).toBe(false);
  });
});
