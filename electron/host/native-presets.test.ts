// The host's pre-aggregated sets table on a real collector-built store as its shards land: built at
// open, rebuilt when the view gains shards, each equal to an independent GROUP BY on another native
// DuckDB over the same shards; a replaced table stays readable for its grace period, then goes; a
// client cannot drop it.
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { setsByGroupBy } from '../../renderer/db/testing/sets-reference.ts';
import { arrow } from '../../shared/arrow.ts';
import type { Manifest } from '../../shared/manifest.ts';
import { paramColumn } from '../../shared/schema.ts';
import { ident } from '../../shared/sql.ts';
import { type CollectedFixture, collectedFixture } from '../collector/testing/collected-fixture.ts';
import { FIXTURE_TARGETS } from '../collector/testing/fixtures.ts';
import { lossesSelect } from '../store/losses-view.ts';
import { defaultBudget } from './native-lockdown.ts';
import { NativeStore } from './native-store.ts';

const GRACE_MS = 400;
let store: string;
let manifest: Manifest;
let db: CollectedFixture['db'];
let fx: CollectedFixture;

beforeAll(async () => {
  fx = await collectedFixture('presets', {
    params: 300,
    dropEvery: 7,
    jobSpec: 'tasks',
    targets: FIXTURE_TARGETS.slice(0, 2),
    failedTargets: [FIXTURE_TARGETS[2]!],
  });
  ({ store, manifest, db } = fx);
});
afterAll(() => fx.close());

/** The first `n` shards of the store, as a manifest the view would show while they land. */
function firstShards(n: number): Manifest {
  return { ...manifest, shards: manifest.shards.slice(0, n) };
}

/** The independent GROUP BY over the shards `m` lists. */
async function reference(m: Manifest) {
  const files = m.shards.map((s) => path.join(store, s.path));
  await db.conn.run(`CREATE OR REPLACE VIEW losses AS ${lossesSelect(files, m.params)}`);
  const targets = m.targets.map((t) => t.id);
  return db.rows(
    setsByGroupBy(
      targets,
      m.params.map((p) => paramColumn(p.name)),
      '',
    ),
  );
}

/** The store's native instance showing `m`, with short waits (debounce, quiet, grace). */
const openShowing = (m: Manifest, id: string) =>
  NativeStore.open(store, m, defaultBudget(id), {
    debounceMs: 20,
    graceMs: GRACE_MS,
    quietMs: 20,
    maxWaitMs: 500,
  });

const rowsOf = (ipc: Uint8Array) =>
  arrow
    .tableFromIPC(ipc)
    .toArray()
    .map((r: { toJSON(): Record<string, unknown> }) => r.toJSON());

it('builds the sets table as shards land, equal to a GROUP BY each time; old tables go after the grace', async () => {
  expect(manifest.shards.length).toBeGreaterThan(10);
  const ns = await openShowing(firstShards(4), 'presets-test');
  try {
    const session = await ns.session('s1');
    const first = await ns.presetSets();
    expect(first?.targets).toEqual(manifest.targets.map((t) => t.id));
    const read = async (table: string) =>
      rowsOf(await session.run(`q-${table}`, `SELECT * FROM ${ident(table)} ORDER BY param_id`));
    const early = await read(first!.table);
    expect(early.length).toBeGreaterThan(0);
    expect(early).toEqual(await reference(firstShards(4)));

    // More shards land: the next table has every row, the replaced one is still readable for now.
    ns.update(manifest);
    const grown = await ns.presetSets();
    expect(grown?.table).not.toBe(first!.table);
    const all = await read(grown!.table);
    expect(all).toEqual(await reference(manifest));
    expect(all).not.toEqual(early);
    // Its ranges, as the page would read them: counted independently over the same rows.
    const t = manifest.targets[0]!.id;
    const [want] = await db.rows(
      `SELECT count(*) FILTER (WHERE status = 'ok' AND loss IS NOT NULL) AS n, min(loss) FILTER (WHERE status = 'ok') AS lo,
        max(loss) FILTER (WHERE status = 'ok') AS hi, count(*) FILTER (WHERE status = 'ok' AND loss > 0) AS n_pos,
        count(*) AS rows FROM losses WHERE target = '${t}'`,
    );
    const got = grown!.ranges.find((r) => r.target === t);
    expect(got).toMatchObject({
      n: Number(want!.n),
      lo: want!.lo,
      hi: want!.hi,
      nPos: Number(want!.n_pos),
      rows: Number(want!.rows),
    });
    expect(await read(first!.table)).toEqual(early);
    await new Promise((r) => setTimeout(r, GRACE_MS + 300));
    await expect(read(first!.table)).rejects.toThrow(/does not exist/);

    // Shared by every client: a page cannot drop it for the others.
    await expect(session.run('drop', `DROP TABLE IF EXISTS ${ident(grown!.table)}`)).rejects.toThrow(
      /pre-aggregates .* cannot be dropped/,
    );
    expect(await read(grown!.table)).toEqual(all);
  } finally {
    await ns.close();
  }
});

it('never hands out a table for rows the view no longer shows', async () => {
  const ns = await openShowing(firstShards(2), 'presets-test-2');
  try {
    // Asked while the rows change under it: the answer is for the latest rows (or none), never older.
    const asked = ns.presetSets();
    ns.update(firstShards(6));
    ns.update(manifest);
    const got = await asked;
    const latest = await ns.presetSets();
    expect(latest).not.toBeNull();
    if (got) expect(got.table).toBe(latest!.table);
    const session = await ns.session('s2');
    const rows = rowsOf(await session.run('all', `SELECT * FROM ${ident(latest!.table)} ORDER BY param_id`));
    expect(rows).toEqual(await reference(manifest));
  } finally {
    await ns.close();
  }
});

it('builds the first table at open without waiting for the pages to go quiet; a rebuild waits', async () => {
  // A 20 s wait for quiet: the build must not wait for it at open (a page busy with Ctrl+End and
  // sorts kept the Pivot tab's first click waiting 2.2 s for a build that had not started).
  const ns = await NativeStore.open(store, firstShards(4), defaultBudget('presets-test-3'), {
    debounceMs: 20,
    graceMs: GRACE_MS,
    quietMs: 20,
    maxWaitMs: 20_000,
  });
  const page = await ns.session('page');
  const other = await ns.session('other');
  const presets = async () =>
    rowsOf(
      await other.run(
        `t-${Math.random()}`,
        `SELECT table_name FROM duckdb_tables() WHERE table_name LIKE '__losslens_pre_sets%' ORDER BY table_name`,
      ),
    ).map((r) => String(r.table_name));
  // A page's query that runs until cancelled (2·10^12 hashes).
  let id = 0;
  const slow = () =>
    page
      .run(
        `slow-${++id}`,
        'SELECT count(*) FROM range(2000000000) t(i), range(1000) u(j) WHERE hash(i * 7 + j) = 0',
      )
      .catch(() => null);
  try {
    let running = slow();
    await expect.poll(presets, { timeout: 10_000 }).toHaveLength(1);
    const [first] = await presets();
    const others = async () => (await presets()).filter((n) => n !== first);
    page.cancel(`slow-${id}`);
    await running;

    // New rows while the page is busy: the rebuild waits for its quiet (the live store's case).
    running = slow();
    await new Promise((r) => setTimeout(r, 100));
    ns.update(manifest);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await others()).toEqual([]);
    page.cancel(`slow-${id}`);
    await running;
    await expect.poll(others, { timeout: 10_000 }).toHaveLength(1);
  } finally {
    await ns.close();
  }
});
