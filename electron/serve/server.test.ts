import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDemoStore } from '../collector/demo.ts';
import { createHost, type Host } from '../host/host.ts';
import { type RunningServer, startServer } from './server.ts';
import { rawRequest } from './test-helpers.ts';

let dir: string;
let host: Host;
let server: RunningServer;
let storeId: string;
let auth: Record<string, string>;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'losslens-serve-'));
  await writeDemoStore({ out: path.join(dir, 'store'), params: 50, targets: 2, seed: 3, failRate: 0.05 });
  await fs.mkdir(path.join(dir, 'static'));
  await fs.writeFile(path.join(dir, 'static', 'index.html'), '<!doctype html><title>Losslens</title>');
  await fs.writeFile(path.join(dir, 'secret.txt'), 'outside the store');
  await fs.symlink(path.join(dir, 'secret.txt'), path.join(dir, 'store', 'link-out.txt'));
  host = createHost({ transport: 'http', crossOriginIsolation: true, pollMs: 50 });
  storeId = (await host.api.openStore({ path: path.join(dir, 'store') })).id;
  server = await startServer({ host, staticDir: path.join(dir, 'static') });
  auth = { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' };
});

afterAll(async () => {
  await server.close();
  await host.close();
  await fs.rm(dir, { recursive: true, force: true });
});

const shard = () => `/store/${storeId}/shards/part-demo-000000.parquet`;

describe('browser host: token', () => {
  it('refuses every route without the token, or with a wrong one', async () => {
    for (const p of ['/', '/api/listStores', shard(), '/api/events']) {
      expect((await rawRequest(server.port, p)).status).toBe(401);
      expect((await rawRequest(server.port, p, { headers: { Authorization: 'Bearer nope' } })).status).toBe(
        401,
      );
    }
    expect((await rawRequest(server.port, '/?token=wrong')).status).toBe(401);
  });

  it('lets the page in with ?token= and its later requests in with the cookie it sets', async () => {
    const page = await rawRequest(server.port, `/?token=${server.token}`);
    expect(page.status).toBe(200);
    expect(page.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    const cookie = String(page.headers['set-cookie']).split(';')[0]!;
    expect(cookie).toMatch(new RegExp(`^losslens_token_${server.port}=`));
    const res = await rawRequest(server.port, shard(), { method: 'HEAD', headers: { Cookie: cookie } });
    expect(res.status).toBe(200);
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const res = await rawRequest(server.port, '/api/listStores', {
      method: 'POST',
      headers: { ...auth, Host: 'evil.example:80' },
    });
    expect(res.status).toBe(403);
  });
});

describe('browser host: shard bytes', () => {
  it('serves byte ranges identical to the file on disk', async () => {
    const file = await fs.readFile(path.join(dir, 'store', 'shards', 'part-demo-000000.parquet'));
    const head = await rawRequest(server.port, shard(), { method: 'HEAD', headers: auth });
    expect(Number(head.headers['content-length'])).toBe(file.length);
    expect(head.headers['accept-ranges']).toBe('bytes');
    const tail = await rawRequest(server.port, shard(), { headers: { ...auth, Range: 'bytes=-8' } });
    expect(tail.status).toBe(206);
    expect(tail.body.equals(file.subarray(file.length - 8))).toBe(true);
    expect(tail.body.subarray(4).toString()).toBe('PAR1');
    const mid = await rawRequest(server.port, shard(), { headers: { ...auth, Range: 'bytes=100-199' } });
    expect(mid.headers['content-range']).toBe(`bytes 100-199/${file.length}`);
    expect(mid.body.equals(file.subarray(100, 200))).toBe(true);
    const beyond = await rawRequest(server.port, shard(), {
      headers: { ...auth, Range: `bytes=${file.length}-` },
    });
    expect(beyond.status).toBe(416);
  });

  it('refuses paths outside the opened stores', async () => {
    const attempts = [
      `/store/${storeId}/../secret.txt`,
      `/store/${storeId}/shards/../../secret.txt`,
      `/store/${storeId}/%2e%2e/secret.txt`,
      `/store/${storeId}/%2E%2E%2Fsecret.txt`,
      `/store/${storeId}/${encodeURIComponent(path.join(dir, 'secret.txt'))}`,
      `/store/${storeId}//etc/passwd`,
      `/store/${storeId}/link-out.txt`,
      `/store/0000000000000000/shards/part-demo-000000.parquet`,
      '/../secret.txt',
      '/%2e%2e/secret.txt',
    ];
    for (const p of attempts) {
      const res = await rawRequest(server.port, p, { headers: auth });
      expect(res.status, p).toBe(404);
      expect(res.body.toString(), p).not.toContain('outside the store');
    }
  });
});

describe('browser host: Api', () => {
  it('answers typed calls and names what is wrong with a bad one', async () => {
    const list = await rawRequest(server.port, '/api/listStores', {
      method: 'POST',
      headers: auth,
      body: '{}',
    });
    expect(JSON.parse(list.body.toString())[0].manifest.counts.rows).toBe(100);
    const bad = await rawRequest(server.port, '/api/openStore', {
      method: 'POST',
      headers: auth,
      body: '{}',
    });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body.toString()).error.message).toContain('path');
    const missing = await rawRequest(server.port, '/api/openStore', {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ path: dir }),
    });
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body.toString()).error.message).toContain(
      'holds loss store store: open it instead',
    );
  });

  it('pushes a store-updated event over SSE when a writer lists a new shard', async () => {
    const res = await fetch(`http://127.0.0.1:${server.port}/api/events`, { headers: auth });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    const events: { type: string; storeId: string; added: { path: string }[] }[] = [];
    let buffer = '';
    const firstShard = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value);
        const frames = buffer.split('\n\n');
        buffer = frames.pop() ?? '';
        for (const f of frames) if (f.startsWith('data: ')) events.push(JSON.parse(f.slice(6)));
        if (events.some((e) => e.added?.length)) return;
      }
    })();
    await writeDemoStore({
      out: path.join(dir, 'store'),
      params: 80,
      targets: 2,
      seed: 3,
      failRate: 0.05,
      setsPerShard: 50,
    });
    await firstShard;
    await reader.cancel();
    const event = events.find((e) => e.added?.length)!;
    expect(event.type).toBe('store-updated');
    expect(event.storeId).toBe(storeId);
    expect(event.added.map((s) => s.path)).toContain('shards/part-demo-000001.parquet');
  });
});
