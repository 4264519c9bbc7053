// The browser host: the Api over loopback HTTP, so the same renderer runs in a browser (remote
// clusters via an SSH tunnel, and our e2e tests). Binds 127.0.0.1 only; every request needs the
// token; files are served only from the built renderer and from opened stores.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ApiErrorBody, HTTP_ROUTES, isApiMethod } from '../../shared/api.ts';
import { ConfinementError, resolveInside } from '../host/confine.ts';
import { ApiError, type Host } from '../host/host.ts';
import { SpecialFileError } from '../host/open-file.ts';
import { authenticate, tokenCookie } from './auth.ts';
import { sendExport } from './export-route.ts';
import { sendFile } from './files.ts';
import { SECURITY_HEADERS } from './headers.ts';
import { crossOriginReason, isJsonBody } from './origin.ts';
import { sendQuery } from './query-route.ts';
import { attachQuerySocket } from './query-socket.ts';
import { openEventStream } from './sse.ts';

export interface ServeOptions {
  host: Host;
  /** The built renderer (dist/renderer). */
  staticDir: string;
  port?: number;
  token?: string;
}

export interface RunningServer {
  server: Server;
  port: number;
  token: string;
  url: string;
  close(): Promise<void>;
}

const MAX_BODY = 1 << 20;
/** Event streams per host: a tab holds one; beyond this a page is opening them in a loop. */
export const MAX_EVENT_STREAMS = 64;

function sendJson(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'application/json',
    'Cache-Control': 'no-store',
  });
  res.end(JSON.stringify(body));
}

function sendError(
  res: ServerResponse,
  status: number,
  code: ApiErrorBody['error']['code'],
  message: string,
) {
  sendJson(res, status, { error: { code, message } } satisfies ApiErrorBody);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new ApiError('request body too large', 'bad-request');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError('request body is not JSON', 'bad-request');
  }
}

const STATUS_FOR: Record<ApiErrorBody['error']['code'], number> = {
  'bad-request': 400,
  'not-found': 404,
  unsupported: 501,
  internal: 500,
  // A client-cancelled query; the page drops the answer, the status only has to be distinct.
  cancelled: 409,
};

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  // Real path: confinement compares real paths, so a symlinked install dir still serves.
  const staticRoot = await fs.realpath(options.staticDir);
  const token = options.token ?? randomBytes(24).toString('base64url');
  const { host } = options;
  let port = options.port ?? 0;
  let eventStreams = 0;

  /** Host, origin and token: every request's checks, and the query socket's upgrade. */
  const gate = (req: IncomingMessage, url: URL): { status: number; message: string } | { auth: string } => {
    // DNS-rebinding guard: a page on another name that resolves to 127.0.0.1 is refused.
    const hostHeader = req.headers.host ?? '';
    if (hostHeader !== `127.0.0.1:${port}` && hostHeader !== `localhost:${port}`) {
      return { status: 403, message: 'unexpected Host header' };
    }
    const p = url.pathname;
    // Everything but the renderer's own files (every HTTP_ROUTES route: Api, events, store bytes,
    // uploads, exports, the query socket; and any write) only from this host's own page (see
    // origin.ts). The page itself may be navigated to from anywhere (a link in a terminal, a bookmark).
    const reads = req.method === 'GET' || req.method === 'HEAD';
    const isPageFile = reads && !Object.values(HTTP_ROUTES).some((route) => p.startsWith(route));
    if (!isPageFile) {
      const refused = crossOriginReason(req, `http://${hostHeader}`);
      if (refused) return { status: 403, message: `refused: ${refused}` };
    }
    const auth = authenticate(req, url, token, port);
    if (!auth) return { status: 401, message: 'Losslens needs the token printed by `losslens serve`.' };
    return { auth };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const p = url.pathname;
    const checked = gate(req, url);
    if ('status' in checked) return sendError(res, checked.status, 'bad-request', checked.message);
    const { auth } = checked;
    if (auth === 'query') res.setHeader('Set-Cookie', tokenCookie(token, port));

    if (p === HTTP_ROUTES.events && req.method === 'GET') {
      if (eventStreams >= MAX_EVENT_STREAMS) {
        return sendError(res, 503, 'unsupported', `too many event streams (at most ${MAX_EVENT_STREAMS})`);
      }
      eventStreams++;
      res.once('close', () => eventStreams--);
      return openEventStream(res, (l) => host.subscribe(l), SECURITY_HEADERS);
    }
    if (p.startsWith(HTTP_ROUTES.api)) {
      const method = p.slice(HTTP_ROUTES.api.length);
      if (req.method !== 'POST') return sendError(res, 405, 'bad-request', 'use POST');
      if (!isApiMethod(method)) return sendError(res, 404, 'not-found', `no Api method ${method}`);
      if (!isJsonBody(req)) {
        return sendError(res, 415, 'bad-request', 'Api calls need Content-Type: application/json');
      }
      try {
        if (method === 'query') return await sendQuery(res, host, await readJson(req));
        return sendJson(res, 200, await host.call(method, await readJson(req)));
      } catch (e) {
        if (e instanceof ApiError) return sendError(res, STATUS_FOR[e.code], e.code, e.message);
        return sendError(res, 500, 'internal', e instanceof Error ? e.message : String(e));
      }
    }
    if (p.startsWith(HTTP_ROUTES.upload) && req.method === 'PUT') {
      const [uploadId, ...segments] = p.slice(HTTP_ROUTES.upload.length).split('/');
      try {
        return sendJson(res, 200, { bytes: await host.writeUpload(uploadId ?? '', segments, req) });
      } catch (e) {
        if (e instanceof ApiError) return sendError(res, STATUS_FOR[e.code], e.code, e.message);
        throw e;
      }
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(res, 405, 'bad-request', 'method');
    try {
      if (p.startsWith(HTTP_ROUTES.shards)) {
        const [storeId, ...segments] = p.slice(HTTP_ROUTES.shards.length).split('/');
        const file = await host.resolveStoreFile(storeId ?? '', segments);
        return await sendFile(req, res, file, { ...SECURITY_HEADERS, 'Cache-Control': 'no-cache' });
      }
      if (p.startsWith(HTTP_ROUTES.exports)) return await sendExport(req, res, host, p);
      const segments = p === '/' ? ['index.html'] : p.slice(1).split('/');
      const file = await resolveInside(staticRoot, segments);
      const cache = file.endsWith('.html') ? 'no-store' : 'max-age=3600';
      return await sendFile(req, res, file, { ...SECURITY_HEADERS, 'Cache-Control': cache });
    } catch (e) {
      if (e instanceof ConfinementError || e instanceof ApiError || e instanceof SpecialFileError) {
        return sendError(res, 404, 'not-found', 'not found');
      }
      throw e;
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) sendError(res, 500, 'internal', e instanceof Error ? e.message : String(e));
      else res.destroy();
    });
  });
  const closeSockets = attachQuerySocket(server, host, (req) => {
    const checked = gate(req, new URL(req.url ?? '/', 'http://127.0.0.1'));
    return 'status' in checked ? checked : null;
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      port = (server.address() as AddressInfo).port;
      resolve({
        server,
        port,
        token,
        url: `http://127.0.0.1:${port}/?token=${token}`,
        close: () =>
          new Promise<void>((r) => {
            closeSockets();
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    });
  });
}
