// The browser-host transport: JSON over POST for calls, Server-Sent Events for change events.
// The token cookie set on first page load rides along on same-origin requests, so nothing here
// handles credentials.
import {
  API_METHODS,
  type ApiClient,
  type ApiErrorBody,
  type ApiMethod,
  type ApiRequest,
  type ApiResult,
  HTTP_ROUTES,
  shardRoute,
} from '../../shared/api.ts';
import type { ApiEvent } from '../../shared/events.ts';
import { ARROW_STREAM_TYPE } from '../../shared/query-wire.ts';
import { ApiError, buildClient } from './build.ts';

async function post<M extends ApiMethod>(method: M, req: ApiRequest<M>): Promise<ApiResult<M>> {
  const res = await fetch(HTTP_ROUTES.api + method, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(req),
    credentials: 'same-origin',
    // Sent from `pagehide`: the request must outlive the page that sends it.
    keepalive: method === 'closeQuerySession',
  });
  // `query` answers with the Arrow IPC stream itself (serve/query-route.ts), errors as JSON.
  if (res.ok && res.headers.get('content-type') === ARROW_STREAM_TYPE) {
    return { ipc: new Uint8Array(await res.arrayBuffer()) } as ApiResult<M>;
  }
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const err = (body as ApiErrorBody | null)?.error;
    throw new ApiError(err?.message ?? `${method}: HTTP ${res.status}`, err?.code ?? 'internal');
  }
  return body as ApiResult<M>;
}

export function createHttpClient(origin: string = location.origin): ApiClient {
  const listeners = new Set<(event: ApiEvent) => void>();
  let source: EventSource | null = null;
  // One EventSource shared by all subscribers, opened on first subscribe; EventSource reconnects
  // by itself after a dropped connection.
  const ensureSource = () => {
    if (source) return;
    source = new EventSource(HTTP_ROUTES.events, { withCredentials: true });
    source.onmessage = (msg) => {
      let event: ApiEvent;
      try {
        event = JSON.parse(msg.data as string) as ApiEvent;
      } catch {
        return;
      }
      for (const l of listeners) l(event);
    };
  };
  return buildClient(API_METHODS, post, {
    subscribe(listener) {
      listeners.add(listener);
      ensureSource();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && source) {
          source.close();
          source = null;
        }
      };
    },
    shardUrl: (storeId, shardPath) => origin + HTTP_ROUTES.shards + shardRoute(storeId, shardPath),
  });
}
