// A live store's count never goes back: the host answers with the newest manifest, so the switch
// to DuckDB-WASM's memory copy must wait until that copy holds the same shards. (CI, a Dask study
// streaming in: the table showed 406 rows, then 388 — the copy of an older manifest took over.)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, onTestFinished } from 'vitest';
import { openDuck } from '../../electron/collector/duck.ts';
import { StoreWriter } from '../../electron/collector/store-writer.ts';
import { createHost, type Host } from '../../electron/host/host.ts';
import type { ApiClient } from '../../shared/api.ts';
import type { LossRow } from '../../shared/schema.ts';
import type { SqlEngine } from '../db/engine-types.ts';
import { createNodeEngine } from '../db/testing/node-engine.ts';
import { Session, type SessionOptions } from './session.ts';

const TARGETS = ['t_a', 't_b'];
let dir: string;
let host: Host;
let base: SqlEngine;

function rows(from: number, to: number): LossRow[] {
  const out: LossRow[] = [];
  for (let i = from; i < to; i++)
    for (const target of TARGETS)
      out.push({
        job_id: 'job-live',
        param_id: `p${String(i).padStart(4, '0')}`,
        target,
        target_entrypoint: `t:${target}`,
        status: 'ok',
        loss: i / 7,
        n_replicates: 1,
        seeds: [BigInt(i)],
        params: { x: i / 3 },
        diagnostics: null,
        diagnostics_truncated: false,
        error_type: null,
        error_message: null,
        collected_at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
      });
  return out;
}

/** A store written commit by commit by the collector's own writer, as a live collect does. */
async function liveStore(name: string) {
  const storeDir = join(dir, name);
  const duck = await openDuck({ memoryLimit: '256MB' });
  const writer = await StoreWriter.open({
    duck,
    storeDir,
    writerId: 'live',
    jobId: 'job-live',
    source: { kind: 'demo', path: 'demo:live' },
    params: [{ name: 'x', type: 'DOUBLE' }],
    targets: TARGETS.map((id) => ({ id, entrypoint: `t:${id}` })),
  });
  onTestFinished(() => {
    writer.close();
    duck.close();
  });
  return { storeDir, writer };
}

/** DuckDB-WASM's Node build with the statements matching `pattern` held while `hold()` is on. */
function holding(pattern: RegExp) {
  let gate: Promise<void> | null = null;
  let open: () => void = () => {};
  const h = {
    held: 0,
    hold() {
      gate = new Promise<void>((r) => {
        open = r;
      });
    },
    release() {
      gate = null;
      open();
    },
    engine: {
      ...base,
      query: async (sql, o) => {
        if (gate && pattern.test(sql)) {
          h.held++;
          await gate;
        }
        return base.query(sql, o);
      },
    } satisfies SqlEngine,
  };
  return h;
}

/** A session over the host's Api (each host query's SQL to `sent`, when given), disposed after the test. */
function sessionOver(storeDir: string, wasm: SqlEngine, options: SessionOptions, sent?: string[]): Session {
  const api = {
    ...host.api,
    query: (req: Parameters<typeof host.api.query>[0]) => (sent?.push(req.sql), host.api.query(req)),
    subscribe: host.subscribe,
    shardUrl: (_id: string, p: string) => join(storeDir, p),
  };
  const session = new Session(api satisfies ApiClient, wasm, options);
  onTestFinished(() => session.dispose());
  return session;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'losslens-route-'));
  base = await createNodeEngine();
  host = createHost({
    transport: 'http',
    crossOriginIsolation: false,
    watch: true,
    pollMs: 20,
    dataDir: join(dir, 'data'),
  });
}, 60_000);

afterAll(async () => {
  await base?.close();
  await host?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('stays on the host until the memory copy holds the newest manifest, so the count never drops', async () => {
  const { storeDir, writer } = await liveStore('store');
  // The copy into memory waits here until the store has grown past what it is copying.
  const wasm = holding(/^\s*INSERT INTO/i);
  wasm.hold();
  const session = sessionOver(storeDir, wasm.engine, { hostQuery: true, memoryRows: 1_000_000 });
  await writer.writeRows(rows(0, 40), ['b0']);
  await host.api.openStore({ path: storeDir });
  await session.start(null);
  expect(session.engine.onHost).toBe(true);
  await expect.poll(() => wasm.held).toBe(1);

  // The collector commits again while the first shard is being copied: the host shows it.
  await writer.writeRows(rows(40, 100), ['b1']);
  await expect.poll(() => session.snapshot.store?.manifest.shards.length, { timeout: 5000 }).toBe(2);
  expect(await session.queries.count({})).toBe(200);

  // Every data version from here on is counted by the engine answering at that moment.
  const seen: Promise<number>[] = [];
  let version = session.snapshot.dataVersion;
  const stop = session.subscribe(() => {
    if (session.snapshot.dataVersion === version) return;
    version = session.snapshot.dataVersion;
    seen.push(session.queries.count({}));
  });
  wasm.release();
  await expect.poll(() => session.engine.onHost, { timeout: 10_000 }).toBe(false);
  await session.idle();
  stop();
  const counts = await Promise.all(seen);
  expect(counts.length).toBeGreaterThan(0);
  expect(
    counts.filter((n) => n < 200),
    `counts seen: ${counts.join(', ')}`,
  ).toEqual([]);
  expect(await session.queries.count({})).toBe(200);
}, 60_000);

it('totals only what the view holds: a commit landing while an older one is registered waits its turn (WASM only)', async () => {
  const { storeDir, writer } = await liveStore('store-wasm');
  // Registering a shard (its footer read) can be held, so a later commit's event arrives first.
  const wasm = holding(/^SELECT count\(\*\) FROM read_parquet/);
  const session = sessionOver(storeDir, wasm.engine, { memoryRows: 1_000_000 });
  await writer.writeRows(rows(0, 40), ['b0']);
  const opened = await host.api.openStore({ path: storeDir });
  await session.start(opened.path);
  await session.idle();
  expect(session.snapshot.view?.shards.length).toBe(1);

  wasm.hold();
  await writer.writeRows(rows(40, 70), ['b1']);
  await expect.poll(() => wasm.held, { timeout: 5000 }).toBe(1);
  await writer.writeRows(rows(70, 100), ['b2']);
  await expect.poll(() => session.snapshot.store?.manifest.shards.length, { timeout: 5000 }).toBe(3);
  // The newest manifest is known, the view still holds one shard: its totals are the view's.
  expect(session.snapshot.view?.shards.length).toBe(1);

  // From here every data version's count is paired with the totals shown beside it.
  const pairs: Promise<[number, number | undefined]>[] = [];
  const shardsSeen: [number, number][] = [];
  let version = session.snapshot.dataVersion;
  const stop = session.subscribe(() => {
    const snap = session.snapshot;
    shardsSeen.push([snap.shards, snap.view?.shards.length ?? -1]);
    if (snap.dataVersion === version) return;
    version = snap.dataVersion;
    const total = snap.view?.counts.rows;
    pairs.push(session.queries.count({}).then((n) => [n, total]));
  });
  wasm.release();
  await expect.poll(() => session.snapshot.view?.shards.length, { timeout: 10_000 }).toBe(3);
  await session.idle();
  stop();
  const counted = await Promise.all(pairs);
  expect(counted.length).toBeGreaterThan(0);
  for (const [n, total] of counted) expect(n, `counts, totals: ${JSON.stringify(counted)}`).toBe(total);
  expect(shardsSeen.filter(([x, y]) => x > y)).toEqual([]);
  expect(await session.queries.count({})).toBe(200);
}, 60_000);

it('is settled only once the background warm-up under way has finished (benchmarks time builds alone)', async () => {
  const { storeDir, writer } = await liveStore('warm');
  const wasm = holding(/GROUPING SETS/i); // the Parameters tab's profile stats, part of the warm-up
  wasm.hold();
  const session = sessionOver(storeDir, wasm.engine, { hostQuery: false, memoryRows: 1_000_000 });
  onTestFinished(() => wasm.release());
  await writer.writeRows(rows(0, 40), ['w0']);
  await host.api.openStore({ path: storeDir });
  await session.start(null);
  await expect.poll(() => wasm.held, { timeout: 10_000 }).toBeGreaterThan(0);
  let settled = false;
  const done = session.settled().then(() => (settled = true));
  await new Promise((r) => setTimeout(r, 300));
  expect(settled).toBe(false);
  wasm.release();
  await done;
  expect(settled).toBe(true);
}, 60_000);

it('is settled only once the warm-up of a store the host answers has run (it waits for the first rows and a quiet)', async () => {
  const { storeDir, writer } = await liveStore('warm-host');
  const sent: string[] = [];
  // Above the memory copy: the host answers every view, and the warm-up waits for the first rows.
  const session = sessionOver(storeDir, base, { hostQuery: true, memoryRows: 0 }, sent);
  await writer.writeRows(rows(0, 40), ['h0']);
  await host.api.openStore({ path: storeDir });
  await session.start(null);
  expect(session.engine.onHost).toBe(true);
  await session.settled();
  // The Parameters tab's profile stats are part of the warm-up: run by the time it is settled.
  expect(sent.some((s) => /GROUPING SETS/i.test(s))).toBe(true);
}, 60_000);
