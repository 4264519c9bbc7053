// The Electron shell: window, menu, dialogs, IPC and the losslens:// protocol. Everything it does
// is delegated to host/ (plain Node, tested without Electron); this file only wires it up.
import path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, shell } from 'electron';
import { type ApiEnvelope, ELECTRON_SCHEME, IPC_CHANNEL, isApiMethod } from '../shared/api.ts';
import { ApiError, createHost } from './host/host.ts';
import { protocolHandler } from './host/protocol.ts';
import { pickSavePath } from './save-dialog.ts';
import { SECURITY_HEADERS } from './serve/headers.ts';

const RENDERER_ROOT = path.join(__dirname, '..', 'dist', 'renderer');

protocol.registerSchemesAsPrivileged([
  {
    scheme: ELECTRON_SCHEME,
    privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true },
  },
]);

async function pickDirectory(): Promise<string | null> {
  const result = await dialog.showOpenDialog({ title: 'Open loss store', properties: ['openDirectory'] });
  return result.canceled ? null : (result.filePaths[0] ?? null);
}

const host = createHost({ transport: 'electron', crossOriginIsolation: true, pickDirectory, pickSavePath });

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    title: 'Losslens',
    webPreferences: {
      preload: path.join(__dirname, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  // No navigation away from the app, no new windows; external links open in the browser.
  win.webContents.on('will-navigate', (event) => event.preventDefault());
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  const unsubscribe = host.subscribe((event) => win.webContents.send(IPC_CHANNEL.event, event));
  win.on('closed', unsubscribe);
  void win.loadURL(`${ELECTRON_SCHEME}://app/index.html`);
  return win;
}

function buildMenu() {
  const openStore = async () => {
    const dir = await pickDirectory();
    if (dir)
      await host.api
        .openStore({ path: dir })
        .catch((e: Error) => dialog.showErrorBox('Cannot open', e.message));
  };
  Menu.setApplicationMenu(
    Menu.buildFromTemplate([
      {
        label: 'File',
        submenu: [
          { label: 'Open Store…', accelerator: 'CmdOrCtrl+O', click: () => void openStore() },
          { type: 'separator' },
          { role: 'quit' },
        ],
      },
      { role: 'editMenu' },
      { role: 'viewMenu' },
      { role: 'windowMenu' },
    ]),
  );
}

app.whenReady().then(async () => {
  protocol.handle(ELECTRON_SCHEME, protocolHandler(host, RENDERER_ROOT, SECURITY_HEADERS));
  ipcMain.handle(
    IPC_CHANNEL.invoke,
    async (_event, method: unknown, req: unknown): Promise<ApiEnvelope<unknown>> => {
      if (typeof method !== 'string' || !isApiMethod(method)) {
        return { ok: false, error: { code: 'not-found', message: `no Api method ${String(method)}` } };
      }
      try {
        return { ok: true, value: await host.call(method, req) };
      } catch (e) {
        const code = e instanceof ApiError ? e.code : 'internal';
        return { ok: false, error: { code, message: e instanceof Error ? e.message : String(e) } };
      }
    },
  );
  // Stores named on the command line (after `--`) open at start.
  const dash = process.argv.indexOf('--');
  for (const arg of dash < 0 ? [] : process.argv.slice(dash + 1)) {
    await host.api
      .openStore({ path: path.resolve(arg) })
      .catch((e: Error) => dialog.showErrorBox('Cannot open', e.message));
  }
  buildMenu();
  createWindow();
});

app.on('window-all-closed', () => {
  void host.close();
  app.quit();
});
