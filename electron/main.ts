// The Electron shell: window, menu, dialogs, IPC and the losslens:// protocol. Everything it does
// is delegated to host/ (plain Node) and shell/ (the guards, tested with Electron mocked); this file
// only wires them up. Fuses (no RunAsNode, NODE_OPTIONS or --inspect) are set on the binary by
// scripts/fuses.mjs, not here.
import path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session, shell } from 'electron';
import { ELECTRON_SCHEME, IPC_CHANNEL } from '../shared/api.ts';
import { createHost } from './host/host.ts';
import { protocolHandler } from './host/protocol.ts';
import { pickSavePath } from './save-dialog.ts';
import { SECURITY_HEADERS } from './serve/headers.ts';
import { denyPermissions, guardWebContents } from './shell/guards.ts';
import { ipcHandler } from './shell/ipc.ts';
import { APP_URL } from './shell/policy.ts';
import { menuTemplate, windowOptions } from './shell/window.ts';
import { utilityLauncher } from './utility-launcher.ts';

const RENDERER_ROOT = path.join(__dirname, '..', 'dist', 'renderer');

protocol.registerSchemesAsPrivileged([
  {
    scheme: ELECTRON_SCHEME,
    privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true },
  },
]);
// Every renderer sandboxed, whatever a window's options say.
app.enableSandbox();

async function pickDirectory(): Promise<string | null> {
  const result = await dialog.showOpenDialog({
    title: 'Open a job folder or loss store',
    properties: ['openDirectory'],
  });
  return result.canceled ? null : (result.filePaths[0] ?? null);
}

// The collector runs in a utility process: here process.execPath is Electron, not Node.
const host = createHost({
  transport: 'electron',
  crossOriginIsolation: true,
  pickDirectory,
  pickSavePath,
  launchCollector: utilityLauncher,
});

const openExternal = (url: string) => void shell.openExternal(url);
app.on('web-contents-created', (_event, contents) => guardWebContents(contents, openExternal));

function createWindow(): BrowserWindow {
  const win = new BrowserWindow(windowOptions(path.join(__dirname, 'preload.cjs'), app.isPackaged));
  const unsubscribe = host.subscribe((event) => win.webContents.send(IPC_CHANNEL.event, event));
  win.on('closed', unsubscribe);
  void win.loadURL(APP_URL);
  return win;
}

async function openStore(dir: string) {
  await host.api.openStore({ path: dir }).catch((e: Error) => dialog.showErrorBox('Cannot open', e.message));
}

app.whenReady().then(async () => {
  denyPermissions(session.defaultSession);
  protocol.handle(ELECTRON_SCHEME, protocolHandler(host, RENDERER_ROOT, SECURITY_HEADERS));
  ipcMain.handle(IPC_CHANNEL.invoke, ipcHandler(host));
  // Stores named on the command line (after `--`) open at start.
  const dash = process.argv.indexOf('--');
  for (const arg of dash < 0 ? [] : process.argv.slice(dash + 1)) await openStore(path.resolve(arg));
  const pickAndOpen = async () => {
    const dir = await pickDirectory();
    if (dir) await openStore(dir);
  };
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(app.isPackaged, () => void pickAndOpen())));
  createWindow();
});

app.on('window-all-closed', () => {
  void host.close();
  app.quit();
});
