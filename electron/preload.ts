// The only bridge between the sandboxed renderer and the main process: three functions, typed by
// shared/api.ts. No Node API reaches the page.
import { contextBridge, type IpcRendererEvent, ipcRenderer, webUtils } from 'electron';
import type { PreloadBridge } from '../shared/api.ts';
import { IPC_CHANNEL } from '../shared/channels.ts';
import type { ApiEvent } from '../shared/events.ts';

const bridge: PreloadBridge = {
  invoke: (method, req) => ipcRenderer.invoke(IPC_CHANNEL.invoke, method, req),
  onEvent(listener) {
    const handler = (_event: IpcRendererEvent, payload: ApiEvent) => listener(payload);
    ipcRenderer.on(IPC_CHANNEL.event, handler);
    return () => ipcRenderer.removeListener(IPC_CHANNEL.event, handler);
  },
  // Dropping a store folder on the window opens it; the page itself never sees paths otherwise.
  pathForFile: (file) => webUtils.getPathForFile(file),
};

contextBridge.exposeInMainWorld('losslens', bridge);
