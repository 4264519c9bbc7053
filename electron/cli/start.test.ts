// `losslens start` as a user runs it: a real child process. Here the Electron binary cannot be
// downloaded, so start must say so in one line and serve the browser host; with a binary present
// (a stand-in named by ELECTRON_OVERRIDE_DIST_PATH, which electron's own index.js honours) it must
// build main/preload and launch that binary on the stores instead.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDemoStore } from '../collector/demo.ts';

let dir: string;
let store: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'losslens-start-'));
  store = path.join(dir, 'store');
  await writeDemoStore({ out: store, params: 10, targets: 1, seed: 1, failRate: 0 });
  // start builds the renderer when dist/ is missing; give it something to serve either way.
  if (!existsSync('dist/renderer/index.html')) {
    await fs.mkdir('dist/renderer', { recursive: true });
    await fs.writeFile('dist/renderer/index.html', '<!doctype html><title>Losslens</title>');
  }
});

afterAll(async () => {
  for (const c of children) c.kill('SIGTERM');
  await fs.rm(dir, { recursive: true, force: true });
});

function start(env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, ['bin/losslens.mjs', 'start', store, '--port', '0'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return child;
}

describe('losslens start', () => {
  it('falls back to the browser host when the Electron binary is unavailable, saying so in one line', async () => {
    const child = start({ ELECTRON_OVERRIDE_DIST_PATH: path.join(dir, 'no-electron-here') });
    const lines = createInterface({ input: child.stdout! });
    const seen: string[] = [];
    for await (const line of lines) {
      seen.push(line);
      if (line.startsWith('Losslens at ')) break;
    }
    expect(seen[0]).toMatch(/^Electron is not available here \(.+\); falling back to the browser host\.$/);
    const url = seen[1]!.slice('Losslens at '.length);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=\S+$/);
    const res = await fetch(url);
    expect(res.status).toBe(200);
    const api = await fetch(new URL('/api/listStores', url), {
      method: 'POST',
      headers: { Authorization: `Bearer ${new URL(url).searchParams.get('token')}` },
    });
    expect((await api.json())[0].path).toBe(await fs.realpath(store));
    child.kill('SIGTERM');
  });

  it('launches the Electron binary with the built main process and the stores when it exists', async () => {
    const fake = path.join(dir, 'fake-electron');
    await fs.mkdir(fake);
    const record = path.join(dir, 'electron-args.txt');
    await fs.writeFile(path.join(fake, 'electron'), `#!/bin/sh\nprintf '%s\\n' "$@" > '${record}'\n`, {
      mode: 0o755,
    });
    const child = start({ ELECTRON_OVERRIDE_DIST_PATH: fake });
    const code = await new Promise((r) => child.once('exit', r));
    expect(code).toBe(0);
    const args = (await fs.readFile(record, 'utf8')).trim().split('\n');
    expect(args).toEqual([path.resolve('.'), '--', store]);
    expect(existsSync('dist-electron/main.cjs')).toBe(true);
    expect(existsSync('dist-electron/preload.cjs')).toBe(true);
  });
});
