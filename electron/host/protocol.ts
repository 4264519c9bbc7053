// The Electron custom protocol (`losslens://`) as plain web Request → Response, so it is tested in
// Node without Electron. `losslens://app/store/<id>/...` serves shard bytes with Range support,
// confined to opened stores like the browser host; any other `losslens://app/...` path serves the
// built renderer. One origin for both, so the page's worker reads shards without CORS.
import type { FileHandle } from 'node:fs/promises';
import { ConfinementError, resolveInside } from './confine.ts';
import { ApiError, type Host } from './host.ts';
import { openRegularFile, SpecialFileError } from './open-file.ts';
import { rangeReply, validatorsFor } from './range.ts';

const CHUNK = 256 * 1024;

/**
 * Bytes [start, end] of an open file as a pull stream: one chunk is read only when the reader
 * wants one, so a slow reader holds at most a chunk or two. (`Readable.toWeb` queues by chunk
 * count with a high-water mark of 65536 chunks, i.e. the whole file for a slow reader.)
 */
export function fileBody(handle: FileHandle, start: number, end: number): ReadableStream<Uint8Array> {
  let pos = start;
  const finish = () => handle.close().catch(() => {});
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const want = Math.min(CHUNK, end + 1 - pos);
        if (want <= 0) {
          await finish();
          controller.close();
          return;
        }
        try {
          const buf = new Uint8Array(want);
          const { bytesRead } = await handle.read(buf, 0, want, pos);
          if (bytesRead === 0) throw new Error('file shrank while being read');
          pos += bytesRead;
          controller.enqueue(buf.subarray(0, bytesRead));
        } catch (e) {
          await finish();
          controller.error(e);
        }
      },
      cancel: finish,
    },
    { highWaterMark: 1 },
  );
}

async function fileResponse(
  request: Request,
  file: string,
  headers: Record<string, string>,
): Promise<Response> {
  const { handle, stat } = await openRegularFile(file);
  const reply = rangeReply(
    {
      range: request.headers.get('range') ?? undefined,
      ifRange: request.headers.get('if-range') ?? undefined,
    },
    stat.size,
    file,
    headers,
    validatorsFor(stat),
  );
  if (reply.status === 416 || request.method === 'HEAD' || reply.length === 0) {
    await handle.close();
    return new Response(null, { status: reply.status, headers: reply.headers });
  }
  // Streamed from the file, never read whole: 50 concurrent full reads of a big shard would
  // otherwise hold 50 copies in the main process. The stream closes the handle when done.
  return new Response(fileBody(handle, reply.start, reply.end), {
    status: reply.status,
    headers: reply.headers,
  });
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
      if (!(e instanceof ConfinementError || e instanceof ApiError || e instanceof SpecialFileError)) throw e;
    }
    return new Response('not found', { status: 404, headers });
  };
}
