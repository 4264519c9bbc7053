// Issue 11: a raw modelops job view opened by its path is collected in the app (progress in the
// window), fills the table as shards land, and ends with DuckDB's own counts per status; a folder
// that is no job says so; the job is in Recent jobs after a restart of the host.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { writeViewsFixture } from '../electron/collector/testing/fixtures.ts';
import { openTestDuck } from '../electron/collector/testing/helpers.ts';
import { str } from '../shared/sql.ts';
import { serve } from './host.ts';
import { DEMO_STORE, E2E_DIR } from './stores.ts';

const SETS = 150_000;

test('a job view opened by the Folder path box is collected with progress, then shows DuckDB counts', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const job = path.join(E2E_DIR, 'raw-job-view');
  const dataDir = path.join(E2E_DIR, 'app-data-open');
  await fs.rm(job, { recursive: true, force: true });
  await fs.rm(dataDir, { recursive: true, force: true });
  const duck = await openTestDuck();
  await writeViewsFixture(duck.conn, {
    dir: job,
    params: SETS,
    dropEvery: 7,
    jobSpec: 'tasks',
    rowGroupSize: 10_000,
  });
  const data = str(path.join(job, 'targets', '*', 'data.parquet'));
  const [ref] = await duck.rows(`SELECT count(*)::INT AS ok FROM read_parquet(${data})`);
  duck.close();
  const targets = (await fs.readdir(path.join(job, 'targets'))).length;
  const ok = Number(ref?.ok);
  const notOk = SETS * targets - ok;

  let host = await serve([], { dataDir });
  try {
    await page.goto(host.url);
    await expect(page.getByRole('heading', { name: 'Open a job' })).toBeVisible();
    await expect(page.getByText('None yet')).toBeVisible();

    const box = page.getByRole('textbox', { name: 'Folder path' });
    await box.fill(path.join(E2E_DIR, 'no-such-job'));
    await box.press('Enter');
    await expect(page.getByText('no such file or folder')).toBeVisible();

    await box.fill(job);
    await box.press('Enter');
    const bar = page.getByRole('progressbar', { name: 'Collecting raw-job-view' });
    await expect(bar).toBeVisible({ timeout: 30_000 });
    await page.screenshot({ path: 'test-results/open-job-collecting.png' });
    const grid = page.getByRole('grid', { name: 'Loss table' });
    await expect(grid).toBeVisible({ timeout: 60_000 });
    await expect(grid).toHaveAttribute('aria-rowcount', String(SETS * targets + 1), { timeout: 120_000 });
    await expect(bar).toHaveCount(0);
    const status = page.getByRole('status');
    await expect(status).toContainText(`${ok.toLocaleString('en-US')} ok`);
    // Sets without a row are failed aggregations (no result) or missing: together the rest.
    const text = (await status.textContent()) ?? '';
    const n = (word: string) =>
      Number(new RegExp(`([\\d,]+) ${word}`).exec(text)?.[1]?.replaceAll(',', '') ?? 0);
    expect(n('failed') + n('missing')).toBe(notOk);
    await page.screenshot({ path: 'test-results/open-job-done.png' });
  } finally {
    await host.stop();
  }

  // Restart: the job is among the recent jobs and opens again from there.
  host = await serve([], { dataDir });
  try {
    await page.goto(host.url);
    const recent = page.getByRole('list', { name: 'Recent jobs' });
    await expect(recent).toContainText('raw-job-view');
    await page.screenshot({ path: 'test-results/start-screen-recent.png' });
    await recent.getByRole('button', { name: /^raw-job-view/ }).click();
    await expect(page.getByRole('grid', { name: 'Loss table' })).toHaveAttribute(
      'aria-rowcount',
      String(SETS * targets + 1),
      { timeout: 60_000 },
    );
  } finally {
    await host.stop();
  }
});

test('files dropped in the browser are uploaded, collected and opened; a folder picked by the upload input too', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const dataDir = path.join(E2E_DIR, 'app-data-upload');
  await fs.rm(dataDir, { recursive: true, force: true });
  const lines = (from: number, to: number) =>
    Array.from({ length: to - from }, (_, k) => {
      const i = from + k;
      return JSON.stringify({
        job_id: 'dropped',
        param_id: `set-${i}`,
        target: 't:fit',
        params: { x: i / 10 },
        loss: i % 13,
      });
    }).join('\n');
  const host = await serve([], { dataDir });
  try {
    await page.goto(host.url);
    await expect(page.getByRole('heading', { name: 'Open a job' })).toBeVisible();
    // A synthetic drop of a folder's files: two NDJSON files and one the collector does not read.
    const data = await page.evaluateHandle(
      ([a = '', b = '']) => {
        const dt = new DataTransfer();
        dt.items.add(new File([a], 'part-1.ndjson'));
        dt.items.add(new File([b], 'part-2.ndjson'));
        dt.items.add(new File(['x'], 'README.txt'));
        return dt;
      },
      [lines(0, 120), lines(120, 300)],
    );
    await page.locator('.drop-target').dispatchEvent('drop', { dataTransfer: data });
    const grid = page.getByRole('grid', { name: 'Loss table' });
    await expect(grid).toHaveAttribute('aria-rowcount', '301', { timeout: 60_000 });
    await expect(page.getByRole('status')).toContainText('Left out 1 file(s)');
    const uploaded = (await fs.readdir(path.join(dataDir, 'uploads'))).length;
    expect(uploaded).toBe(1);
  } finally {
    await host.stop();
  }

  // The start screen's upload input with a job-view folder (parquet + manifest.json).
  const job = path.join(E2E_DIR, 'upload-job-view');
  await fs.rm(job, { recursive: true, force: true });
  const duck = await openTestDuck();
  await writeViewsFixture(duck.conn, { dir: job, params: 2_000 });
  const [ref] = await duck.rows(
    `SELECT count(*)::INT AS n FROM read_parquet(${str(path.join(job, 'targets', '*', 'data.parquet'))})`,
  );
  duck.close();
  const again = await serve([], { dataDir });
  try {
    await page.goto(again.url);
    await page.getByLabel('Upload a folder').setInputFiles(job);
    await expect(page.getByRole('grid', { name: 'Loss table' })).toHaveAttribute(
      'aria-rowcount',
      String(Number(ref?.n) + 1),
      { timeout: 60_000 },
    );
    await expect(page.locator('.store-name')).toContainText('upload-job-view');
  } finally {
    await again.stop();
  }
});

test('bad folders each say what is wrong while the open job stays usable', async ({ page }) => {
  const good = DEMO_STORE.dir;
  const future = path.join(E2E_DIR, 'future-store');
  await fs.rm(future, { recursive: true, force: true });
  await fs.mkdir(future, { recursive: true });
  await fs.writeFile(
    path.join(future, 'store.json'),
    JSON.stringify({ format: 'losslens-store', version: 2 }),
  );
  const odd = path.join(E2E_DIR, 'not-a-job');
  await fs.rm(odd, { recursive: true, force: true });
  await fs.mkdir(odd, { recursive: true });
  await fs.writeFile(path.join(odd, 'photo.jpg'), 'jpeg bytes');
  const host = await serve([good]);
  try {
    await page.goto(host.url);
    const grid = page.getByRole('grid', { name: 'Loss table' });
    const total = String(DEMO_STORE.params * DEMO_STORE.targets + 1);
    await expect(grid).toHaveAttribute('aria-rowcount', total);
    const box = page.getByRole('textbox', { name: 'Folder path' });
    for (const [folder, says] of [
      [odd, 'Losslens cannot open this folder: it is not a loss store'],
      [future, 'was written by a newer Losslens'],
    ] as const) {
      await box.fill(folder);
      await box.press('Enter');
      await expect(page.locator('.open-store .field-error')).toContainText(says);
      await expect(grid).toHaveAttribute('aria-rowcount', total);
    }
    await page.screenshot({ path: 'test-results/open-bad-folder.png' });
  } finally {
    await host.stop();
  }
});
