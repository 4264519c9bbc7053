// Exports through the real browser host over loopback HTTP: the Api starts one, exportStatus
// follows it, the download route serves exactly the written file behind the token, and nothing
// else (no other id, name, or path) comes out of that route. The Electron path: only a destination
// the save dialog returned is written.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportJob } from '../../shared/export-types.ts';
import { str } from '../../shared/sql.ts';
import { writeDemoStore } from '../collector/demo.ts';
import { openTestDuck, storeRelation, tempDir } from '../collector/testing/helpers.ts';
import { createHost, type Host } from '../host/host.ts';
import { type RunningServer, startServer } from './server.ts';
import { rawRequest } from './test-helpers.ts';

let dir: string;
let store: string;
let host: Host;
let server: RunningServer;
let storeId: string;

beforeAll(async () => {
  dir = await tempDir('export-route');
  store = path.join(dir, 'store');
  await writeDemoStore({ out: store, params: 100, targets: 2, seed: 4, failRate: 0.1 });
  const staticDir = path.join(dir, 'static');
  await fs.mkdir(staticDir);
  await fs.writeFile(path.join(staticDir, 'index.html'), '<!doctype html>');
  host = createHost({
    transport: 'http',
    crossOriginIsolation: false,
    watch: false,
    dataDir: path.join(dir, 'data'),
  });
  server = await startServer({ host, staticDir });
  storeId = (await host.api.openStore({ path: store })).id;
});

afterAll(async () => {
  await server.close();
  await host.close();
  await fs.rm(dir, { recursive: true, force: true });
});

const auth = () => ({ Authorization: `Bearer ${server.token}` });

async function call<T>(method: string, body: unknown): Promise<{ status: number; json: T }> {
  const r = await rawRequest(server.port, `/api/${method}`, {
    method: 'POST',
    headers: { ...auth(), 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: r.status, json: JSON.parse(r.body.toString('utf8')) as T };
}

async function finished(id: string): Promise<ExportJob> {
  for (;;) {
    const { json } = await call<ExportJob>('exportStatus', { exportId: id });
    if (json.state !== 'running') return json;
    await new Promise((r) => setTimeout(r, 50));
  }
}

const request = (over: Record<string, unknown> = {}) => ({
  storeId,
  kind: 'rows',
  format: 'csv',
  filter: { where: 'loss < 100', statuses: ['ok'] },
  sort: { column: 'loss', desc: false },
  columns: ['param_id', 'target', 'loss'],
  combined: { method: 'mean', weights: {} },
  ...over,
});

describe('export in the browser host', () => {
  it('starts an export, reports it done, and serves the file and its sidecar as downloads behind the token', async () => {
    const started = await call<ExportJob>('exportRows', request());
    expect(started.status).toBe(200);
    const job = await finished(started.json.id);
    expect(job).toMatchObject({ state: 'done', fraction: 1, fileName: 'store-rows.csv', path: null });
    const file = await rawRequest(server.port, job.download ?? '', { headers: auth() });
    expect(file.status).toBe(200);
    expect(file.headers['content-disposition']).toBe(
      `attachment; filename="store-rows.csv"; filename*=UTF-8''store-rows.csv`,
    );
    const duck = await openTestDuck();
    const csv = path.join(dir, 'downloaded.csv');
    await fs.writeFile(csv, file.body);
    const want = await duck.rows(
      `SELECT param_id, target, loss FROM ${await storeRelation(store)} WHERE loss < 100 AND status = 'ok' ORDER BY loss, target, param_id`,
    );
    expect(await duck.rows(`SELECT * FROM read_csv(${str(csv)})`)).toEqual(want);
    duck.close();
    expect(job.rows).toBe(want.length);
    const side = await rawRequest(server.port, job.sidecarDownload ?? '', { headers: auth() });
    expect(JSON.parse(side.body.toString('utf8'))).toMatchObject({
      kind: 'rows',
      filter_sql: `WHERE "status" IN ('ok') AND (loss < 100)`,
    });

    expect((await rawRequest(server.port, job.download ?? '')).status).toBe(401);
    const other = (job.download ?? '').replace(job.id, '0123456789abcdef');
    expect((await rawRequest(server.port, other, { headers: auth() })).status).toBe(404);
    for (const bad of ['/..%2f..%2fstore%2fstore.json', '/store.json', '/store-rows.csv/x', '/%E0%A4%A']) {
      const r = await rawRequest(server.port, `/export/${job.id}${bad}`, { headers: auth() });
      expect(r.status).toBe(404);
    }
  });

  it('applies brushed loss and parameter ranges as the window does (sets whose loss on one target is in range)', async () => {
    const duck = await openTestDuck();
    const rel = await storeRelation(store);
    // A brush over the best third of one target's losses, and a parameter range.
    const [q] = await duck.rows(
      `SELECT quantile_cont(loss, 0.33) AS hi FROM ${rel} WHERE target = 'prevalence_target' AND status = 'ok'`,
    );
    const hi = Number(q?.hi);
    const filter = {
      lossRanges: { prevalence_target: [null, hi] },
      paramRanges: { param_gamma: [0.1, null] },
    };
    const started = await call<ExportJob>(
      'exportRows',
      request({ filter, sort: null, format: 'json', columns: ['param_id', 'target', 'loss'] }),
    );
    const job = await finished(started.json.id);
    expect(job.state).toBe('done');
    const body = await rawRequest(server.port, job.download ?? '', { headers: auth() });
    const want = await duck.rows(
      `SELECT param_id, target, loss FROM ${rel} WHERE param_gamma >= 0.1 AND param_id IN (
        SELECT param_id FROM ${rel} WHERE target = 'prevalence_target' AND status = 'ok' AND loss <= ${hi}::DOUBLE)
       ORDER BY target, status <> 'ok', loss NULLS LAST, param_id`,
    );
    duck.close();
    expect(want.length).toBeGreaterThan(0);
    expect(JSON.parse(body.body.toString('utf8'))).toEqual(want);
  });

  it('reports a bad filter as the failed export’s message, and refuses a destination the dialog did not give', async () => {
    const started = await call<ExportJob>('exportRows', request({ filter: { where: 'lss < 1' } }));
    const job = await finished(started.json.id);
    expect(job.state).toBe('failed');
    expect(job.error).toMatch(/--where: .*"lss".*did you mean loss\?/);
    const refused = await call<{ error: { message: string } }>(
      'exportRows',
      request({ destination: path.join(dir, 'x.csv') }),
    );
    expect(refused.status).toBe(400);
    expect(refused.json.error.message).toMatch(/Save dialog/);
    const noDialog = await call<{ error: { code: string } }>('pickExportPath', { suggestedName: 'x.csv' });
    expect(noDialog.json.error.code).toBe('unsupported');
  });
});

describe('export in Electron (save dialog)', () => {
  it('writes to the path the dialog returned, and only there', async () => {
    const chosen = path.join(dir, 'chosen.parquet');
    const asked: string[] = [];
    const eh = createHost({
      transport: 'electron',
      crossOriginIsolation: true,
      watch: false,
      dataDir: path.join(dir, 'data-e'),
      pickSavePath: async (name) => {
        asked.push(name);
        return chosen;
      },
    });
    const id = (await eh.api.openStore({ path: store })).id;
    const { path: picked } = await eh.api.pickExportPath({ suggestedName: 'store-best.parquet' });
    expect(picked).toBe(chosen);
    expect(asked).toEqual(['store-best.parquet']);
    const job = await eh.call('exportRows', {
      ...request({
        kind: 'best',
        format: 'parquet',
        filter: {},
        columns: undefined,
        sort: null,
        best: { n: 3 },
      }),
      storeId: id,
      destination: chosen,
    });
    let status = job;
    while (status.state === 'running') {
      await new Promise((r) => setTimeout(r, 50));
      status = await eh.api.exportStatus({ exportId: job.id });
    }
    expect(status).toMatchObject({ state: 'done', path: chosen, download: null, rows: 3 });
    expect((await fs.stat(chosen)).size).toBe(status.bytes);
    await expect(
      eh.call('exportRows', { ...request(), storeId: id, destination: path.join(dir, 'elsewhere.csv') }),
    ).rejects.toThrow(/Save dialog/);
    await eh.close();
  });
});
