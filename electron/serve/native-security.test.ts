// SQL from the page runs in native DuckDB, which can read and write any file the host can: every
// way out is tried here over real HTTP against a real browser host with two opened stores, and
// each must fail with a message saying why, while the store's own queries still work.
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arrow } from '../../shared/arrow.ts';
import { ARROW_STREAM_TYPE } from '../../shared/query-wire.ts';
import { str } from '../../shared/sql.ts';
import { writeDemoStore } from '../collector/demo.ts';
import { createHost, type Host } from '../host/host.ts';
import { type RunningServer, startServer } from './server.ts';
import { rawRequest } from './test-helpers.ts';

let dir: string;
let host: Host;
let server: RunningServer;
let storeId: string;
let otherShard: string;
let ownShard: string;
const session = 'ab'.repeat(16);

beforeAll(async () => {
  dir = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'losslens-nsec-')));
  await writeDemoStore({ out: path.join(dir, 'store'), params: 40, targets: 2, seed: 5, failRate: 0.1 });
  await writeDemoStore({ out: path.join(dir, 'other'), params: 10, targets: 1, seed: 6, failRate: 0 });
  await fs.mkdir(path.join(dir, 'static'));
  await fs.writeFile(path.join(dir, 'static', 'index.html'), '<!doctype html><title>Losslens</title>');
  host = createHost({
    transport: 'http',
    crossOriginIsolation: true,
    watch: false,
    dataDir: path.join(dir, 'data'),
  });
  const store = await host.api.openStore({ path: path.join(dir, 'store') });
  const other = await host.api.openStore({ path: path.join(dir, 'other') });
  storeId = store.id;
  ownShard = path.join(dir, 'store', store.manifest.shards[0]!.path);
  otherShard = path.join(dir, 'other', other.manifest.shards[0]!.path);
  server = await startServer({ host, staticDir: path.join(dir, 'static') });
});

afterAll(async () => {
  await server.close();
  await host.close();
  await fs.rm(dir, { recursive: true, force: true });
});

let seq = 0;
function query(sql: string, headers: Record<string, string> = {}) {
  return rawRequest(server.port, '/api/query', {
    method: 'POST',
    headers: {
      Cookie: `losslens_token_${server.port}=${server.token}`,
      'Content-Type': 'application/json',
      ...headers,
    },
    body: JSON.stringify({ storeId, session, queryId: `q${++seq}`, sql }),
  });
}

const message = (body: Buffer) =>
  (JSON.parse(body.toString('utf8')) as { error: { message: string } }).error.message;

describe('the query route', () => {
  it('answers the store’s own SQL as an Arrow stream equal to native DuckDB over the same shards', async () => {
    const res = await query(
      'SELECT target, count(*) AS n, min(loss) AS lo FROM losses GROUP BY target ORDER BY target',
    );
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(ARROW_STREAM_TYPE);
    const got = arrow
      .tableFromIPC(new Uint8Array(res.body))
      .toArray()
      .map((r) => r.toJSON());
    const c = await (await DuckDBInstance.create(':memory:')).connect();
    const want = (
      await c.runAndReadAll(
        `SELECT target, count(*) AS n, min(loss) AS lo FROM read_parquet(${str(path.join(dir, 'store', 'shards', '*.parquet'))}) GROUP BY target ORDER BY target`,
      )
    ).getRowObjectsJS();
    c.closeSync();
    expect(got).toEqual(want);
  });

  it('keeps the Api’s token and origin checks', async () => {
    const noToken = await rawRequest(server.port, '/api/query', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ storeId, session, queryId: 'x1', sql: 'SELECT 1' }),
    });
    expect(noToken.status).toBe(401);
    const evil = await query('SELECT 1', { Origin: 'http://127.0.0.1:8888', 'Sec-Fetch-Site': 'same-site' });
    expect(evil.status).toBe(403);
    const textBody = await query('SELECT 1', { 'Content-Type': 'text/plain' });
    expect(textBody.status).toBe(415);
  });
});

describe('SQL that reaches outside the store fails with a clear error', () => {
  const refused: [string, () => string, RegExp][] = [
    ['reading /etc/passwd', () => "SELECT * FROM read_csv('/etc/passwd')", /disabled by configuration/],
    [
      'reading any file as text',
      () => "SELECT * FROM read_text('/etc/hostname')",
      /disabled by configuration/,
    ],
    [
      'reading another opened store',
      () => `SELECT count(*) FROM read_parquet(${str(otherShard)})`,
      /disabled by configuration/,
    ],
    [
      'climbing out with ..',
      () =>
        `SELECT count(*) FROM read_parquet(${str(`${path.dirname(ownShard)}/../../other/shards/x.parquet`)})`,
      /disabled by configuration/,
    ],
    ['listing the file system', () => "SELECT * FROM glob('/*')", /disabled by configuration/],
    [
      'COPY to /tmp',
      () => "COPY (SELECT 1) TO '/tmp/losslens-nsec-x.csv'",
      /COPY statements are not allowed/,
    ],
    [
      'COPY over a shard of the store itself',
      () => `COPY (SELECT 1 AS a) TO ${str(ownShard)} (FORMAT parquet)`,
      /COPY statements are not allowed/,
    ],
    [
      'EXPLAIN ANALYZE of a COPY (which would run it)',
      () => `EXPLAIN ANALYZE COPY (SELECT 1) TO ${str(ownShard)}`,
      /EXPLAIN ANALYZE runs its statement/,
    ],
    [
      'EXPLAIN of a COPY',
      () => `EXPLAIN COPY (SELECT 1) TO ${str(ownShard)}`,
      /EXPLAIN statements are not allowed/,
    ],
    [
      'EXPORT DATABASE',
      () => "EXPORT DATABASE '/tmp/losslens-nsec-export'",
      /EXPORT statements are not allowed/,
    ],
    [
      'ATTACH a database file',
      () => "ATTACH '/tmp/losslens-nsec.db' AS x",
      /ATTACH statements are not allowed/,
    ],
    ['ATTACH in memory', () => "ATTACH ':memory:' AS x", /ATTACH statements are not allowed/],
    ['INSTALL an extension', () => 'INSTALL httpfs', /INSTALL statements are not allowed/],
    ['LOAD an extension', () => 'LOAD httpfs', /LOAD statements are not allowed/],
    [
      'turning external access back on',
      () => 'SET enable_external_access = true',
      /SET statements are not allowed/,
    ],
    ['RESET of a setting', () => 'RESET memory_limit', /RESET statements are not allowed/],
    ['PRAGMA', () => 'PRAGMA database_list', /PRAGMA statements are not allowed/],
    ['CALL', () => 'CALL pragma_version()', /CALL statements are not allowed/],
    [
      'a second statement after ;',
      () => 'SELECT 1; SELECT 2',
      /one SQL statement per query; this text has 2/,
    ],
    [
      'a COPY hidden after ;',
      () => `SELECT 1; COPY (SELECT 1) TO ${str(ownShard)}`,
      /one SQL statement per query/,
    ],
    ['CREATE MACRO', () => 'CREATE MACRO m(x) AS x + 1', /CREATE statements are not allowed/],
    ['INSERT into a table', () => 'INSERT INTO t VALUES (1)', /INSERT statements are not allowed/],
    ['a persistent (shared) table', () => 'CREATE TABLE t AS SELECT 1', /CREATE statements are not allowed/],
    ['dropping the store’s view', () => 'DROP VIEW losses', /losses view cannot be dropped/],
    [
      'dropping the host’s pre-aggregate (shared by every client)',
      () => 'DROP TABLE IF EXISTS "__losslens_pre_sets_1"',
      /pre-aggregates are shared by every client and cannot be dropped/,
    ],
    ['SET VARIABLE', () => 'SET VARIABLE x = 1', /SET statements are not allowed/],
  ];
  for (const [what, sql, why] of refused) {
    it(`refuses ${what}, asked again too`, async () => {
      // Asked twice: allowed texts' verdicts are kept by text (native-statement.ts), refusals never.
      for (let i = 0; i < 2; i++) {
        const res = await query(sql());
        expect(res.status).toBe(400);
        expect(message(res.body)).toMatch(why);
      }
    });
  }

  it('runs the shapes the views use: a temp table, EXPLAIN of a query, DROP of the temp table', async () => {
    // Twice over: the second round runs on the kept verdicts.
    for (const sql of [0, 1].flatMap(() => [
      'CREATE OR REPLACE TEMP TABLE "__t" AS SELECT target, count(*) AS n FROM losses GROUP BY target',
      'EXPLAIN SELECT * FROM "__t"',
      'DROP TABLE IF EXISTS "__t"',
    ])) {
      const res = await query(sql);
      expect(res.status, `${sql}: ${res.body.toString('utf8').slice(0, 200)}`).toBe(200);
    }
  });

  it('left every file as it was and the store still answers', async () => {
    expect(existsSync('/tmp/losslens-nsec-x.csv')).toBe(false);
    expect(existsSync('/tmp/losslens-nsec.db')).toBe(false);
    expect(existsSync('/tmp/losslens-nsec-export')).toBe(false);
    const head = (await fs.readFile(ownShard)).subarray(0, 4).toString('latin1');
    expect(head).toBe('PAR1');
    const res = await query('SELECT count(*) AS n FROM losses');
    expect(res.status).toBe(200);
    const n = arrow.tableFromIPC(new Uint8Array(res.body)).getChild('n')?.get(0);
    expect(Number(n)).toBe(80);
    const setting = await query("SELECT current_setting('enable_external_access') AS v");
    expect(arrow.tableFromIPC(new Uint8Array(setting.body)).getChild('v')?.get(0)).toBe(false);
  });
});
