// The Electron main process as the build bundles it (CommonJS, dist-electron/main.cjs), loaded in
// plain Node with a stand-in `electron` module: it must start and load the app's page. Catches
// what the TypeScript-level tests cannot, such as ESM-only code in the CommonJS bundle.
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'losslens-bundle-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const FAKE_ELECTRON = `
const Module = require('node:module');
const noop = () => {};
const fake = {
  app: { isPackaged: true, enableSandbox: noop, on: noop, quit: noop, whenReady: () => Promise.resolve() },
  protocol: { registerSchemesAsPrivileged: noop, handle: noop },
  ipcMain: { handle: noop },
  session: { defaultSession: { setPermissionRequestHandler: noop, setPermissionCheckHandler: noop } },
  Menu: { buildFromTemplate: (t) => t, setApplicationMenu: noop },
  dialog: {}, shell: {},
  BrowserWindow: class { constructor() { this.webContents = { send: noop }; } on() {}
    loadURL(url) { process.stdout.write('loaded ' + url + '\\n'); return Promise.resolve(); } },
};
const load = Module._load;
Module._load = function (request, ...rest) { return request === 'electron' ? fake : load.call(this, request, ...rest); };
`;

describe('the bundled Electron main process', () => {
  it('starts in CommonJS and loads losslens://app/index.html', async () => {
    const out = path.join(dir, 'dist-electron', 'main.cjs');
    await build({
      entryPoints: ['electron/main.ts'],
      outfile: out,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['electron', '@duckdb/node-api'],
      logLevel: 'silent',
      nodePaths: [path.resolve('node_modules')],
    });
    await fs.writeFile(path.join(dir, 'fake-electron.cjs'), FAKE_ELECTRON);
    const run = spawnSync(process.execPath, ['-r', path.join(dir, 'fake-electron.cjs'), out], {
      encoding: 'utf8',
      timeout: 30_000,
      env: {
        ...process.env,
        LOSSLENS_DATA_DIR: path.join(dir, 'data'),
        NODE_PATH: path.resolve('node_modules'),
      },
    });
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('loaded losslens://app/index.html');
  });
});
