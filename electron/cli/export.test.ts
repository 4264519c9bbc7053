// `losslens export` as a user runs it (a real child process), each file read back with native
// DuckDB and compared with DuckDB's own query, or a JavaScript computation, over the same shards.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { str } from '../../shared/sql.ts';
import { writeDemoStore } from '../collector/demo.ts';
import { openTestDuck, runCli, storeRelation, tempDir } from '../collector/testing/helpers.ts';

let dir: string;
let store: string;
let rel: string;
let duck: Awaited<ReturnType<typeof openTestDuck>>;
const TARGETS = ['incidence_mean_signal_target', 'prevalence_target', 'hospitalization_loglik'];

beforeAll(async () => {
  dir = await tempDir('export-cli');
  store = path.join(dir, 'store');
  await writeDemoStore({ out: store, params: 300, targets: 3, seed: 5, failRate: 0.1 });
  rel = await storeRelation(store);
  duck = await openTestDuck();
});

afterAll(async () => {
  duck.close();
  await fs.rm(dir, { recursive: true, force: true });
});

async function exportOk(...args: string[]) {
  const r = await runCli(['export', store, ...args]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r;
}

const out = (name: string) => path.join(dir, name);

async function kv(file: string): Promise<Record<string, string>> {
  const rows = await duck.rows(
    `SELECT decode(key) AS k, decode(value) AS v FROM parquet_kv_metadata(${str(file)})`,
  );
  return Object.fromEntries(rows.map((r) => [String(r.k), String(r.v)]));
}

describe('losslens export: rows', () => {
  it('writes the filtered rows in the sorted order with the chosen columns, format from the extension', async () => {
    const file = out('rows.parquet');
    const r = await exportOk(
      '--out',
      file,
      '--where',
      'loss < 50',
      '--sort',
      'param_beta:desc',
      '--columns',
      'param_id,target,loss,param_beta',
    );
    const want = await duck.rows(
      `SELECT param_id, target, loss, param_beta FROM ${rel} WHERE loss < 50 ORDER BY param_beta DESC NULLS LAST, target, param_id`,
    );
    expect(want.length).toBeGreaterThan(10);
    const got = await duck.rows(`SELECT * FROM read_parquet(${str(file)})`);
    expect(got).toEqual(want);
    expect(Object.keys(got[0] ?? {})).toEqual(['param_id', 'target', 'loss', 'param_beta']);
    expect(r.stdout).toContain(`wrote ${want.length} rows to ${file} (parquet`);
  });

  it("uses the table's default order (per target, best loss first, failed and missing last) and every column", async () => {
    const file = out('all.csv');
    await exportOk('--out', file);
    const want = await duck.rows(
      `SELECT param_id, target, status, loss FROM ${rel} ORDER BY target, status <> 'ok', loss NULLS LAST, param_id`,
    );
    const got = await duck.rows(`SELECT param_id, target, status, loss FROM read_csv(${str(file)})`);
    expect(got).toEqual(want);
    const header = (await fs.readFile(file, 'utf8')).split('\n')[0];
    const cols = await duck.rows(`DESCRIBE SELECT * FROM ${rel}`);
    expect(header).toBe(cols.map((c) => c.column_name).join(','));
  });

  it('writes a JSON array, and --format wins over the extension', async () => {
    const file = out('rows.txt');
    await exportOk(
      '--out',
      file,
      '--format',
      'json',
      '--columns',
      'param_id,target,status',
      '--where',
      "status <> 'ok'",
      '--sort',
      'param_id',
    );
    const want = await duck.rows(
      `SELECT param_id, target, status FROM ${rel} WHERE status <> 'ok' ORDER BY param_id, target`,
    );
    expect(want.length).toBeGreaterThan(0);
    expect(JSON.parse(await fs.readFile(file, 'utf8'))).toEqual(want);
  });

  it('records where the rows came from: parquet metadata, and a sidecar for CSV and JSON', async () => {
    const digest = createHash('sha256')
      .update(await fs.readFile(path.join(store, 'store.json')))
      .digest('hex');
    const real = await fs.realpath(store);
    const manifest = JSON.parse(await fs.readFile(path.join(store, 'store.json'), 'utf8'));
    await exportOk('--out', out('p.parquet'), '--where', 'loss < 50', '--sort', 'loss:desc');
    const meta = await kv(out('p.parquet'));
    expect(meta).toMatchObject({
      'losslens.store': real,
      'losslens.job_id': manifest.job_id,
      'losslens.manifest_sha256': digest,
      'losslens.filter_sql': 'WHERE (loss < 50)',
      'losslens.losslens_version': manifest.collector_version,
      'losslens.combined_loss': 'mean',
    });
    expect(meta['losslens.sort_sql']).toMatch(/^ORDER BY .*"loss" DESC/);
    await exportOk('--out', out('p.csv'), '--where', 'loss < 50');
    const side = JSON.parse(await fs.readFile(out('p.csv.provenance.json'), 'utf8'));
    expect(side).toMatchObject({
      store: real,
      job_id: manifest.job_id,
      manifest_sha256: digest,
      filter_sql: 'WHERE (loss < 50)',
      format: 'csv',
    });
  });
});

interface Row {
  param_id: string;
  target: string;
  status: string;
  loss: number | null;
  [k: string]: unknown;
}

describe('losslens export: best N and summary', () => {
  let rows: Row[];
  beforeAll(async () => {
    rows = (await duck.rows(`SELECT * FROM ${rel}`)) as Row[];
  });
  const ok = (r: Row) => r.status === 'ok' && r.loss !== null;

  it('--best N: the N parameter sets with the lowest mean loss over every target, as JSON', async () => {
    await exportOk('--out', out('best.json'), '--best', '7');
    const bySet = new Map<string, Row[]>();
    for (const r of rows.filter(ok)) bySet.set(r.param_id, [...(bySet.get(r.param_id) ?? []), r]);
    const want = [...bySet.entries()]
      .filter(([, rs]) => rs.length === TARGETS.length)
      .map(([id, rs]) => ({
        id,
        combined: rs.reduce((s, r) => s + (r.loss as number), 0) / rs.length,
        beta: rs[0]?.param_beta,
      }))
      .sort((a, b) => a.combined - b.combined || (a.id < b.id ? -1 : 1))
      .slice(0, 7);
    const got = JSON.parse(await fs.readFile(out('best.json'), 'utf8')) as Record<string, unknown>[];
    expect(got.map((g) => g.param_id)).toEqual(want.map((w) => w.id));
    expect(got.map((g) => g.rank)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    got.forEach((g, i) => {
      expect(g.combined).toBeCloseTo(want[i]?.combined ?? Number.NaN, 9);
      expect(g.param_beta).toBe(want[i]?.beta);
    });
  });

  it('--best N --target T: by that target’s ok loss', async () => {
    await exportOk('--out', out('best-t.json'), '--best', '5', '--target', 'prevalence_target');
    const want = rows
      .filter((r) => ok(r) && r.target === 'prevalence_target')
      .sort((a, b) => (a.loss as number) - (b.loss as number) || (a.param_id < b.param_id ? -1 : 1))
      .slice(0, 5);
    const got = JSON.parse(await fs.readFile(out('best-t.json'), 'utf8')) as Row[];
    expect(got.map((g) => [g.param_id, g.loss])).toEqual(want.map((w) => [w.param_id, w.loss]));
  });

  it('--best N --combined mean-rank --where: ranks among the filtered rows', async () => {
    await exportOk(
      '--out',
      out('best-r.json'),
      '--best',
      '4',
      '--combined',
      'mean-rank',
      '--where',
      'param_gamma > 0.1',
    );
    const kept = rows.filter((r) => ok(r) && (r.param_gamma as number) > 0.1);
    const rank = new Map<Row, number>();
    for (const t of TARGETS) {
      const ts = kept.filter((r) => r.target === t).sort((a, b) => (a.loss as number) - (b.loss as number));
      for (const r of ts) rank.set(r, ts.findIndex((x) => x.loss === r.loss) + 1);
    }
    const bySet = new Map<string, number[]>();
    for (const r of kept) bySet.set(r.param_id, [...(bySet.get(r.param_id) ?? []), rank.get(r) ?? 0]);
    const want = [...bySet.entries()]
      .filter(([, rs]) => rs.length === TARGETS.length)
      .map(([id, rs]) => ({ id, m: rs.reduce((s, x) => s + x, 0) / rs.length }))
      .sort((a, b) => a.m - b.m || (a.id < b.id ? -1 : 1))
      .slice(0, 4);
    const got = JSON.parse(await fs.readFile(out('best-r.json'), 'utf8')) as Record<string, unknown>[];
    expect(got.map((g) => g.param_id)).toEqual(want.map((w) => w.id));
    const side = JSON.parse(await fs.readFile(out('best-r.json.provenance.json'), 'utf8'));
    expect(side.combined_loss).toBe('mean-rank');
  });

  it('--summary: per parameter set mean, sample std and min of its ok losses, n_ok and the parameters', async () => {
    await exportOk('--out', out('summary.parquet'), '--summary');
    const got = await duck.rows(`SELECT * FROM read_parquet(${str(out('summary.parquet'))})`);
    const sets = [...new Set(rows.map((r) => r.param_id))];
    expect(got.length).toBe(sets.length);
    const params = Object.keys(rows[0] ?? {}).filter((k) => k.startsWith('param_') && k !== 'param_id');
    expect(Object.keys(got[0] ?? {})).toEqual([
      'param_id',
      'mean_loss',
      'std_loss',
      'min_loss',
      'n_ok',
      'n_failed',
      ...params,
    ]);
    const byId = new Map(got.map((g) => [g.param_id as string, g]));
    for (const id of sets) {
      const ls = rows.filter((r) => r.param_id === id && ok(r)).map((r) => r.loss as number);
      const g = byId.get(id);
      const mean = ls.length ? ls.reduce((s, x) => s + x, 0) / ls.length : null;
      expect(g?.n_ok).toBe(ls.length);
      expect(g?.n_failed).toBe(rows.filter((r) => r.param_id === id && r.status === 'failed').length);
      if (mean === null) expect(g?.mean_loss).toBeNull();
      else expect(g?.mean_loss as number).toBeCloseTo(mean, 9);
      expect(g?.min_loss).toEqual(ls.length ? Math.min(...ls) : null);
      if (ls.length > 1) {
        const sd = Math.sqrt(ls.reduce((s, x) => s + (x - (mean as number)) ** 2, 0) / (ls.length - 1));
        expect(g?.std_loss as number).toBeCloseTo(sd, 6);
      } else expect(g?.std_loss).toBeNull();
      expect(g?.param_beta).toBe(rows.find((r) => r.param_id === id)?.param_beta);
    }
    const means = got.map((g) => g.mean_loss as number | null);
    const firstNull = means.indexOf(null);
    const okMeans = firstNull < 0 ? means : means.slice(0, firstNull);
    expect(okMeans).toEqual([...okMeans].sort((a, b) => (a as number) - (b as number)));
    expect((await kv(out('summary.parquet')))['losslens.kind']).toBe('summary');
  });

  it('info --summary (what a job runner uploads) writes the same table, row for row, in the same order', async () => {
    await exportOk('--out', out('summary-app.parquet'), '--summary');
    const r = await runCli(['info', store, '--summary', out('summary-runner.parquet')]);
    expect(r.code).toBe(0);
    const read = (f: string) => duck.rows(`SELECT * FROM read_parquet(${str(out(f))})`);
    const [app, runner] = [await read('summary-app.parquet'), await read('summary-runner.parquet')];
    expect(runner.length).toBeGreaterThan(100);
    expect(runner).toEqual(app);
  });
});
