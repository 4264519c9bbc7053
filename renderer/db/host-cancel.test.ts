// Scrolling away from a page whose query is slow must stop that query on the host: the table's
// row cache (RowWindows) aborts the fetch, the host engine cancels it, the host interrupts it, and
// the page the user scrolled to is read. Were the abandoned query left running, the client's
// session on the host would stay busy for minutes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { writeDemoStore } from '../../electron/collector/demo.ts';
import { createHost, type Host } from '../../electron/host/host.ts';
import type { LossFilter } from '../../shared/query-types.ts';
import { RowWindows } from '../views/table/row-windows.ts';
import type { EarlySource } from './early-window.ts';
import type { SqlEngine } from './engine-types.ts';
import { HostEngine } from './host-engine.ts';
import { LossQueries } from './queries.ts';

let dir: string;
let host: Host;
let engine: HostEngine;
let storeId: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'losslens-hcancel-'));
  await writeDemoStore({ out: join(dir, 'store'), params: 300, targets: 2, seed: 9, failRate: 0.05 });
  host = createHost({
    transport: 'http',
    crossOriginIsolation: false,
    watch: false,
    dataDir: join(dir, 'data'),
  });
  storeId = (await host.api.openStore({ path: join(dir, 'store') })).id;
  engine = new HostEngine(host.api, storeId);
});

afterAll(async () => {
  await engine.close();
  await host.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A filter whose query runs for minutes (2·10^12 hashes before the first row). */
const SLOW: LossFilter = {
  where:
    'loss IS NOT NULL OR (SELECT count(*) FROM range(2000000000) t(i), range(1000) u(j) WHERE hash(i * 7 + j) = 0) > 0',
};

it('a page scrolled away from is cancelled on the host and the page scrolled to arrives', async () => {
  const queries = new LossQueries(engine);
  let updated = () => {};
  const errors: unknown[] = []; // an aborted page is not an error to show
  const windows = new RowWindows(
    () => updated(),
    100,
    16,
    (e) => errors.push(e),
  );
  const started: number[] = [];
  windows.reset((offset, limit, signal) => {
    started.push(offset);
    // The top of the table is slow to read; the rest is not.
    return queries.rowWindow(
      ['param_id', 'loss'],
      offset === 0 ? SLOW : {},
      null,
      offset,
      limit,
      600,
      signal,
    );
  });
  windows.request(0, 20, 600, 0);
  await new Promise((r) => setTimeout(r, 500)); // the slow query is running on the host
  const arrived = new Promise<void>((resolve) => {
    updated = () => windows.rowAt(500) !== undefined && resolve();
  });
  windows.request(500, 520, 600, 0);
  await arrived;
  expect(started).toEqual([0, 500]);
  expect(windows.rowAt(0)).toBeUndefined();
  expect(windows.rowAt(500)?.param_id).toBeTypeOf('string');
  expect(errors).toEqual([]);
  // Nothing is left running for this client on the host.
  const store = await host.native.storeFor(storeId);
  while ((await store.busySessions()) > 0) await new Promise((r) => setTimeout(r, 20));
  expect((await engine.query('SELECT 1 AS one')).numRows).toBe(1);
}, 60_000);

it('a page read from the shards’ heads (the first pages, before any count) is cancelled too', async () => {
  const store = (await host.api.listStores({})).find((s) => s.id === storeId)!;
  const early: EarlySource = {
    shards: store.manifest.shards.map((entry) => ({ name: join(store.path, entry.path), entry })),
  };
  const asked: { sql: string; signal: AbortSignal | undefined }[] = [];
  const spy: SqlEngine = {
    bundle: engine.bundle,
    query: (sql, o) => {
      asked.push({ sql, signal: o?.signal });
      return engine.query(sql, o);
    },
    registerFile: () => engine.registerFile(),
    dropFile: () => engine.dropFile(),
    close: async () => {},
  };
  const queries = new LossQueries(spy, () => early);
  // Answered from the heads when not aborted (the check that this is the head read).
  expect(await queries.rowWindow(['param_id', 'loss'], {}, null, 100, 100)).toHaveLength(100);
  expect(asked).toHaveLength(1);
  asked.length = 0;
  const abort = new AbortController();
  const page = queries.rowWindow(['param_id', 'loss'], {}, null, 100, 100, undefined, abort.signal);
  abort.abort();
  await expect(page).rejects.toThrow(/abort/);
  // The head read got the signal, and nothing ran after it for the page nobody wants.
  expect(asked.map((a) => a.signal)).toEqual([abort.signal]);
});
