// Helpers for tests that talk to a real browser host over loopback HTTP.
import { promises as fs } from 'node:fs';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { writeDemoStore } from '../collector/demo.ts';
import { createHost, type Host } from '../host/host.ts';
import { type RunningServer, startServer } from './server.ts';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A request with the path sent exactly as given (fetch would normalise `..` away). */
export function rawRequest(
  port: number,
  rawPath: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: rawPath, method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      },
    );
    req.on('error', reject);
    if (options.body) req.write(options.body);
    req.end();
  });
}

/** A real browser host over one demo store in a temp folder (the query routes' tests). */
export async function servedDemoStore(
  prefix: string,
  demo: { params: number; targets: number; seed: number; failRate: number },
): Promise<{ dir: string; host: Host; server: RunningServer; storeId: string; close(): Promise<void> }> {
  const dir = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), prefix)));
  await writeDemoStore({ out: path.join(dir, 'store'), ...demo });
  await fs.mkdir(path.join(dir, 'static'));
  await fs.writeFile(path.join(dir, 'static', 'index.html'), '<!doctype html>');
  const host = createHost({
    transport: 'http',
    crossOriginIsolation: true,
    watch: false,
    dataDir: path.join(dir, 'data'),
  });
  const storeId = (await host.api.openStore({ path: path.join(dir, 'store') })).id;
  const server = await startServer({ host, staticDir: path.join(dir, 'static') });
  const close = async () => {
    await server.close();
    await host.close();
    await fs.rm(dir, { recursive: true, force: true });
  };
  return { dir, host, server, storeId, close };
}
