// The page's end of the host's query socket (shared/query-socket-wire.ts): `query` answers without
// a fetch each. Opened on the first query; while it is not open (connecting, refused, dropped)
// queries go by POST as before, and a query in flight when it drops is sent again by POST (the
// host cancelled it when the socket closed), so a view never sees the socket at all.
import type { ApiRequest, ApiResult } from '../../shared/api.ts';
import { HTTP_ROUTES } from '../../shared/api.ts';
import { decodeAnswer } from '../../shared/query-socket-wire.ts';
import { CANCELLED_MESSAGE } from '../../shared/query-wire.ts';
import { ApiError } from './build.ts';

type Post = (req: ApiRequest<'query'>) => Promise<ApiResult<'query'>>;

interface Pending {
  req: ApiRequest<'query'>;
  resolve(r: ApiResult<'query'>): void;
  reject(e: unknown): void;
}

export class QuerySocket {
  private ws: WebSocket | null = null;
  private readonly pending = new Map<string, Pending>();
  /** After a refused or failed socket, POST for a while before trying again. */
  private retryAt = 0;

  constructor(
    private readonly url: string,
    private readonly post: Post,
  ) {}

  query(req: ApiRequest<'query'>): Promise<ApiResult<'query'>> {
    const ws = this.open();
    if (!ws || ws.readyState !== WebSocket.OPEN) return this.post(req);
    return new Promise((resolve, reject) => {
      this.pending.set(keyOf(req), { req, resolve, reject });
      ws.send(JSON.stringify({ op: 'query', ...req }));
    });
  }

  /**
   * True when the cancel went on the socket (the query did too, ahead of it). The query is settled
   * as cancelled at once, so a drop right after does not ask for it again.
   */
  cancel(req: ApiRequest<'cancelQuery'>): boolean {
    const p = this.pending.get(keyOf(req));
    if (!p || this.ws?.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify({ op: 'cancel', ...req }));
    this.pending.delete(keyOf(req));
    p.reject(new ApiError(CANCELLED_MESSAGE, 'cancelled'));
    return true;
  }

  private open(): WebSocket | null {
    if (this.ws || typeof WebSocket === 'undefined' || performance.now() < this.retryAt) return this.ws;
    const ws = new WebSocket(this.url);
    ws.binaryType = 'arraybuffer';
    ws.onmessage = (m) => this.answer(new Uint8Array(m.data as ArrayBuffer));
    ws.onclose = () => {
      if (this.ws === ws) this.ws = null;
      this.retryAt = performance.now() + 5_000;
      // The host cancelled these when the socket closed: ask again by POST.
      for (const [key, p] of this.pending) {
        this.pending.delete(key);
        this.post(p.req).then(p.resolve, p.reject);
      }
    };
    this.ws = ws;
    return ws;
  }

  private answer(bytes: Uint8Array): void {
    const { header, ipc } = decodeAnswer(bytes);
    const key = `${header.session}/${header.queryId}`;
    const p = this.pending.get(key);
    if (!p) return;
    this.pending.delete(key);
    if (header.ok) p.resolve({ ipc });
    else p.reject(new ApiError(header.error.message, header.error.code));
  }
}

const keyOf = (r: { session: string; queryId: string }) => `${r.session}/${r.queryId}`;

/** The socket's URL on the page's own host (ws: for http:, wss: for https:). */
export function querySocketUrl(origin: string): string {
  return origin.replace(/^http/, 'ws') + HTTP_ROUTES.querySocket;
}
