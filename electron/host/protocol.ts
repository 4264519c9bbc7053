// The Electron custom protocol (`losslens://`) as plain web Request → Response, so it is tested in
// Node without Electron. `losslens://app/store/<id>/...` serves shard bytes with Range support,
// confined to opened stores like the browser host; any other `losslens://app/...` path serves the
// built renderer. One origin for both, so the page's worker reads shards without CORS.
import { promises as fs } from 'node:fs';
import { ConfinementError, resolveInside } from './confine.ts';
import { ApiError, type Host } from './host.ts';
import { rangeReply } from './range.ts';

async function fileResponse(
  request: Request,
  file: string,
  headers: Record<string, string>,
): Promise<Response> {
  const stat = await fs.stat(file);
  const reply = rangeReply(request.headers.get('range') ?? undefined, stat.size, file, headers);
  if (reply.status === 416 || request.method === 'HEAD' || reply.length === 0) {
    return new Response(null, { status: reply.status, headers: reply.headers });
  }
  const handle = await fs.open(file, 'r');
  try {
    const buf = Buffer.alloc(reply.length);
    await handle.read(buf, 0, reply.length, reply.start);
    return new Response(buf, { status: reply.status, headers: reply.headers });
  } finally {
    await handle.close();
  }
}

export function protocolHandler(host: Host, rendererRoot: string, headers: Record<string, string>) {
  return async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const segments = url.pathname.split('/').filter((s, i) => i > 0 || s !== '');
    try {
      if (url.hostname === 'app' && segments[0] === 'store') {
        const [, storeId, ...rest] = segments;
        return await fileResponse(request, await host.resolveStoreFile(storeId ?? '', rest), headers);
      }
      if (url.hostname === 'app') {
        const file = await resolveInside(rendererRoot, segments.length ? segments : ['index.html']);
        return await fileResponse(request, file, headers);
      }
    } catch (e) {
      if (!(e instanceof ConfinementError || e instanceof ApiError)) throw e;
    }
    return new Response('not found', { status: 404, headers });
  };
}
