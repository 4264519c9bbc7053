// The query socket (shared/query-socket-wire.ts): the same `query` and `cancelQuery` as the POST
// routes, for pages that send many small queries. The upgrade passes the same gate as every other
// Api route (Host, origin, token: server.ts); a socket that closes cancels what it left running.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { HTTP_ROUTES } from '../../shared/api.ts';
import { encodeAnswer, type SocketRequest } from '../../shared/query-socket-wire.ts';
import { ApiError, type Host } from '../host/host.ts';

/** Why the upgrade is refused (status and message), or null to accept it. */
export type Gate = (req: IncomingMessage) => { status: number; message: string } | null;

/** Queries are small JSON texts; a page's SQL is far below this. */
const MAX_MESSAGE = 1 << 20;

/** Attaches the socket route; the returned function ends every open socket (server shutdown). */
export function attachQuerySocket(server: Server, host: Host, gate: Gate): () => void {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const refused = path === HTTP_ROUTES.querySocket ? gate(req) : { status: 404, message: 'not found' };
    if (refused) {
      socket.end(`HTTP/1.1 ${refused.status} Refused\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveSocket(ws, host));
  });
  // An upgraded socket is no longer the HTTP server's connection: `closeAllConnections` leaves it
  // open and `server.close` would wait for it forever, so shutdown ends them here.
  return () => {
    for (const ws of wss.clients) ws.terminate();
    wss.close();
  };
}

function serveSocket(ws: WebSocket, host: Host): void {
  /** Queries sent on this socket and not yet answered: cancelled if it closes. */
  const running = new Map<string, { storeId: unknown; session: string; queryId: string }>();
  ws.on('message', (data, isBinary) => {
    let req: SocketRequest;
    try {
      if (isBinary) throw new Error('binary');
      req = JSON.parse(data.toString()) as SocketRequest;
    } catch {
      ws.close(1003, 'query socket messages are JSON text');
      return;
    }
    const ids = { storeId: req?.storeId, session: String(req?.session), queryId: String(req?.queryId) };
    if (req?.op === 'cancel') {
      void host.call('cancelQuery', ids).catch(() => {});
      return;
    }
    if (req?.op !== 'query') {
      ws.close(1008, 'unknown op');
      return;
    }
    const key = `${ids.session}/${ids.queryId}`;
    running.set(key, ids);
    const { session, queryId } = ids;
    host
      .call('query', req)
      .then(({ ipc }) => encodeAnswer({ session, queryId, ok: true }, ipc))
      .catch((e: unknown) =>
        encodeAnswer({
          session,
          queryId,
          ok: false,
          error:
            e instanceof ApiError
              ? { code: e.code, message: e.message }
              : { code: 'internal', message: e instanceof Error ? e.message : String(e) },
        }),
      )
      .then((bytes) => {
        running.delete(key);
        if (ws.readyState === ws.OPEN) ws.send(bytes);
      });
  });
  ws.on('close', () => {
    for (const ids of running.values()) void host.call('cancelQuery', ids).catch(() => {});
    running.clear();
  });
}
