// The browser host against the attacks of issue 9, over real HTTP on loopback: another local page
// (same-site, other port), a second host in the same browser, special files as store.json,
// If-Range, names starting with `..`, and too many event streams.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDemoStore } from '../collector/demo.ts';
import { createHost, type Host } from '../host/host.ts';
import { MAX_EVENT_STREAMS, type RunningServer, startServer } from './server.ts';
import { rawRequest } from './test-helpers.ts';

let dir: string;
let host: Host;
let server: RunningServer;
let storeId: string;
let own: string;
const JSON_TYPE = { 'Content-Type': 'application/json' };

beforeAll(async () => {
  dir = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'losslens-sec-')));
  await writeDemoStore({ out: path.join(dir, 'store'), params: 30, targets: 1, seed: 5, failRate: 0 });
  await fs.mkdir(path.join(dir, 'static'));
  await fs.writeFile(path.join(dir, 'static', 'index.html'), '<!doctype html><title>Losslens</title>');
  host = createHost({ transport: 'http', crossOriginIsolation: true, watch: false });
  storeId = (await host.api.openStore({ path: path.join(dir, 'store') })).id;
  server = await startServer({ host, staticDir: path.join(dir, 'static') });
  own = `http://127.0.0.1:${server.port}`;
});

afterAll(async () => {
  await server.close();
  await host.close();
  await fs.rm(dir, { recursive: true, force: true });
});

const cookie = () => `losslens_token_${server.port}=${server.token}`;
const shard = () => `/store/${storeId}/shards/part-demo-000000.parquet`;
const listStores = (headers: Record<string, string>, body = '{}') =>
  rawRequest(server.port, '/api/listStores', { method: 'POST', headers, body });

describe('CSRF: only this host’s own origin may call the Api or read store bytes', () => {
  it('refuses a page at another loopback port, with the user’s cookie, in every shape', async () => {
    const evil = 'http://127.0.0.1:8888';
    const attempts: Record<string, string>[] = [
      { Cookie: cookie(), Origin: evil, 'Sec-Fetch-Site': 'same-site', ...JSON_TYPE },
      { Cookie: cookie(), Origin: evil, 'Content-Type': 'text/plain' },
      { Cookie: cookie(), 'Sec-Fetch-Site': 'same-site', ...JSON_TYPE },
      { Cookie: cookie(), 'Sec-Fetch-Site': 'cross-site', ...JSON_TYPE },
      { Cookie: cookie(), Origin: 'null', ...JSON_TYPE },
      { Cookie: cookie(), Origin: `http://localhost:${server.port}`, ...JSON_TYPE },
    ];
    for (const headers of attempts) {
      const close = await rawRequest(server.port, '/api/closeStore', {
        method: 'POST',
        headers,
        body: JSON.stringify({ storeId }),
      });
      expect(close.status, JSON.stringify(headers)).toBe(403);
      const bytes = await rawRequest(server.port, shard(), { headers: { ...headers, Range: 'bytes=-4' } });
      expect(bytes.status, JSON.stringify(headers)).toBe(403);
      const events = await rawRequest(server.port, '/api/events', { headers: { ...headers } });
      expect(events.status).toBe(403);
      const upload = await rawRequest(server.port, '/upload/0123456789abcdef/a.parquet', {
        method: 'PUT',
        headers,
        body: 'PAR1',
      });
      expect(upload.status).toBe(403);
      const download = await rawRequest(server.port, '/export/0123456789abcdef/x.csv', { headers });
      expect(download.status).toBe(403);
    }
    expect((await host.api.listStores({})).map((s) => s.id)).toEqual([storeId]);
  });

  it('refuses Api bodies that are not application/json (forms, text/plain), even same-origin', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; b=x']) {
      const res = await listStores({ Cookie: cookie(), Origin: own, 'Content-Type': type });
      expect(res.status, type).toBe(415);
      expect(JSON.parse(res.body.toString()).error.message).toContain('application/json');
    }
    expect((await listStores({ Cookie: cookie(), Origin: own })).status).toBe(415);
    // No body and no type (`curl -X POST` of an argument-free method) is not a form.
    const bare = await rawRequest(server.port, '/api/listStores', {
      method: 'POST',
      headers: { Authorization: `Bearer ${server.token}` },
    });
    expect(bare.status).toBe(200);
  });

  it('lets the page’s own requests and Bearer scripts through', async () => {
    const page = await listStores({
      Cookie: cookie(),
      Origin: own,
      'Sec-Fetch-Site': 'same-origin',
      ...JSON_TYPE,
    });
    expect(page.status).toBe(200);
    // DuckDB-WASM's worker: HEAD then Range GET, same-origin, no Origin header on GET.
    const head = await rawRequest(server.port, shard(), {
      method: 'HEAD',
      headers: { Cookie: cookie(), 'Sec-Fetch-Site': 'same-origin', 'Sec-Fetch-Mode': 'cors' },
    });
    expect(head.status).toBe(200);
    const tail = await rawRequest(server.port, shard(), {
      headers: { Cookie: cookie(), 'Sec-Fetch-Site': 'same-origin', Range: 'bytes=-4' },
    });
    expect(tail.body.toString()).toBe('PAR1');
    const script = await listStores({ Authorization: `Bearer ${server.token}`, ...JSON_TYPE });
    expect(JSON.parse(script.body.toString())[0].id).toBe(storeId);
    // A user following the printed link from another local page still gets the app.
    const nav = await rawRequest(server.port, `/?token=${server.token}`, {
      headers: { 'Sec-Fetch-Site': 'same-site', 'Sec-Fetch-Mode': 'navigate' },
    });
    expect(nav.status).toBe(200);
  });

  it('names stores by unguessable ids: not derived from the path, new on each open', async () => {
    const real = path.join(dir, 'store');
    expect(storeId).toMatch(/^[0-9a-f]{32}$/);
    expect(storeId).not.toBe(createHash('sha256').update(real).digest('hex').slice(0, 16));
    expect((await host.api.openStore({ path: real })).id).toBe(storeId); // idempotent while open
    const other = createHost({ transport: 'http', crossOriginIsolation: true, watch: false });
    // Two opens of one path at once (two tabs starting) still make one store.
    const [again, same] = await Promise.all([
      other.api.openStore({ path: real }),
      other.api.openStore({ path: `${real}/` }),
    ]);
    expect(same.id).toBe(again.id);
    expect((await other.api.listStores({})).length).toBe(1);
    await other.close();
    expect(again.id).not.toBe(storeId);
  });
});

describe('two hosts in one browser', () => {
  it('keep separate cookies, so starting a second does not log the first out', async () => {
    const second = await startServer({ host, staticDir: path.join(dir, 'static') });
    try {
      const jar = new Map<string, string>();
      for (const s of [server, second]) {
        const res = await rawRequest(s.port, `/?token=${s.token}`);
        const [pair] = String(res.headers['set-cookie']).split(';');
        const [name, value] = pair!.split('=');
        jar.set(name!, value!);
      }
      expect(jar.size).toBe(2);
      // A browser sends every 127.0.0.1 cookie to every port: both hosts get both.
      const both = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
      for (const s of [server, second]) {
        const res = await rawRequest(s.port, '/api/listStores', {
          method: 'POST',
          headers: { Cookie: both, ...JSON_TYPE },
          body: '{}',
        });
        expect(res.status, `port ${s.port}`).toBe(200);
      }
    } finally {
      await second.close();
    }
  });
});

describe('special files as store.json', () => {
  const open = (p: string) =>
    rawRequest(server.port, '/api/openStore', {
      method: 'POST',
      headers: { Authorization: `Bearer ${server.token}`, ...JSON_TYPE },
      body: JSON.stringify({ path: p }),
    });

  it('refuses a FIFO and /dev/zero at once, naming the file, while shards keep being served', async () => {
    const fifo = path.join(dir, 'fifo-store');
    await fs.mkdir(fifo);
    execFileSync('mkfifo', [path.join(fifo, 'store.json')]);
    const zero = path.join(dir, 'zero-store');
    await fs.mkdir(zero);
    await fs.symlink('/dev/zero', path.join(zero, 'store.json'));
    const rssBefore = process.memoryUsage().rss;
    const started = Date.now();
    // More calls than libuv has threads: a blocking open would tie them all up.
    const replies = await Promise.all([fifo, fifo, fifo, fifo, fifo, zero, zero].map(open));
    expect(Date.now() - started).toBeLessThan(5_000);
    for (const r of replies) expect(r.status).toBe(400);
    expect(JSON.parse(replies[0]!.body.toString()).error.message).toBe(
      `${path.join(fifo, 'store.json')} is a FIFO (named pipe), not a regular file`,
    );
    expect(JSON.parse(replies[6]!.body.toString()).error.message).toContain('a character device');
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(100 * 1024 * 1024);
    const tail = await rawRequest(server.port, shard(), {
      headers: { Authorization: `Bearer ${server.token}`, Range: 'bytes=-4' },
    });
    expect(tail.body.toString()).toBe('PAR1');
  });

  it('refuses a store.json over the size cap, saying how big it is', async () => {
    const big = path.join(dir, 'big-store');
    await fs.mkdir(big);
    const fh = await fs.open(path.join(big, 'store.json'), 'w');
    await fh.truncate(64 * 1024 * 1024 + 1); // sparse: costs no disk
    await fh.close();
    const res = await open(big);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body.toString()).error.message).toContain(`${64 * 1024 * 1024 + 1} bytes`);
  });
});

describe('shard bytes: names and validators', () => {
  const bearer = () => ({ Authorization: `Bearer ${server.token}` });

  it('serves a file whose name starts with `..` inside the store', async () => {
    await fs.writeFile(path.join(dir, 'store', '..hidden.parquet'), 'hidden but inside');
    const res = await rawRequest(server.port, `/store/${storeId}/..hidden.parquet`, {
      headers: bearer(),
    });
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe('hidden but inside');
  });

  it('honours If-Range: the range when the validator matches, the whole file when it does not', async () => {
    const file = await fs.readFile(path.join(dir, 'store', 'shards', 'part-demo-000000.parquet'));
    const head = await rawRequest(server.port, shard(), { method: 'HEAD', headers: bearer() });
    const etag = String(head.headers.etag);
    const lastModified = String(head.headers['last-modified']);
    const get = (ifRange: string) =>
      rawRequest(server.port, shard(), { headers: { ...bearer(), Range: 'bytes=0-3', 'If-Range': ifRange } });
    for (const ok of [etag, lastModified]) {
      const res = await get(ok);
      expect(res.status, ok).toBe(206);
      expect(res.body.toString()).toBe('PAR1');
    }
    for (const stale of ['"0-0"', `W/${etag}`, 'Thu, 01 Jan 1970 00:00:00 GMT']) {
      const res = await get(stale);
      expect(res.status, stale).toBe(200);
      expect(res.body.equals(file)).toBe(true);
    }
  });
});

describe('event streams', () => {
  it(`caps them at ${MAX_EVENT_STREAMS} per host (503 beyond) and frees a slot when one closes`, async () => {
    const controllers: AbortController[] = [];
    const openOne = async () => {
      const c = new AbortController();
      controllers.push(c);
      return fetch(`${own}/api/events`, {
        headers: { Authorization: `Bearer ${server.token}` },
        signal: c.signal,
      });
    };
    try {
      const open = await Promise.all(Array.from({ length: MAX_EVENT_STREAMS }, openOne));
      expect(open.every((r) => r.status === 200)).toBe(true);
      const extra = await openOne();
      expect(extra.status).toBe(503);
      controllers[0]!.abort();
      await expect.poll(async () => (await openOne()).status, { timeout: 5_000 }).toBe(200);
    } finally {
      for (const c of controllers) c.abort();
    }
  });
});
