// A shard store.json lists but the disk lost (deleted, truncated, corrupt): `info` and `compact`
// name it and what to do instead of DuckDB's raw "IO Error", and `collect` re-run on the same
// source collects its rows again, ending with exactly the rows of an undamaged store (real CLI
// child processes; rows compared by native DuckDB).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readManifest } from '../store/manifest-io.ts';
import { FIXTURE_TARGETS, type ViewsFixture, writeViewsFixture } from './testing/fixtures.ts';
import { openTestDuck, runCli, storeRelation, tempDir } from './testing/helpers.ts';

let db: Awaited<ReturnType<typeof openTestDuck>>;
let root: string;
let view: ViewsFixture;
let reference: string;
const ARGS = ['--batch-rows', '80', '--progress', 'plain'];

beforeAll(async () => {
  db = await openTestDuck();
  root = await tempDir('shard-health');
  view = await writeViewsFixture(db.conn, {
    dir: path.join(root, 'job'),
    params: 300,
    targets: FIXTURE_TARGETS,
    dropEvery: 11,
    jobSpec: 'tasks',
  });
  reference = path.join(root, 'reference');
  expect((await runCli(['collect', view.dir, '--out', reference, ...ARGS])).code).toBe(0);
});
afterAll(() => db.close());

/** Rows in one store and not the other (both ways) and duplicate (param_id, target) pairs. */
async function difference(store: string): Promise<{ extra: number; lost: number; dups: number }> {
  const a = `(SELECT * EXCLUDE (collected_at) FROM ${await storeRelation(store)})`;
  const b = `(SELECT * EXCLUDE (collected_at) FROM ${await storeRelation(reference)})`;
  const [r] = await db.rows(`SELECT
    (SELECT count(*) FROM (SELECT * FROM ${a} EXCEPT ALL SELECT * FROM ${b}))::INT AS extra,
    (SELECT count(*) FROM (SELECT * FROM ${b} EXCEPT ALL SELECT * FROM ${a}))::INT AS lost,
    (SELECT count(*) - count(DISTINCT (param_id, target)) FROM ${a})::INT AS dups`);
  return r as { extra: number; lost: number; dups: number };
}

async function copyOf(name: string): Promise<string> {
  const out = path.join(root, name);
  await fs.cp(reference, out, { recursive: true });
  return out;
}

describe('a listed shard missing or damaged on disk', () => {
  it('info names the missing shard and what to do, and still reports the rest', async () => {
    const store = await copyOf('info-missing');
    const m = await readManifest(store);
    const victim = m.shards[2]!;
    await fs.rm(path.join(store, victim.path));
    const r = await runCli(['info', store]);
    expect(r.stderr).not.toContain('IO Error');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${victim.path} is missing`);
    expect(r.stdout).toContain('re-run the same collect command');
    // The rest is still reported: best losses over the readable shards, computed independently.
    const info = JSON.parse((await runCli(['info', store, '--json'])).stdout) as {
      problems: { path: string }[];
      targets: { id: string; best_loss: number | null }[];
    };
    expect(info.problems.map((p) => p.path)).toEqual([victim.path]);
    const files = m.shards
      .filter((s) => s !== victim && s.rows > 0)
      .map((s) => `'${path.join(store, s.path)}'`);
    const best = await db.rows(
      `SELECT target, min(loss) AS best FROM read_parquet([${files.join(', ')}]) WHERE status = 'ok' GROUP BY target`,
    );
    for (const b of best) {
      expect(info.targets.find((t) => t.id === b.target)?.best_loss).toBe(b.best);
    }
  });

  it('info finds a shard corrupt inside (same size, trailer intact) and names it', async () => {
    const store = await copyOf('info-corrupt');
    const victim = (await readManifest(store)).shards[1]!;
    const file = path.join(store, victim.path);
    const bytes = await fs.readFile(file);
    bytes.fill(0x55, 4, Math.floor(bytes.length / 2));
    await fs.writeFile(file, bytes);
    const r = await runCli(['info', store]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${victim.path} is corrupt`);
    expect(r.stdout).toMatch(/targets\n {2}\S+: \d+ ok/);
  });

  it('compact refuses with the shard named instead of "IO Error: No files found"', async () => {
    const store = await copyOf('compact-missing');
    const victim = (await readManifest(store)).shards[0]!;
    await fs.rm(path.join(store, victim.path));
    const r = await runCli(['compact', store]);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toContain('No files found');
    expect(r.stderr).toContain(`${victim.path} is missing`);
    expect(r.stderr).toContain('re-run the same collect command');
    expect((await readManifest(store)).shards.map((s) => s.path)).toContain(victim.path);
  });

  it('collect re-run re-collects the rows of deleted and truncated shards, exactly once', async () => {
    const store = await copyOf('recollect');
    const m = await readManifest(store);
    const [gone, cut] = [m.shards[3]!, m.shards[7]!];
    await fs.rm(path.join(store, gone.path));
    await fs.truncate(path.join(store, cut.path), 100);
    const r = await runCli(['collect', view.dir, '--out', store, ...ARGS]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`${gone.path} is missing`);
    expect(r.stderr).toContain(`${cut.path} is corrupt`);
    const after = await readManifest(store);
    expect(after.status).toBe('complete');
    expect(after.shards.map((s) => s.path)).not.toContain(gone.path);
    expect(after.counts).toEqual(m.counts);
    expect(after.warnings.find((w) => w.code === 'shards_recollected')?.examples.join(' ')).toContain(
      gone.path,
    );
    expect(await difference(store)).toEqual({ extra: 0, lost: 0, dups: 0 });
  });

  it('a compacted store missing one of its shards is re-collected exactly (the shards share input keys)', async () => {
    const store = await copyOf('recollect-compacted');
    expect((await runCli(['compact', store, '--rows-per-shard', '100'])).code).toBe(0);
    const compacted = await readManifest(store);
    expect(compacted.shards.length).toBeGreaterThanOrEqual(2);
    // Not the first shard: that one carries every input key; losing another must not lose rows.
    await fs.rm(path.join(store, compacted.shards[1]!.path));
    expect((await runCli(['collect', view.dir, '--out', store, ...ARGS])).code).toBe(0);
    expect(await difference(store)).toEqual({ extra: 0, lost: 0, dups: 0 });
    expect((await readManifest(store)).counts).toEqual((await readManifest(reference)).counts);
  });
});
