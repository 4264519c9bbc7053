// Server-Sent Events: the browser host's channel for ApiEvents (store opened/updated/closed).
import type { ServerResponse } from 'node:http';
import type { ApiEvent } from '../../shared/events.ts';

export function openEventStream(
  res: ServerResponse,
  subscribe: (l: (e: ApiEvent) => void) => () => void,
  headers: Record<string, string>,
) {
  res.writeHead(200, {
    ...headers,
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    Connection: 'keep-alive',
  });
  res.write(': connected\n\n');
  const unsubscribe = subscribe((event) => res.write(`data: ${JSON.stringify(event)}\n\n`));
  // A comment line every 15 s keeps proxies and idle timeouts from closing the stream.
  const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
  res.on('close', () => {
    clearInterval(ping);
    unsubscribe();
  });
}
