// The saved copy of a finished store's sets table: written after the first open's build, read by
// the next open (a new native instance, as after a restart) instead of building, equal each time to
// an independent GROUP BY over the same shards; never read for other rows, never written while the
// store is still collecting, rebuilt when unreadable; and no other store's copies are readable.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { setsByGroupBy } from '../../renderer/db/testing/sets-reference.ts';
import { arrow } from '../../shared/arrow.ts';
import type { Manifest } from '../../shared/manifest.ts';
import { paramColumn } from '../../shared/schema.ts';
import { setsSelect } from '../../shared/sets-sql.ts';
import { ident, str } from '../../shared/sql.ts';
import { type CollectedFixture, collectedFixture } from '../collector/testing/collected-fixture.ts';
import { FIXTURE_TARGETS } from '../collector/testing/fixtures.ts';
import { lossesSelect } from '../store/losses-view.ts';
import { defaultBudget } from './native-lockdown.ts';
import { StorePresets } from './native-presets.ts';
import { NativeStore } from './native-store.ts';
import { PresetCache, presetDir } from './preset-cache.ts';

let dir: string;
let store: string;
let root: string;
let manifest: Manifest;
let db: CollectedFixture['db'];
let fx: CollectedFixture;

beforeAll(async () => {
  fx = await collectedFixture('preset-cache', { params: 200, dropEvery: 7, targets: FIXTURE_TARGETS });
  ({ dir, store, manifest, db } = fx);
  root = path.join(dir, 'presets');
});
afterAll(() => fx.close());

async function reference(m: Manifest) {
  const files = m.shards.map((s) => path.join(store, s.path));
  await db.conn.run(`CREATE OR REPLACE VIEW losses AS ${lossesSelect(files, m.params)}`);
  return db.rows(
    setsByGroupBy(
      m.targets.map((t) => t.id),
      m.params.map((p) => paramColumn(p.name)),
      '',
    ),
  );
}

const cacheDir = () => presetDir(root, store);
const timing = { debounceMs: 20, graceMs: 400, quietMs: 20, maxWaitMs: 300, saveQuietMs: 20 };
let opened = 0;
const open = (m: Manifest) => NativeStore.open(store, m, defaultBudget(`pc-${++opened}`), timing, cacheDir());
const savedFiles = async () =>
  (await fs.readdir(cacheDir()).catch(() => [])).filter((n) => n.endsWith('.parquet'));
const fileFor = (m: Manifest) =>
  new PresetCache(cacheDir()).file(
    m,
    setsSelect(
      m.targets.map((t) => t.id),
      m.params.map((p) => paramColumn(p.name)),
      {},
    ),
  );

async function tableRows(ns: NativeStore, table: string) {
  const session = await ns.session('reader');
  const ipc = await session.run(`read-${table}`, `SELECT * FROM ${ident(table)} ORDER BY param_id`);
  return arrow
    .tableFromIPC(ipc)
    .toArray()
    .map((r: { toJSON(): Record<string, unknown> }) => r.toJSON());
}

/** Open, take the sets table (checked against the GROUP BY), close once any save is done. */
async function openAndRead(m: Manifest, waitForFile: string | null) {
  const ns = await open(m);
  try {
    const sets = await ns.presetSets();
    expect(sets).not.toBeNull();
    expect(await tableRows(ns, sets!.table)).toEqual(await reference(m));
    if (waitForFile)
      await expect
        .poll(() =>
          fs.stat(waitForFile).then(
            () => true,
            () => false,
          ),
        )
        .toBe(true);
    return sets!;
  } finally {
    await ns.close();
  }
}

it('saves a finished store’s table and reads it back on the next open; other rows are built', async () => {
  expect(manifest.status).toBe('complete');
  const first = await openAndRead(manifest, fileFor(manifest));
  expect(first.saved).toBe(false);
  expect(await savedFiles()).toEqual([path.basename(fileFor(manifest))]);

  // A new instance (as after a restart) reads the copy instead of building: the same rows.
  const again = await openAndRead(manifest, null);
  expect(again.saved).toBe(true);
  expect(again.ranges).toEqual(first.ranges);

  // Fewer shards are other rows: built, never the saved copy; then the only copy kept.
  const fewer = { ...manifest, shards: manifest.shards.slice(0, 3) };
  const other = await openAndRead(fewer, fileFor(fewer));
  expect(other.saved).toBe(false);
  await expect.poll(savedFiles).toEqual([path.basename(fileFor(fewer))]);
});

it('writes the copy only once the pages have gone quiet (it takes both cores for seconds)', async () => {
  await fs.rm(cacheDir(), { recursive: true, force: true });
  const ns = await NativeStore.open(
    store,
    manifest,
    defaultBudget(`pc-${++opened}`),
    { ...timing, maxWaitMs: 20_000 },
    cacheDir(),
  );
  try {
    const page = await ns.session('page');
    // A page's query that runs until cancelled (2·10^12 hashes).
    const slow = page
      .run('slow', 'SELECT count(*) FROM range(2000000000) t(i), range(1000) u(j) WHERE hash(i * 7 + j) = 0')
      .catch(() => null);
    await new Promise((r) => setTimeout(r, 100));
    expect(await ns.presetSets()).not.toBeNull(); // the page asked: built at once
    await new Promise((r) => setTimeout(r, 800));
    expect(await savedFiles()).toEqual([]); // …but not written while the page's query runs
    page.cancel('slow');
    await slow;
    await expect.poll(savedFiles, { timeout: 10_000 }).toEqual([path.basename(fileFor(manifest))]);
  } finally {
    await ns.close();
  }
});

it('does not save a store still collecting', async () => {
  await fs.rm(cacheDir(), { recursive: true, force: true });
  const live: Manifest = { ...manifest, status: 'collecting' };
  const sets = await openAndRead(live, null);
  expect(sets.saved).toBe(false);
  await new Promise((r) => setTimeout(r, 300));
  expect(await savedFiles()).toEqual([]);
});

it('rebuilds (and replaces) a saved copy it cannot read', async () => {
  await fs.mkdir(cacheDir(), { recursive: true });
  await fs.writeFile(fileFor(manifest), 'not parquet');
  const ns = await open(manifest); // kept open: the copy is written once the pages are quiet
  try {
    const sets = await ns.presetSets();
    expect(sets?.saved).toBe(false);
    expect(await tableRows(ns, sets!.table)).toEqual(await reference(manifest));
    await expect
      .poll(async () => (await fs.readFile(fileFor(manifest))).subarray(0, 4).toString())
      .toBe('PAR1');
  } finally {
    await ns.close();
  }
});

it('gives a page no way to read another store’s saved copies', async () => {
  const elsewhere = presetDir(root, path.join(dir, 'another-store'));
  await fs.mkdir(elsewhere, { recursive: true });
  const foreign = path.join(elsewhere, 'sets-x.parquet');
  await db.conn.run(`COPY (SELECT 1 AS secret) TO ${str(foreign)} (FORMAT parquet)`);
  const ns = await open(manifest);
  try {
    const session = await ns.session('page');
    await expect(session.run('peek', `SELECT * FROM read_parquet(${str(foreign)})`)).rejects.toThrow(
      /Permission Error|not allowed|disabled/i,
    );
  } finally {
    await ns.close();
  }
});

it('answers without saving when the data folder cannot be written', async () => {
  const blocked = path.join(dir, 'a-file');
  await fs.writeFile(blocked, 'not a folder');
  const ns = await NativeStore.open(
    store,
    manifest,
    defaultBudget('pc-blocked'),
    timing,
    presetDir(blocked, store),
  );
  try {
    const sets = await ns.presetSets();
    expect(sets?.saved).toBe(false);
    expect(await tableRows(ns, sets!.table)).toEqual(await reference(manifest));
  } finally {
    await ns.close();
  }
});

/** A cache whose first save runs long (a 10M-row store's takes seconds of both cores). */
class SlowFirstSave extends PresetCache {
  attempts = 0;
  failures = 0;
  private begin!: () => void;
  readonly started = new Promise<void>((r) => (this.begin = r));
  override async save(conn: DuckDBConnection, table: string, file: string): Promise<void> {
    this.attempts++;
    try {
      if (this.attempts === 1) {
        this.begin();
        await conn.run(
          'SELECT count(*) FROM range(2000000000) t(i), range(1000) u(j) WHERE hash(i * 7 + j) = 0',
        );
      }
      await super.save(conn, table, file);
    } catch (e) {
      this.failures++;
      throw e;
    }
  }
}

it('stops a save under way when a page queries, and writes the copy at the next quiet', async () => {
  await fs.rm(cacheDir(), { recursive: true, force: true });
  const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
  const conn = await instance.connect();
  const files = manifest.shards.map((s) => path.join(store, s.path));
  await conn.run(`CREATE VIEW losses AS ${lossesSelect(files, manifest.params)}`);
  let busy = false;
  const cache = new SlowFirstSave(cacheDir());
  const presets = new StorePresets(instance, () => busy, timing, cache);
  try {
    presets.viewChanged(manifest);
    expect(await presets.sets()).not.toBeNull();
    await cache.started;
    busy = true; // a page's query arrives while the copy is being written
    await expect.poll(() => cache.failures, { timeout: 5_000 }).toBe(1);
    await new Promise((r) => setTimeout(r, 200));
    expect(cache.attempts).toBe(1); // not tried again while the page is busy
    expect(await savedFiles()).toEqual([]);
    busy = false;
    await expect.poll(savedFiles, { timeout: 5_000 }).toEqual([path.basename(fileFor(manifest))]);
    expect(cache.attempts).toBe(2);
  } finally {
    await presets.close();
    conn.closeSync();
    instance.closeSync();
  }
});
