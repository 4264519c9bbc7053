// The only bridge between the sandboxed renderer and the main process: two functions, typed by
// shared/api.ts. No Node API reaches the page.
import { contextBridge, type IpcRendererEvent, ipcRenderer } from 'electron';
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
};

contextBridge.exposeInMainWorld('losslens', bridge);
