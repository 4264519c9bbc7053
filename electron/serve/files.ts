// Sending files: shard bytes with Range support, and the built renderer's static assets.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { openRegularFile } from '../host/open-file.ts';
import { rangeReply, validatorsFor } from '../host/range.ts';

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Send a file honouring Range, If-Range and HEAD; only regular files (see open-file.ts). */
export async function sendFile(
  req: IncomingMessage,
  res: ServerResponse,
  file: string,
  headers: Record<string, string> = {},
) {
  const { handle, stat } = await openRegularFile(file);
  const reply = rangeReply(
    { range: header(req, 'range'), ifRange: header(req, 'if-range') },
    stat.size,
    file,
    headers,
    validatorsFor(stat),
  );
  res.writeHead(reply.status, reply.headers);
  if (reply.status === 416 || req.method === 'HEAD' || reply.length === 0) {
    await handle.close();
    res.end();
    return;
  }
  // The stream owns the handle from here and closes it when done or destroyed.
  const stream = handle.createReadStream({ start: reply.start, end: reply.end });
  stream.on('error', () => res.destroy());
  res.on('close', () => stream.destroy());
  stream.pipe(res);
}
