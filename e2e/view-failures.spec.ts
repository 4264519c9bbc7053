// Failures: groups and counts equal native DuckDB's; a group expands to its rows with whole
// messages; a target whose every row failed is named at the top.
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { queryStore } from './duck.ts';
import { type ServedHost, serve } from './host.ts';
import { DEMO_STORE, E2E_DIR } from './stores.ts';

async function shoot(page: Page, name: string) {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.waitForTimeout(150);
    await page.screenshot({ path: `/tmp/shots/${name}-${scheme}.png` });
  }
}

let host: ServedHost | undefined;
test.afterEach(async () => {
  await host?.stop();
  host = undefined;
});

test('groups by target, status and error type with DuckDB’s counts, expandable to whole messages', async ({
  page,
}) => {
  host = await serve([DEMO_STORE.dir]);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${host.url}&tab=failures`);
  const ref = await queryStore<{ target: string; status: string; error_type: string | null; n: number }>(
    DEMO_STORE.dir,
    (rel) => `SELECT target, status, error_type, count(*)::INT AS n FROM ${rel} WHERE status <> 'ok'
      GROUP BY ALL ORDER BY n DESC, target, status, error_type NULLS LAST`,
  );
  const table = page.getByRole('table', { name: 'Failure groups' });
  const groups = table.locator('tr.failure-group');
  await expect(groups).toHaveCount(ref.length);
  const seen = await groups.evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll('td')].slice(1, 5).map((td) => td.textContent?.trim() ?? '')),
  );
  expect(seen).toEqual(
    ref.map((r) => [r.target, r.status, r.error_type ?? '—', r.n.toLocaleString('en-US')]),
  );

  const first = ref[0]!;
  await page.getByRole('button', { name: `Show rows of ${first.target} ${first.error_type}` }).click();
  const rows = await queryStore<{ param_id: string; error_message: string }>(
    DEMO_STORE.dir,
    (
      rel,
    ) => `SELECT param_id, error_message FROM ${rel} WHERE target = '${first.target}' AND status = '${first.status}'
      AND error_type = '${first.error_type}' ORDER BY param_id LIMIT 50`,
  );
  const shown = page.getByRole('table', { name: `Rows of ${first.target} ${first.error_type}` });
  await expect(shown.locator('tr')).toHaveCount(rows.length);
  const texts = await shown
    .locator('tr')
    .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
  expect(texts).toEqual(rows.map((r) => [r.param_id, r.error_message]));
  await shoot(page, 'failures');
});

test('a target that failed entirely says so at the top', async ({ page }) => {
  const store = path.join(E2E_DIR, 'half-broken-store');
  await fs.rm(store, { recursive: true, force: true });
  const collector = spawn(
    process.execPath,
    ['bin/losslens.mjs', 'collect', '-', '--out', store, '--progress', 'none'],
    { stdio: ['pipe', 'ignore', 'inherit'] },
  );
  const exited = new Promise<number | null>((r) => collector.once('exit', r));
  for (let i = 0; i < 40; i++) {
    const base = {
      job_id: 'job-broken',
      param_id: (i + 1).toString(16).padStart(64, '0'),
      params: { beta: i / 40 },
    };
    collector.stdin!.write(`${JSON.stringify({ ...base, target: 'targets.fit:fit_target', loss: 1 + i })}\n`);
    collector.stdin!.write(
      `${JSON.stringify({ ...base, target: 'targets.broken:broken_target', error: { type: 'ImportError', message: `no module named 'broken' (set ${i})` } })}\n`,
    );
  }
  collector.stdin!.end();
  expect(await exited).toBe(0);
  host = await serve([store]);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${host.url}&tab=failures`);
  await expect(page.getByRole('alert').filter({ hasText: 'broken_target' })).toContainText(
    'failed entirely: none of its 40 rows is ok (40 failed, 0 missing)',
  );
  await expect(page.getByRole('alert').filter({ hasText: 'fit_target' })).toHaveCount(0);
  await expect(page.locator('tr.failure-group')).toHaveCount(1);
  await shoot(page, 'failures-entire-target');
});
