// The query socket over a real browser host: the same gate as the POST routes (token, origin,
// Host), the same answers (equal to native DuckDB over the same shards), the same statement
// checks, and a socket that goes away stops its query on the host.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { arrow } from '../../shared/arrow.ts';
import { decodeAnswer, type SocketAnswerHeader } from '../../shared/query-socket-wire.ts';
import { str } from '../../shared/sql.ts';
import type { Host } from '../host/host.ts';
import type { RunningServer } from './server.ts';
import { servedDemoStore } from './test-helpers.ts';

let dir: string;
let host: Host;
let server: RunningServer;
let storeId: string;
const session = 'ef'.repeat(16);
const ENDLESS = 'SELECT sum(hash(i * 7 + j)) AS h FROM range(2000000000) t(i), range(1000) u(j)';

let close: () => Promise<void>;

beforeAll(async () => {
  ({ dir, host, server, storeId, close } = await servedDemoStore('losslens-qsock-', {
    params: 40,
    targets: 2,
    seed: 7,
    failRate: 0.1,
  }));
});

afterAll(() => close());

const url = () => `ws://127.0.0.1:${server.port}/api/socket`;
const own = () => ({
  Cookie: `losslens_token_${server.port}=${server.token}`,
  Origin: `http://127.0.0.1:${server.port}`,
});

/** Opens a socket with `headers`; the HTTP status it was refused with, or the open socket. */
function connect(headers: Record<string, string>): Promise<WebSocket | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url(), { headers });
    ws.on('open', () => resolve(ws));
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => resolve(-1));
  });
}

function ask(
  ws: WebSocket,
  queryId: string,
  sql: string,
): Promise<{ header: SocketAnswerHeader; ipc: Uint8Array }> {
  return new Promise((resolve) => {
    const on = (data: Buffer) => {
      const answer = decodeAnswer(new Uint8Array(data));
      if (answer.header.queryId !== queryId) return;
      ws.off('message', on);
      resolve(answer);
    };
    ws.on('message', on);
    ws.send(JSON.stringify({ op: 'query', storeId, session, queryId, sql }));
  });
}

describe('the query socket', () => {
  it('refuses an upgrade without the token, from another origin, or for another Host name', async () => {
    expect(await connect({ Origin: own().Origin })).toBe(401);
    expect(await connect({ ...own(), Origin: 'http://127.0.0.1:8888' })).toBe(403);
    expect(await connect({ ...own(), Host: `evil.example:${server.port}` })).toBe(403);
  });

  it('answers the store’s SQL equal to native DuckDB, and refuses what the POST route refuses', async () => {
    const ws = (await connect(own())) as WebSocket;
    const sql = 'SELECT target, count(*) AS n, min(loss) AS lo FROM losses GROUP BY target ORDER BY target';
    const { header, ipc } = await ask(ws, 'a1', sql);
    expect(header.ok).toBe(true);
    const got = arrow
      .tableFromIPC(ipc)
      .toArray()
      .map((r) => r.toJSON());
    const c = await (await DuckDBInstance.create(':memory:')).connect();
    const want = (
      await c.runAndReadAll(
        sql.replace(
          'FROM losses',
          `FROM read_parquet(${str(path.join(dir, 'store', 'shards', '*.parquet'))})`,
        ),
      )
    ).getRowObjectsJS();
    c.closeSync();
    expect(got.length).toBeGreaterThan(0);
    expect(got).toEqual(want);
    const copy = await ask(ws, 'a2', `COPY (SELECT 1) TO ${str(path.join(dir, 'out.csv'))}`);
    expect(copy.header).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    await expect(fs.stat(path.join(dir, 'out.csv'))).rejects.toThrow();
    ws.close();
  });

  it('stops a running query when its socket closes', async () => {
    const ws = (await connect(own())) as WebSocket;
    ws.send(JSON.stringify({ op: 'query', storeId, session, queryId: 'long', sql: ENDLESS }));
    const store = await host.native.storeFor(storeId);
    const deadline = Date.now() + 5_000;
    while ((await store.busySessions()) === 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    expect(await store.busySessions()).toBe(1); // it runs
    ws.terminate();
    while ((await store.busySessions()) > 0) await new Promise((r) => setTimeout(r, 20));
    const next = (await connect(own())) as WebSocket;
    expect((await ask(next, 'after', 'SELECT 1 AS one')).header.ok).toBe(true);
    next.close();
  });
});

describe('shutting the host down', () => {
  it('ends open sockets, so closing the server does not wait for them', async () => {
    const served = await servedDemoStore('losslens-qsock2-', { params: 5, targets: 1, seed: 1, failRate: 0 });
    const ws = new WebSocket(`ws://127.0.0.1:${served.server.port}/api/socket`, {
      headers: {
        Cookie: `losslens_token_${served.server.port}=${served.server.token}`,
        Origin: `http://127.0.0.1:${served.server.port}`,
      },
    });
    await new Promise((r) => ws.on('open', r));
    const closed = new Promise((r) => ws.on('close', r));
    await served.close(); // hung forever before: server.close waited for the upgraded socket
    await closed;
  }, 10_000);
});
