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
  type OpenStore,
  shardRoute,
} from '../../shared/api.ts';
import type { ApiEvent } from '../../shared/events.ts';
import { ARROW_STREAM_TYPE } from '../../shared/query-wire.ts';
import { ApiError, buildClient } from './build.ts';
import { QuerySocket, querySocketUrl } from './query-socket.ts';

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
  /**
   * Per store, the last manifest delivered, as text: what a reconnect compares with (its content,
   * not its `updated_at`, which an older collector could keep across a status-only rewrite).
   */
  const seen = new Map<string, string>();
  const version = (m: OpenStore['manifest']) => JSON.stringify(m);
  /** Per store, how many updates the stream has delivered. */
  const streamed = new Map<string, number>();
  const deliver = (event: ApiEvent) => {
    if (event.type === 'store-updated') seen.set(event.storeId, version(event.manifest));
    if (event.type === 'store-opened') seen.set(event.store.id, version(event.store.manifest));
    for (const l of listeners) l(event);
  };
  // One EventSource shared by all subscribers, opened on first subscribe. The stream replays
  // nothing: whatever the host sent before it was (re)connected is lost — on a reconnect after a
  // drop, and on the first connect too, which races the page's own first listStores. So on every
  // open the stores are asked for again and those that changed meanwhile reported (a collector's
  // final `complete` write would otherwise be lost, and its live badge stay up).
  const ensureSource = () => {
    if (source) return;
    source = new EventSource(HTTP_ROUTES.events, { withCredentials: true });
    source.onopen = () => {
      // The answer is what the host had when asked: a store the stream reported on meanwhile
      // is newer on the stream (its final `complete` must not be undone by this older list).
      const asked = new Map(streamed);
      void post('listStores', {})
        .then((stores) => {
          for (const s of stores)
            if (
              (streamed.get(s.id) ?? 0) === (asked.get(s.id) ?? 0) &&
              seen.get(s.id) !== version(s.manifest)
            )
              deliver({
                type: 'store-updated',
                storeId: s.id,
                manifest: s.manifest,
                added: [],
                removed: [],
              });
        })
        .catch(() => {});
    };
    source.onmessage = (msg) => {
      let event: ApiEvent;
      try {
        event = JSON.parse(msg.data as string) as ApiEvent;
      } catch {
        return;
      }
      if (event.type === 'store-updated') streamed.set(event.storeId, (streamed.get(event.storeId) ?? 0) + 1);
      deliver(event);
    };
  };
  // Stores the page learns of by asking (not by an event) count as seen too: a reconnect then
  // reports only what changed, not every store again (each report re-queries its views).
  const socket = new QuerySocket(querySocketUrl(origin), (req) => post('query', req));
  const asking = async <M extends ApiMethod>(method: M, req: ApiRequest<M>): Promise<ApiResult<M>> => {
    // Queries (and cancels of queries sent there) go on the socket when it is open.
    if (method === 'query') return (await socket.query(req as ApiRequest<'query'>)) as ApiResult<M>;
    if (method === 'cancelQuery' && socket.cancel(req as ApiRequest<'cancelQuery'>))
      return { cancelled: true } as ApiResult<M>;
    const out = await post(method, req);
    const stores =
      method === 'listStores' ? (out as OpenStore[]) : method === 'openStore' ? [out as OpenStore] : [];
    for (const st of stores)
      if (st?.id && st.manifest && !seen.has(st.id)) seen.set(st.id, version(st.manifest));
    return out;
  };
  return buildClient(API_METHODS, asking, {
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
