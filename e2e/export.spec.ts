// Export from the window (real Chromium, the real browser host): the filtered, sorted rows to
// Parquet, CSV and JSON, the best N parameter sets to JSON and the loss summary to Parquet, each
// downloaded and read back with native DuckDB against DuckDB's own query over the same shards.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { expect, type Page, test } from '@playwright/test';
import { str } from '../shared/sql.ts';
import { queryStore } from './duck.ts';
import { type ServedHost, serve } from './host.ts';
import { DEMO_STORE, E2E_DIR } from './stores.ts';

const OUT = path.join(E2E_DIR, 'exports');
const WHERE = 'loss < 100 AND param_beta > 0.3';
let host: ServedHost;

test.beforeAll(async () => {
  await fs.rm(OUT, { recursive: true, force: true });
  await fs.mkdir(OUT, { recursive: true });
  host = await serve([DEMO_STORE.dir]);
});
test.afterAll(async () => {
  await host.stop();
});

async function readBack<T = Record<string, unknown>>(sql: string): Promise<T[]> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    return (await conn.runAndReadAll(sql)).getRowObjectsJS() as T[];
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

async function filterAndSort(page: Page) {
  await page.goto(host.url);
  const grid = page.getByRole('grid', { name: 'Loss table' });
  const [ref] = await queryStore<{ n: number }>(
    DEMO_STORE.dir,
    (rel) => `SELECT count(*)::INT AS n FROM ${rel} WHERE ${WHERE}`,
  );
  const where = page.getByPlaceholder(/loss </);
  await where.fill(WHERE);
  await where.press('Enter');
  await expect(grid).toHaveAttribute('aria-rowcount', String(ref!.n + 1));
  const beta = grid.getByRole('columnheader', { name: /^param_beta/ });
  await beta.getByRole('button').click();
  await beta.getByRole('button').click();
  await expect(beta).toHaveAttribute('aria-sort', 'descending');
  return ref!.n;
}

/** Opens the dialog, picks kind and format, exports, and saves the download (and its sidecar). */
async function exportFrom(
  page: Page,
  kind: RegExp,
  format: string,
  name: string,
  prepare?: () => Promise<void>,
) {
  await page.getByRole('button', { name: 'Export…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Export' });
  await dialog.getByRole('radio', { name: kind }).check();
  await dialog.getByLabel('Format').selectOption(format);
  await prepare?.();
  await page.screenshot({ path: `test-results/export-dialog-${name}.png` });
  const downloading = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Export', exact: true }).click();
  const download = await downloading;
  const file = path.join(OUT, name);
  await download.saveAs(file);
  await expect(dialog.getByRole('status')).toContainText('Exported');
  let sidecar: Record<string, string> | null = null;
  const link = dialog.getByRole('link', { name: 'Provenance (.json)' });
  if (format !== 'parquet') {
    const side = page.waitForEvent('download');
    await link.click();
    const p = `${file}.provenance.json`;
    await (await side).saveAs(p);
    sidecar = JSON.parse(await fs.readFile(p, 'utf8'));
  } else await expect(link).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Close' }).click();
  return { file, sidecar, suggested: download.suggestedFilename() };
}

async function kv(file: string): Promise<Record<string, string>> {
  const rows = await readBack<{ k: string; v: string }>(
    `SELECT decode(key) AS k, decode(value) AS v FROM parquet_kv_metadata(${str(file)})`,
  );
  return Object.fromEntries(rows.map((r) => [r.k, r.v]));
}

test('the filtered, sorted rows to Parquet, CSV and JSON, with the chosen columns and provenance', async ({
  page,
}) => {
  const n = await filterAndSort(page);
  const digest = createHash('sha256')
    .update(await fs.readFile(path.join(DEMO_STORE.dir, 'store.json')))
    .digest('hex');
  const realStore = await fs.realpath(DEMO_STORE.dir);
  let columns: string[] = [];
  const dropEntrypoint = async () => {
    const dialog = page.getByRole('dialog', { name: 'Export' });
    // The dialog says how many rows the export will hold: the filter's count in DuckDB.
    await expect(dialog).toContainText(`${n.toLocaleString('en-US')} rows under the current filter`);
    await dialog.getByRole('checkbox', { name: 'target_entrypoint' }).uncheck();
    columns = await dialog.locator('.export-columns label:has(input:checked)').allInnerTexts();
    columns = columns.map((c) => c.trim());
  };
  const order = 'ORDER BY param_beta DESC NULLS LAST, target, param_id';

  const pq = await exportFrom(page, /^Rows/, 'parquet', 'rows.parquet', dropEntrypoint);
  expect(pq.suggested).toBe(`${path.basename(DEMO_STORE.dir)}-rows.parquet`);
  expect(columns).toContain('param_id');
  expect(columns).not.toContain('target_entrypoint');
  const cols = columns.map((c) => `"${c}"`).join(', ');
  const want = await queryStore(
    DEMO_STORE.dir,
    (rel) => `SELECT ${cols} FROM ${rel} WHERE ${WHERE} ${order}`,
  );
  expect(want).toHaveLength(n);
  expect(await readBack(`SELECT * FROM read_parquet(${str(pq.file)})`)).toEqual(want);
  expect(await kv(pq.file)).toMatchObject({
    'losslens.store': realStore,
    'losslens.manifest_sha256': digest,
    'losslens.filter_sql': `WHERE (${WHERE})`,
    'losslens.kind': 'rows',
    'losslens.columns': columns.join(','),
  });
  expect((await kv(pq.file))['losslens.sort_sql']).toMatch(/^ORDER BY "param_beta" DESC/);

  const key = 'SELECT param_id, target, loss, param_beta';
  const wantKey = await queryStore(DEMO_STORE.dir, (rel) => `${key} FROM ${rel} WHERE ${WHERE} ${order}`);
  const csv = await exportFrom(page, /^Rows/, 'csv', 'rows.csv', dropEntrypoint);
  expect(await readBack(`${key} FROM read_csv(${str(csv.file)})`)).toEqual(wantKey);
  expect((await fs.readFile(csv.file, 'utf8')).split('\n')[0]).toBe(columns.join(','));
  expect(csv.sidecar).toMatchObject({
    store: realStore,
    manifest_sha256: digest,
    filter_sql: `WHERE (${WHERE})`,
    format: 'csv',
  });

  const json = await exportFrom(page, /^Rows/, 'json', 'rows.json', dropEntrypoint);
  const parsed = JSON.parse(await fs.readFile(json.file, 'utf8')) as Record<string, unknown>[];
  expect(parsed.map((r) => [r.param_id, r.target, r.loss, r.param_beta])).toEqual(
    wantKey.map((r) => [r.param_id, r.target, r.loss, r.param_beta]),
  );
  expect(Object.keys(parsed[0] ?? {})).toEqual(columns);
  expect(json.sidecar).toMatchObject({ kind: 'rows', format: 'json', manifest_sha256: digest });
});

test('best N as JSON and the loss summary as Parquet equal DuckDB’s own computation', async ({ page }) => {
  await filterAndSort(page);
  const best = await exportFrom(page, /^Best N/, 'json', 'best.json', async () => {
    await page.getByRole('dialog', { name: 'Export' }).getByLabel('N', { exact: true }).fill('25');
  });
  const ok = `status = 'ok' AND loss IS NOT NULL`;
  const wantBest = await queryStore<{ param_id: string; m: number; beta: number }>(
    DEMO_STORE.dir,
    (rel) => `SELECT param_id, avg(loss) AS m, any_value(param_beta) AS beta FROM ${rel}
      WHERE (${WHERE}) AND ${ok} GROUP BY param_id HAVING count(*) = ${DEMO_STORE.targets} ORDER BY m, param_id LIMIT 25`,
  );
  expect(wantBest.length).toBeGreaterThan(0);
  const got = JSON.parse(await fs.readFile(best.file, 'utf8')) as {
    param_id: string;
    combined: number;
    param_beta: number;
    rank: number;
  }[];
  expect(got.map((g) => g.param_id)).toEqual(wantBest.map((w) => w.param_id));
  got.forEach((g, i) => {
    expect(g.combined).toBeCloseTo(wantBest[i]!.m, 9);
    expect(g.param_beta).toBe(wantBest[i]!.beta);
    expect(g.rank).toBe(i + 1);
  });
  expect(best.sidecar).toMatchObject({ kind: 'best', combined_loss: 'mean', filter_sql: `WHERE (${WHERE})` });

  const summary = await exportFrom(page, /^Loss summary/, 'parquet', 'summary.parquet');
  const wantSummary = await queryStore(
    DEMO_STORE.dir,
    (
      rel,
    ) => `SELECT param_id, avg(loss) FILTER (WHERE ${ok}) AS mean_loss, stddev_samp(loss) FILTER (WHERE ${ok}) AS std_loss,
      min(loss) FILTER (WHERE ${ok}) AS min_loss, count(*) FILTER (WHERE ${ok})::INTEGER AS n_ok,
      count(*) FILTER (WHERE status = 'failed')::INTEGER AS n_failed
      FROM ${rel} WHERE ${WHERE} GROUP BY param_id ORDER BY mean_loss NULLS LAST, param_id`,
  );
  const gotSummary = await readBack<Record<string, number | string | null>>(
    `SELECT param_id, mean_loss, std_loss, min_loss, n_ok, n_failed FROM read_parquet(${str(summary.file)})`,
  );
  expect(gotSummary.map((r) => [r.param_id, r.n_ok, r.n_failed, r.min_loss])).toEqual(
    wantSummary.map((r) => [r.param_id, r.n_ok, r.n_failed, r.min_loss]),
  );
  gotSummary.forEach((r, i) => {
    for (const k of ['mean_loss', 'std_loss'] as const) {
      const w = wantSummary[i]![k] as number | null;
      if (w === null) expect(r[k]).toBeNull();
      else expect(r[k] as number).toBeCloseTo(w, 6);
    }
  });
  const names = (
    await readBack<{ column_name: string }>(`DESCRIBE SELECT * FROM read_parquet(${str(summary.file)})`)
  ).map((c) => c.column_name);
  expect(names.slice(0, 6)).toEqual(['param_id', 'mean_loss', 'std_loss', 'min_loss', 'n_ok', 'n_failed']);
  expect(names.slice(6).every((c) => c.startsWith('param_'))).toBe(true);
  expect((await kv(summary.file))['losslens.kind']).toBe('summary');
});
