// The Electron shell with the `electron` module mocked (the binary cannot run here): each handler
// main.ts installs is captured and driven as Electron would drive it.
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ELECTRON_SCHEME, IPC_CHANNEL } from '../shared/channels.ts';
import { writeDemoStore } from './collector/demo.ts';
import { CSP } from './serve/headers.ts';

type Listener = (...args: never[]) => unknown;

const fake = vi.hoisted(() => {
  const state = {
    packaged: false,
    sandbox: false,
    ready: null as null | (() => void),
    appOn: new Map<string, Listener>(),
    schemes: [] as unknown[],
    protocols: new Map<string, (r: Request) => Promise<Response>>(),
    ipc: new Map<string, Listener>(),
    windows: [] as { options: Record<string, unknown>; loaded: string[] }[],
    menu: null as unknown,
    permissionRequest: null as null | Listener,
    permissionCheck: null as null | Listener,
    external: [] as string[],
    forks: [] as { modulePath: string; args: string[]; options: unknown }[],
    // Set in beforeAll: runs the forked module as a real child so the collect really happens.
    forkImpl: null as null | ((modulePath: string, args: string[]) => unknown),
  };
  const electron = {
    app: {
      get isPackaged() {
        return state.packaged;
      },
      enableSandbox: () => {
        state.sandbox = true;
      },
      whenReady: () =>
        new Promise<void>((r) => {
          state.ready = r;
        }),
      on: (name: string, fn: Listener) => state.appOn.set(name, fn),
      quit: () => {},
    },
    protocol: {
      registerSchemesAsPrivileged: (s: unknown[]) => state.schemes.push(...s),
      handle: (scheme: string, fn: (r: Request) => Promise<Response>) => state.protocols.set(scheme, fn),
    },
    ipcMain: { handle: (channel: string, fn: Listener) => state.ipc.set(channel, fn) },
    BrowserWindow: class {
      webContents = { send: () => {} };
      record: { options: Record<string, unknown>; loaded: string[] };
      constructor(options: Record<string, unknown>) {
        this.record = { options, loaded: [] };
        state.windows.push(this.record);
      }
      on() {}
      async loadURL(url: string) {
        this.record.loaded.push(url);
      }
    },
    Menu: {
      buildFromTemplate: (t: unknown) => t,
      setApplicationMenu: (m: unknown) => {
        state.menu = m;
      },
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (fn: Listener) => {
          state.permissionRequest = fn;
        },
        setPermissionCheckHandler: (fn: Listener) => {
          state.permissionCheck = fn;
        },
      },
    },
    dialog: { showOpenDialog: async () => ({ canceled: true, filePaths: [] }), showErrorBox: () => {} },
    utilityProcess: {
      fork: (modulePath: string, args: string[], options: unknown) => {
        state.forks.push({ modulePath, args, options });
        return state.forkImpl!(modulePath, args);
      },
    },
    shell: {
      openExternal: async (url: string) => {
        state.external.push(url);
      },
    },
  };
  return { state, electron };
});

vi.mock('electron', () => fake.electron);

async function loadMain(packaged: boolean) {
  vi.resetModules();
  fake.state.appOn.get('window-all-closed')?.(); // the previous load's host closes its stores
  Object.assign(fake.state, { packaged, windows: [], menu: null, ready: null, schemes: [] });
  fake.state.appOn.clear();
  fake.state.ipc.clear();
  fake.state.protocols.clear();
  await import('./main.ts');
  fake.state.ready?.();
  await vi.waitFor(() => expect(fake.state.windows).toHaveLength(1));
  return fake.state;
}

/** A web contents as `web-contents-created` hands it over, recording what main.ts attaches. */
function fakeContents() {
  const on = new Map<string, Listener>();
  let openHandler: ((d: { url: string }) => { action: string }) | null = null;
  const contents = {
    on: (name: string, fn: Listener) => {
      on.set(name, fn);
      return contents;
    },
    setWindowOpenHandler: (fn: typeof openHandler) => {
      openHandler = fn;
    },
  };
  fake.state.appOn.get('web-contents-created')!({} as never, contents as never);
  const fire = (name: string, url?: string) => {
    const event = { url, preventDefault: vi.fn() };
    (on.get(name) as (e: typeof event) => void)(event);
    return event.preventDefault.mock.calls.length > 0;
  };
  return { fire, open: (url: string) => openHandler!({ url }).action };
}

type Envelope = { ok: boolean; value?: unknown; error?: { code: string; message: string } };
const frame = (url: string, parent: unknown = null) => ({ senderFrame: { url, parent } });
const invoke = (event: unknown, method: unknown, req: unknown = {}) =>
  (fake.state.ipc.get(IPC_CHANNEL.invoke) as (...a: unknown[]) => Promise<Envelope>)(event, method, req);
const APP = `${ELECTRON_SCHEME}://app/index.html`;

let dir: string;
// Collector children still running: afterAll waits for them so it never removes a folder they write.
const running = new Set<Promise<void>>();
beforeAll(async () => {
  dir = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'losslens-main-')));
  process.env.LOSSLENS_DATA_DIR = path.join(dir, 'app-data');
  await writeDemoStore({ out: path.join(dir, 'store'), params: 10, targets: 1, seed: 4, failRate: 0 });
  // Electron's utilityProcess.fork stands in for a Node child running the same module: exit code
  // only (utilityProcess passes no signal), stderr piped.
  fake.state.forkImpl = (modulePath, args) => {
    const child = spawn(process.execPath, [modulePath, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    running.add(exited);
    void exited.then(() => running.delete(exited));
    return {
      stderr: child.stderr,
      kill: () => child.kill(),
      once: (_e: string, fn: (code: number | null) => void) => child.once('exit', (code) => fn(code)),
    };
  };
});
afterAll(async () => {
  fake.state.appOn.get('window-all-closed')?.();
  delete process.env.LOSSLENS_DATA_DIR;
  await Promise.race([Promise.all(running), new Promise((r) => setTimeout(r, 20_000))]);
  await fs.rm(dir, { recursive: true, force: true, maxRetries: 5 });
});

describe('Electron shell (electron mocked)', () => {
  it('makes a sandboxed, isolated window without Node, webviews or (in a release) DevTools', async () => {
    for (const packaged of [false, true]) {
      const state = await loadMain(packaged);
      expect(state.sandbox).toBe(true);
      const { options, loaded } = state.windows[0]!;
      expect(options.webPreferences).toMatchObject({
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        webviewTag: false,
        devTools: !packaged,
      });
      expect(String((options.webPreferences as { preload: string }).preload)).toMatch(/preload\.cjs$/);
      expect(loaded).toEqual([APP]);
      const roles = JSON.stringify(state.menu).toLowerCase();
      expect(roles.includes('toggledevtools'), `packaged=${packaged}`).toBe(!packaged);
      expect(roles).not.toContain('"viewmenu"'); // Electron's stock View menu carries DevTools
    }
  });

  it('blocks navigation off the app, new windows and webviews; opens only listed docs outside', async () => {
    await loadMain(true);
    const c = fakeContents();
    for (const event of ['will-navigate', 'will-frame-navigate']) {
      expect(c.fire(event, 'https://evil.example/'), event).toBe(true);
      expect(c.fire(event, 'file:///etc/passwd'), event).toBe(true);
      expect(c.fire(event, 'losslens://other/index.html'), event).toBe(true);
      expect(c.fire(event, `${APP}?store=%2Fdata`), event).toBe(false);
    }
    expect(c.fire('will-attach-webview')).toBe(true);
    const links = [
      'https://duckdb.org/docs/sql/expressions',
      'https://evil.example/',
      'http://duckdb.org/docs',
      'https://duckdb.org:8443/docs',
      'https://user@duckdb.org/',
      'https://duckdb.org.evil.example/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      APP,
    ];
    fake.state.external = [];
    for (const url of links) expect(c.open(url), url).toBe('deny');
    expect(fake.state.external).toEqual(['https://duckdb.org/docs/sql/expressions']);
  });

  it('grants no permission, asked or checked', async () => {
    const state = await loadMain(true);
    for (const permission of ['media', 'clipboard-read', 'notifications', 'geolocation', 'openExternal']) {
      const callback = vi.fn();
      (state.permissionRequest as (...a: unknown[]) => void)({}, permission, callback, {});
      expect(callback, permission).toHaveBeenCalledWith(false);
      expect((state.permissionCheck as (...a: unknown[]) => boolean)({}, permission, APP, {})).toBe(false);
    }
  });

  it('answers IPC only from the app’s main frame, and validates the request', async () => {
    await loadMain(true);
    const fromApp = frame(APP);
    expect(await invoke(fromApp, 'listStores')).toEqual({ ok: true, value: [] });
    for (const event of [frame('https://evil.example/'), frame(APP, {}), { senderFrame: null }]) {
      const res = await invoke(event, 'listStores');
      expect(res.ok).toBe(false);
      expect(res.error?.message).toMatch(/^refused: Api call from /);
    }
    expect((await invoke(fromApp, 'rm -rf')).error?.code).toBe('not-found');
    expect((await invoke(fromApp, 'closeStore', { storeId: '../x' })).error?.code).toBe('bad-request');
  });

  it('serves the app under its CSP and streams confined store bytes over losslens://', async () => {
    const state = await loadMain(true);
    const handle = state.protocols.get(ELECTRON_SCHEME)!;
    const opened = await invoke(frame(APP), 'openStore', { path: path.join(dir, 'store') });
    const id = (opened.value as { id: string }).id;
    const shard = `${ELECTRON_SCHEME}://app/store/${id}/shards/part-demo-000000.parquet`;
    const tail = await handle(new Request(shard, { headers: { Range: 'bytes=-4' } }));
    expect(tail.status).toBe(206);
    expect(tail.headers.get('content-security-policy')).toBe(CSP);
    expect(tail.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    expect(await tail.text()).toBe('PAR1');
    for (const url of [
      `${ELECTRON_SCHEME}://app/store/${id}/%2e%2e/%2e%2e/etc/passwd`,
      `${ELECTRON_SCHEME}://app/store/${'0'.repeat(32)}/store.json`,
      `${ELECTRON_SCHEME}://elsewhere/index.html`,
    ]) {
      const res = await handle(new Request(url));
      expect(res.status, url).toBe(404);
      expect(res.headers.get('content-security-policy')).toBe(CSP);
    }
    expect(state.schemes).toEqual([
      {
        scheme: ELECTRON_SCHEME,
        privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true },
      },
    ]);
  });

  it('collects a job folder in a utility process, never by spawning the Electron binary', async () => {
    await loadMain(true);
    fake.state.forks = [];
    const nd = path.join(dir, 'job-ndjson');
    await fs.mkdir(nd, { recursive: true });
    const rec = (i: number) =>
      JSON.stringify({ job_id: 'j', param_id: `p${i}`, target: 't:a', params: { x: i }, loss: i });
    await fs.writeFile(path.join(nd, 'a.ndjson'), `${[1, 2, 3, 4, 5].map(rec).join('\n')}\n`);
    const opened = await invoke(frame(APP), 'openStore', { path: nd });
    expect(opened.ok, JSON.stringify(opened.error)).toBe(true);
    expect(fake.state.forks).toHaveLength(1);
    expect(fake.state.forks[0]!.modulePath).toMatch(/bin[\\/]losslens\.mjs$/);
    expect(fake.state.forks[0]!.args[0]).toBe('collect');
    const storePath = (opened.value as { path: string }).path;
    await expect
      .poll(
        async () =>
          JSON.parse(await fs.readFile(path.join(storePath, 'store.json'), 'utf8').catch(() => '{}')).counts
            ?.rows,
        {
          timeout: 60_000,
        },
      )
      .toBe(5);
  });
});
