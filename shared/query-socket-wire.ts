// The browser host's query socket (HTTP_ROUTES.querySocket). A fetch costs ~3.7 ms in Chromium
// before the host sees it (the host answers in ~0.6 ms); a WebSocket message ~0.3 ms, and the
// views send many small queries (counts, pages). Requests are JSON text; each answer is one binary
// message: a 4-byte big-endian length, that many bytes of JSON header, then the Arrow IPC stream.
import type { ApiErrorBody, ApiRequest } from './api.ts';

export type SocketRequest =
  | ({ op: 'query' } & ApiRequest<'query'>)
  | ({ op: 'cancel' } & ApiRequest<'cancelQuery'>);

export type SocketAnswerHeader = { session: string; queryId: string } & (
  | { ok: true }
  | ({ ok: false } & ApiErrorBody)
);

export function encodeAnswer(header: SocketAnswerHeader, ipc?: Uint8Array): Uint8Array {
  const head = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(4 + head.byteLength + (ipc?.byteLength ?? 0));
  new DataView(out.buffer).setUint32(0, head.byteLength);
  out.set(head, 4);
  if (ipc) out.set(ipc, 4 + head.byteLength);
  return out;
}

export function decodeAnswer(bytes: Uint8Array): { header: SocketAnswerHeader; ipc: Uint8Array } {
  const n = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + n))) as SocketAnswerHeader;
  return { header, ipc: bytes.subarray(4 + n) };
}
