// The one IPC handler: an Api call from the app's own page, validated like an HTTP call. A sender
// frame that is not the app's main frame (a frame that navigated elsewhere, or any other frame) is
// refused before the request is looked at.
import type { IpcMainInvokeEvent } from 'electron';
import { type ApiEnvelope, isApiMethod } from '../../shared/api.ts';
import { ApiError, type Host } from '../host/host.ts';
import { isAppUrl } from './policy.ts';

export function senderIsApp(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  return frame !== null && frame.parent === null && isAppUrl(frame.url);
}

export function ipcHandler(host: Host) {
  return async (event: IpcMainInvokeEvent, method: unknown, req: unknown): Promise<ApiEnvelope<unknown>> => {
    if (!senderIsApp(event)) {
      const from = event.senderFrame?.url ?? 'a destroyed frame';
      return { ok: false, error: { code: 'bad-request', message: `refused: Api call from ${from}` } };
    }
    if (typeof method !== 'string' || !isApiMethod(method)) {
      return { ok: false, error: { code: 'not-found', message: `no Api method ${String(method)}` } };
    }
    try {
      return { ok: true, value: await host.call(method, req) };
    } catch (e) {
      const code = e instanceof ApiError ? e.code : 'internal';
      return { ok: false, error: { code, message: e instanceof Error ? e.message : String(e) } };
    }
  };
}
