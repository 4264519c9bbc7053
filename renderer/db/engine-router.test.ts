// Derived tables are built on the host (preferHost) and stay there when WASM takes over the views:
// the Pivot tab reads the table the host built at open instead of waiting for a second build in
// WASM. Against a real host and its native DuckDB; WASM is a recorder (what it was asked is the point).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { writeDemoStore } from '../../electron/collector/demo.ts';
import { createHost, type Host } from '../../electron/host/host.ts';
import { num, plainRows } from './arrow-rows.ts';
import { EngineRouter } from './engine-router.ts';
import type { ArrowTable, SqlEngine } from './engine-types.ts';

let dir: string;
let host: Host;
const ids: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'losslens-router-'));
  host = createHost({
    transport: 'http',
    crossOriginIsolation: false,
    watch: false,
    dataDir: join(dir, 'data'),
  });
  for (const [i, params] of [120, 70].entries()) {
    const out = join(dir, `store-${i}`);
    await writeDemoStore({ out, params, targets: 2, seed: i + 3, failRate: 0 });
    ids.push((await host.api.openStore({ path: out })).id);
  }
});

afterAll(async () => {
  await host.close();
  rmSync(dir, { recursive: true, force: true });
});

function recorder(): SqlEngine & { asked: string[] } {
  const asked: string[] = [];
  const empty = { numRows: 0, schema: { fields: [] }, toArray: () => [], getChild: () => null } as ArrowTable;
  return {
    asked,
    bundle: 'wasm',
    query: async (sql) => {
      asked.push(sql);
      return empty;
    },
    registerFile: async () => {},
    dropFile: async () => {},
    close: async () => {},
  };
}

const count = async (router: EngineRouter, sql: string) => num(plainRows(await router.query(sql))[0]?.n);

it('keeps a table built on the host after WASM takes over, and lets it go with the store', async () => {
  const wasm = recorder();
  const router = new EngineRouter(wasm, host.api);
  router.routeToHost(ids[0]!);
  await router.query('CREATE OR REPLACE TEMP TABLE "t_sets" AS SELECT DISTINCT param_id FROM losses', {
    preferHost: true,
  });
  expect(router.routeToWasm(ids[0]!)).toBe(true);
  // The views' own queries now go to WASM; the host-built table is still read on the host.
  await router.query('SELECT count(*) FROM losses');
  expect(wasm.asked).toEqual(['SELECT count(*) FROM losses']);
  expect(await count(router, 'SELECT count(*) AS n FROM "t_sets"')).toBe(120);
  // A new derived table is built on the same host connection, beside the first.
  await router.query('CREATE OR REPLACE TEMP TABLE "t_two" AS SELECT * FROM "t_sets" LIMIT 2', {
    preferHost: true,
  });
  expect(await count(router, 'SELECT count(*) AS n FROM "t_two"')).toBe(2);
  expect(wasm.asked).toHaveLength(1);

  // Another store shown on WASM: its derived tables go to its own host engine.
  router.routeToWasm(ids[1]!);
  await router.query('CREATE OR REPLACE TEMP TABLE "u_sets" AS SELECT DISTINCT param_id FROM losses', {
    preferHost: true,
  });
  expect(await count(router, 'SELECT count(*) AS n FROM "u_sets"')).toBe(70);
  // Without a store to pin, preferHost falls back to WASM.
  router.routeToWasm();
  await router.query('SELECT 42', { preferHost: true });
  expect(wasm.asked.at(-1)).toBe('SELECT 42');
  await router.close();
});

it('closing the page’s host connections stops a build it left running there', async () => {
  const router = new EngineRouter(recorder(), host.api);
  router.routeToHost(ids[0]!);
  const slow = router
    .query(
      `CREATE OR REPLACE TEMP TABLE "t_slow" AS SELECT count(*) AS n FROM range(2000000000) t(i), range(1000) u(j) WHERE hash(i * 7 + j) = 0`,
      { preferHost: true },
    )
    .catch((e: unknown) => e);
  const store = await host.native.storeFor(ids[0]!);
  while ((await store.busySessions()) === 0) await new Promise((r) => setTimeout(r, 20));
  await router.closeHost();
  expect(await store.busySessions()).toBe(0);
  expect(await slow).toBeInstanceOf(Error);
}, 30_000);

it('is not quiet while a view waits for the host’s pre-aggregate, so background work waits too', async () => {
  // The host's build held until released: the pre-aggregate call stays pending meanwhile.
  let release: () => void = () => {};
  const held = new Promise<void>((r) => {
    release = r;
  });
  const api = {
    ...host.api,
    preaggregates: async (req: Parameters<typeof host.api.preaggregates>[0]) => {
      await held;
      return host.api.preaggregates(req);
    },
  };
  const router = new EngineRouter(recorder(), api);
  router.routeToHost(ids[0]!);
  const waiting = router.hostPresets();
  let quiet = false;
  const q = router.whenQuiet(50, 10).then(() => {
    quiet = true;
  });
  await new Promise((r) => setTimeout(r, 300));
  expect(quiet).toBe(false);
  release();
  expect((await waiting)?.table).toMatch(/^__losslens_pre_sets_/);
  await q;
  expect(quiet).toBe(true);
  await router.closeHost();
});
