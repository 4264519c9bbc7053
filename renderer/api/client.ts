// Picks the transport once at start: Electron's preload bridge when present, else the browser host.
import type { ApiClient, PreloadBridge } from '../../shared/api.ts';
import { dropTokenFromAddressBar } from './drop-token.ts';
import { createHttpClient } from './http.ts';
import { createIpcClient } from './ipc.ts';

declare global {
  interface Window {
    losslens?: PreloadBridge;
  }
}

export function createApiClient(win: Window = window): ApiClient {
  if (win.losslens) return createIpcClient(win.losslens);
  dropTokenFromAddressBar(win);
  return createHttpClient(win.location.origin);
}

export { ApiError } from './build.ts';
