// The main window's options and the application menu. A release (packaged) build has no DevTools:
// not in the View menu, not by shortcut (`devTools: false`).
import type { BrowserWindowConstructorOptions, MenuItemConstructorOptions } from 'electron';

export function windowOptions(preload: string, packaged: boolean): BrowserWindowConstructorOptions {
  return {
    width: 1400,
    height: 900,
    title: 'Losslens',
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      devTools: !packaged,
    },
  };
}

export function menuTemplate(packaged: boolean, openStore: () => void): MenuItemConstructorOptions[] {
  const view: MenuItemConstructorOptions[] = [
    ...(packaged ? [] : ([{ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' }] as const)),
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
  ];
  return [
    {
      label: 'File',
      submenu: [
        { label: 'Open Job Folder…', accelerator: 'CmdOrCtrl+O', click: openStore },
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    { label: 'View', submenu: view },
    { role: 'windowMenu' },
  ];
}
