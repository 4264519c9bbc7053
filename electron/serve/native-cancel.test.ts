// A query the view no longer wants must stop on the host, not run on to the end of its scan while
// the client's next page waits behind it. Real HTTP, a real store, a query that would run for
// minutes: cancelled, it answers `cancelled` and the client's session has nothing running.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CANCELLED_MESSAGE } from '../../shared/query-wire.ts';
import type { Host } from '../host/host.ts';
import type { RunningServer } from './server.ts';
import { type RawResponse, rawRequest, servedDemoStore } from './test-helpers.ts';

let host: Host;
let server: RunningServer;
let storeId: string;
const session = 'cd'.repeat(16);
/** Minutes of work for DuckDB (no shortcut: every hash is computed). */
const ENDLESS = 'SELECT sum(hash(i * 7 + j)) AS h FROM range(2000000000) t(i), range(1000) u(j)';

let close: () => Promise<void>;

beforeAll(async () => {
  ({ host, server, storeId, close } = await servedDemoStore('losslens-ncancel-', {
    params: 20,
    targets: 1,
    seed: 3,
    failRate: 0,
  }));
});

/** Polls until none of the store's client sessions has a statement queued or running. */
async function idle(): Promise<void> {
  const store = await host.native.storeFor(storeId);
  while ((await store.busySessions()) > 0) await new Promise((r) => setTimeout(r, 20));
}

afterAll(() => close());

const headers = () => ({
  Cookie: `losslens_token_${server.port}=${server.token}`,
  'Content-Type': 'application/json',
});
const call = (method: string, body: object): Promise<RawResponse> =>
  rawRequest(server.port, `/api/${method}`, {
    method: 'POST',
    headers: headers(),
    body: JSON.stringify(body),
  });
const query = (queryId: string, sql: string) => call('query', { storeId, session, queryId, sql });
const errorOf = (r: RawResponse) =>
  (JSON.parse(r.body.toString('utf8')) as { error: { message: string; code: string } }).error;

/** Resolves once the host reports `queryId` as running or queued (cancel says whether it knew it). */
async function cancelWhenKnown(queryId: string): Promise<void> {
  for (;;) {
    const r = await call('cancelQuery', { storeId, session, queryId });
    if ((JSON.parse(r.body.toString('utf8')) as { cancelled: boolean }).cancelled) return;
    await new Promise((res) => setTimeout(res, 20));
  }
}

describe('cancelling a query', () => {
  it('interrupts a running query: it answers cancelled and the connection serves the next query', async () => {
    const long = query('long1', ENDLESS);
    await cancelWhenKnown('long1');
    const answer = await long;
    expect(answer.status).toBe(409);
    expect(errorOf(answer)).toEqual({ code: 'cancelled', message: CANCELLED_MESSAGE });
    await idle();
    const next = await query('next1', 'SELECT count(*) AS n FROM losses');
    expect(next.status).toBe(200);
  });

  it('drops a queued query without running it, and the one ahead of it can still be cancelled', async () => {
    // Temp-table statements share one connection (the client's state lane): queue two there.
    const long = query('long2', `CREATE TEMP TABLE t2 AS ${ENDLESS}`);
    const queued = query('queued2', 'CREATE TEMP TABLE t3 AS SELECT 42 AS x');
    await cancelWhenKnown('queued2');
    expect(errorOf(await queued).code).toBe('cancelled');
    await cancelWhenKnown('long2');
    expect(errorOf(await long).code).toBe('cancelled');
    await idle();
  });

  it('stops the query when the HTTP client goes away (an aborted fetch)', async () => {
    const gone = request({
      host: '127.0.0.1',
      port: server.port,
      path: '/api/query',
      method: 'POST',
      headers: headers(),
    });
    gone.on('error', () => {});
    gone.end(JSON.stringify({ storeId, session, queryId: 'long3', sql: ENDLESS }));
    await new Promise((r) => setTimeout(r, 300));
    expect(await (await host.native.storeFor(storeId)).busySessions()).toBe(1); // it runs
    gone.destroy();
    await idle(); // only once the abandoned scan was stopped
    const next = await query('next3', 'SELECT 1 AS one');
    expect(next.status).toBe(200);
  });

  it('says false for a query it does not know (finished or never sent)', async () => {
    const r = await call('cancelQuery', { storeId, session, queryId: 'nosuch' });
    expect(JSON.parse(r.body.toString('utf8'))).toEqual({ cancelled: false });
  });
});
