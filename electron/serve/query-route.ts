// `POST /api/query`: the one Api method whose answer is binary. The request is JSON like every
// other call (same token, origin and content-type checks, in server.ts); the answer is the Arrow
// IPC stream itself, so a 10k-row page is not inflated into a JSON array of byte values. A client
// that goes away before the answer (the page aborted the fetch) cancels its query on the host.
import type { ServerResponse } from 'node:http';
import { ARROW_STREAM_TYPE } from '../../shared/query-wire.ts';
import type { Host } from '../host/host.ts';
import { SECURITY_HEADERS } from './headers.ts';

export async function sendQuery(res: ServerResponse, host: Host, body: unknown): Promise<void> {
  const onGone = () => {
    if (res.writableEnded) return;
    void host.call('cancelQuery', cancelOf(body)).catch(() => {});
  };
  res.once('close', onGone);
  try {
    const { ipc } = await host.call('query', body);
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': ARROW_STREAM_TYPE,
      'Content-Length': String(ipc.byteLength),
      'Cache-Control': 'no-store',
    });
    res.end(ipc);
  } finally {
    res.off('close', onGone);
  }
}

/** The cancel request for a query body (already validated by the time the client can vanish). */
function cancelOf(body: unknown): unknown {
  const b = (body ?? {}) as Record<string, unknown>;
  return { storeId: b.storeId, session: b.session, queryId: b.queryId };
}
