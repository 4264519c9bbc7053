// The memory copy from a shard's whole bytes (registry.ts copyShard: fetched over real HTTP, read
// from a buffer, dropped): the rows in memory equal native DuckDB's over the same shards, and a
// shard whose bytes do not match the manifest's size is never copied (the view stays on shards).
import { promises as fs, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Manifest } from '../../shared/manifest.ts';
import { plainRows } from './arrow-rows.ts';
import type { SqlEngine } from './engine-types.ts';
import { ShardRegistry } from './registry.ts';
import { nativeReference, writeTiedStore } from './testing/fixtures.ts';
import { createNodeEngine } from './testing/node-engine.ts';

let dir: string;
let manifest: Manifest;
let server: Server;
let origin: string;
let base: SqlEngine;
let native: Awaited<ReturnType<typeof nativeReference>>;
const COLS = 'param_id, target, status, loss, "param_a""b", param_population';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'losslens-rc-'));
  const tied = await writeTiedStore(dir);
  // The manifest lists each shard's real size, as the collector writes it.
  const shards = await Promise.all(
    tied.shards.map(async (s) => ({ ...s, bytes: (await fs.stat(join(dir, s.path))).size })),
  );
  manifest = { ...tied, shards };
  server = createServer((req, res) => {
    void fs.readFile(join(dir, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname))).then(
      (b) => res.writeHead(200, { 'Content-Length': b.length }).end(req.method === 'HEAD' ? undefined : b),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  base = await createNodeEngine({ buffers: true });
  native = await nativeReference(dir, manifest);
});
afterAll(async () => {
  native.close();
  await base.close();
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** DuckDB-WASM's Node build reads registered URLs as local files; buffers as given. */
const engine = (): SqlEngine => ({
  ...base,
  bundle: base.bundle,
  query: (sql, o) => base.query(sql, o),
  registerFile: (name, url) => base.registerFile(name, join(dir, new URL(url).pathname)),
  dropFile: (name) => base.dropFile(name),
  registerBuffer: (name, bytes) => base.registerBuffer!(name, bytes),
});

it('copies each shard from its fetched bytes: the memory rows equal native DuckDB', async () => {
  const registry = new ShardRegistry(engine(), { shardUrl: (_id, p) => `${origin}/${p}` });
  await registry.sync({ id: 'st1', manifest });
  await registry.idle();
  expect(registry.mode).toBe('memory');
  const order = 'ORDER BY target, param_id';
  const got = plainRows(await base.query(`SELECT ${COLS} FROM losses ${order}`));
  const want = await native.rows(`SELECT ${COLS} FROM losses ${order}`);
  expect(got.length).toBeGreaterThan(100);
  expect(got.map((r) => JSON.stringify(r, (_, v) => (typeof v === 'bigint' ? Number(v) : v)))).toEqual(
    want.map((r) => JSON.stringify(r, (_, v) => (typeof v === 'bigint' ? Number(v) : v))),
  );
  registry.close();
});

it('never copies a shard whose bytes differ from the manifest: the view stays on the shards', async () => {
  const wrong = {
    ...manifest,
    shards: manifest.shards.map((s, i) => (i === 1 ? { ...s, bytes: s.bytes + 1 } : s)),
  };
  const registry = new ShardRegistry(engine(), { shardUrl: (_id, p) => `${origin}/${p}` });
  await registry.sync({ id: 'st2', manifest: wrong });
  await registry.idle();
  expect(registry.mode).toBe('shards');
  const [n] = plainRows(await base.query('SELECT count(*)::INTEGER AS n FROM losses'));
  const [want] = await native.rows('SELECT count(*)::INTEGER AS n FROM losses');
  expect(Number(n?.n)).toBe(Number(want?.n));
  registry.close();
});
