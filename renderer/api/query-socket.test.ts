// The page's query socket must never change what a view gets: while it connects, queries go by
// POST; once open, on the socket; a query in flight when it drops is asked again by POST.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { decodeAnswer, encodeAnswer } from '../../shared/query-socket-wire.ts';
import { ApiError } from './build.ts';
import { QuerySocket } from './query-socket.ts';

class FakeSocket {
  static OPEN = 1;
  static last: FakeSocket | null = null;
  readyState = 0;
  binaryType = '';
  sent: string[] = [];
  onmessage: ((m: { data: ArrayBuffer }) => void) | null = null;
  onclose: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.last = this;
  }
  send(s: string) {
    this.sent.push(s);
  }
  reply(bytes: Uint8Array) {
    this.onmessage?.({ data: bytes.slice().buffer });
  }
}

const req = (queryId: string) => ({ storeId: 's1', session: 'ab'.repeat(16), queryId, sql: 'SELECT 1' });

describe('QuerySocket', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('posts while connecting, uses the socket once open, and re-posts what a drop left unanswered', async () => {
    vi.stubGlobal('WebSocket', FakeSocket);
    const post = vi.fn(async () => ({ ipc: new Uint8Array([9]) }));
    const qs = new QuerySocket('ws://127.0.0.1:1/api/socket', post);
    expect(await qs.query(req('a'))).toEqual({ ipc: new Uint8Array([9]) }); // connecting: POST
    const ws = FakeSocket.last!;
    ws.readyState = FakeSocket.OPEN;

    const b = qs.query(req('b'));
    expect(JSON.parse(ws.sent[0]!)).toMatchObject({ op: 'query', queryId: 'b' });
    ws.reply(encodeAnswer({ session: req('b').session, queryId: 'b', ok: true }, new Uint8Array([1, 2])));
    expect(await b).toEqual({ ipc: new Uint8Array([1, 2]) });

    const c = qs.query(req('c'));
    ws.reply(
      encodeAnswer({
        session: req('c').session,
        queryId: 'c',
        ok: false,
        error: { code: 'bad-request', message: 'no' },
      }),
    );
    await expect(c).rejects.toEqual(new ApiError('no', 'bad-request'));

    const d = qs.query(req('d'));
    expect(qs.cancel(req('d'))).toBe(true);
    expect(JSON.parse(ws.sent.at(-1)!)).toMatchObject({ op: 'cancel', queryId: 'd' });
    await expect(d).rejects.toMatchObject({ code: 'cancelled' });
    const e = qs.query(req('e'));
    ws.onclose?.(); // dropped: the unanswered one is asked again by POST, the cancelled one not
    expect(await e).toEqual({ ipc: new Uint8Array([9]) });
    expect(post).toHaveBeenCalledTimes(2);
    expect(qs.cancel(req('e'))).toBe(false);
  });

  it('frames header and Arrow bytes so they come apart unchanged', () => {
    const ipc = new Uint8Array([0, 255, 7, 8]);
    const back = decodeAnswer(encodeAnswer({ session: 's', queryId: 'q', ok: true }, ipc));
    expect(back.header).toEqual({ session: 's', queryId: 'q', ok: true });
    expect([...back.ipc]).toEqual([...ipc]);
  });
});
