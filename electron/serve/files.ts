// Sending files: shard bytes with Range support, and the built renderer's static assets.
import { createReadStream, promises as fs } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { rangeReply } from '../host/range.ts';

/** Send a file honouring Range and HEAD. */
export async function sendFile(
  req: IncomingMessage,
  res: ServerResponse,
  file: string,
  headers: Record<string, string> = {},
) {
  const stat = await fs.stat(file);
  const reply = rangeReply(req.headers.range, stat.size, file, {
    ...headers,
    'Last-Modified': stat.mtime.toUTCString(),
  });
  res.writeHead(reply.status, reply.headers);
  if (reply.status === 416 || req.method === 'HEAD' || reply.length === 0) {
    res.end();
    return;
  }
  const stream = createReadStream(file, { start: reply.start, end: reply.end });
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}
