import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDemoStore } from '../collector/demo.ts';
import { createHost, type Host } from './host.ts';
import { protocolHandler } from './protocol.ts';

let dir: string;
let host: Host;
let handle: (r: Request) => Promise<Response>;
let storeId: string;

beforeAll(async () => {
  dir = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'losslens-proto-')));
  await writeDemoStore({ out: path.join(dir, 'store'), params: 20, targets: 1, seed: 9, failRate: 0 });
  await fs.mkdir(path.join(dir, 'app'));
  await fs.writeFile(path.join(dir, 'app', 'index.html'), '<!doctype html>app');
  await fs.writeFile(path.join(dir, 'outside.txt'), 'secret');
  host = createHost({ transport: 'electron', crossOriginIsolation: true, watch: false });
  storeId = (await host.api.openStore({ path: path.join(dir, 'store') })).id;
  handle = protocolHandler(host, path.join(dir, 'app'), { 'X-Test': '1' });
});

afterAll(async () => {
  await host.close();
  await fs.rm(dir, { recursive: true, force: true });
});

describe('losslens:// protocol (Electron) as plain Request → Response', () => {
  it('serves the app and shard byte ranges with the given headers', async () => {
    const page = await handle(new Request('losslens://app/index.html'));
    expect(page.status).toBe(200);
    expect(await page.text()).toBe('<!doctype html>app');
    expect(page.headers.get('x-test')).toBe('1');
    const file = await fs.readFile(path.join(dir, 'store', 'shards', 'part-demo-000000.parquet'));
    const res = await handle(
      new Request(`losslens://app/store/${storeId}/shards/part-demo-000000.parquet`, {
        headers: { Range: 'bytes=-4' },
      }),
    );
    expect(res.status).toBe(206);
    expect(Buffer.from(await res.arrayBuffer()).toString()).toBe('PAR1');
    expect(res.headers.get('content-range')).toBe(
      `bytes ${file.length - 4}-${file.length - 1}/${file.length}`,
    );
  });

  it('refuses anything outside the renderer and the opened stores', async () => {
    for (const url of [
      `losslens://app/store/${storeId}/%2e%2e/outside.txt`,
      `losslens://app/store/${storeId}/..%2Foutside.txt`,
      'losslens://app/store/ffffffffffffffff/store.json',
      `losslens://store/${storeId}/store.json`,
      'losslens://app/%2e%2e/outside.txt',
      'losslens://elsewhere/outside.txt',
    ]) {
      const res = await handle(new Request(url));
      expect(res.status, url).toBe(404);
      expect(await res.text()).not.toContain('secret');
    }
  });
});
