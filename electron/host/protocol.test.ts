import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDemoStore } from '../collector/demo.ts';
import { createHost, type Host } from './host.ts';
import { protocolHandler } from './protocol.ts';

// The test measures what reads hold, so it collects garbage itself.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

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

  it('streams full reads: 50 at once do not hold 50 copies of the file in memory', async () => {
    const size = 16 * 1024 * 1024;
    await fs.writeFile(path.join(dir, 'store', 'big.bin'), Buffer.alloc(size, 7));
    const url = `losslens://app/store/${storeId}/big.bin`;
    gc();
    const before = process.memoryUsage();
    let peak = before.rss;
    let held = 0;
    // Collect garbage while sampling: what is measured is what the reads hold, not chunks already
    // read and dropped.
    const sample = setInterval(() => {
      gc();
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 25);
    try {
      // All 50 responses exist before any body is read, as when DuckDB's reads overlap.
      const responses = await Promise.all(Array.from({ length: 50 }, () => handle(new Request(url))));
      const readers = responses.map((r) => r.body!.getReader());
      const read = async (reader: (typeof readers)[number], upTo: number, from: number) => {
        let n = from;
        while (n < upTo) {
          const { value, done } = await reader.read();
          if (done) break;
          n += value.length;
        }
        return n;
      };
      // Every reader half-way through at once: the held memory is now what streaming holds.
      const halves = await Promise.all(readers.map((r) => read(r, size / 2, 0)));
      gc();
      held = process.memoryUsage().arrayBuffers - before.arrayBuffers;
      peak = Math.max(peak, process.memoryUsage().rss);
      const lengths = await Promise.all(readers.map((r, i) => read(r, Infinity, halves[i]!)));
      expect(lengths).toEqual(Array(50).fill(size));
      // 50 whole copies would be 800 MB; streams hold their read-ahead per reader (~1 MB each
      // here, more when the machine is loaded: 47 MB once in CI against a 40 MB bound).
      expect(held).toBeLessThan((size * 50) / 8);
    } finally {
      clearInterval(sample);
    }
    expect(peak - before.rss).toBeLessThan((size * 50) / 4);
  });

  it('honours If-Range and refuses a FIFO inside a store without waiting on it', async () => {
    const shardUrl = `losslens://app/store/${storeId}/shards/part-demo-000000.parquet`;
    const head = await handle(new Request(shardUrl, { method: 'HEAD' }));
    const etag = head.headers.get('etag')!;
    const ranged = (ifRange: string) =>
      handle(new Request(shardUrl, { headers: { Range: 'bytes=0-3', 'If-Range': ifRange } }));
    expect((await ranged(etag)).status).toBe(206);
    const stale = await ranged('"0-0"');
    expect(stale.status).toBe(200);
    expect(Number(stale.headers.get('content-length'))).toBe(Number(head.headers.get('content-length')));
    await stale.body?.cancel();
    execFileSync('mkfifo', [path.join(dir, 'store', 'pipe.parquet')]);
    const res = await handle(new Request(`losslens://app/store/${storeId}/pipe.parquet`));
    expect(res.status).toBe(404);
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
