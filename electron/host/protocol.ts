// The Electron custom protocol (`losslens://`) as plain web Request → Response, so it is tested in
// Node without Electron. `losslens://app/store/<id>/...` serves shard bytes with Range support,
// confined to opened stores like the browser host; any other `losslens://app/...` path serves the
// built renderer. One origin for both, so the page's worker reads shards without CORS.
import { promises as fs } from 'node:fs';
import { ConfinementError, resolveInside } from './confine.ts';
import { ApiError, type Host } from './host.ts';
import { mimeFor } from './mime.ts';
import { parseRange } from './range.ts';

async function fileResponse(
  request: Request,
  file: string,
  headers: Record<string, string>,
): Promise<Response> {
  const stat = await fs.stat(file);
  const base = { ...headers, 'Content-Type': mimeFor(file), 'Accept-Ranges': 'bytes' };
  const range = parseRange(request.headers.get('range') ?? undefined, stat.size);
  if (range === 'unsatisfiable') {
    return new Response(null, { status: 416, headers: { ...base, 'Content-Range': `bytes */${stat.size}` } });
  }
  const { start, end } = range ?? { start: 0, end: stat.size - 1 };
  const length = Math.max(0, end - start + 1);
  const out = {
    ...base,
    'Content-Length': String(length),
    ...(range ? { 'Content-Range': `bytes ${start}-${end}/${stat.size}` } : {}),
  };
  if (request.method === 'HEAD') return new Response(null, { status: range ? 206 : 200, headers: out });
  const handle = await fs.open(file, 'r');
  try {
    const buf = Buffer.alloc(length);
    await handle.read(buf, 0, length, start);
    return new Response(buf, { status: range ? 206 : 200, headers: out });
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
