// Best: the top 20 by the combined loss and by one target are DuckDB's; a weight change re-ranks
// them; "Copy as JSON" gives the listed sets' parameters, exactly.
import { expect, type Page, test } from '@playwright/test';
import { queryStore } from './duck.ts';
import { type ServedHost, serve } from './host.ts';
import { DEMO_STORE } from './stores.ts';
import { A, B, C, nativeRanking, readClipboard, shoot } from './views.ts';

let host: ServedHost;
test.beforeAll(async () => {
  host = await serve([DEMO_STORE.dir]);
});
test.afterAll(async () => {
  await host.stop();
});

async function listedIds(page: Page): Promise<string[]> {
  const table = page.getByRole('table', { name: 'Best parameter sets' });
  const labels = await table
    .locator('tbody .param-id')
    .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
  return labels.map((l) => /^param_id (\S+), copy$/.exec(l)?.[1] ?? l);
}

test('Best lists the true top N, re-ranks on a weight change, copies parameters as JSON', async ({
  page,
  context,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${host.url}&tab=best`);
  const mean = await nativeRanking('(a + b + c) / 3', 'true', 20);
  await expect.poll(() => listedIds(page)).toEqual(mean.map((r) => r.param_id));
  await shoot(page, 'v-best');

  await page.getByRole('combobox', { name: 'Combined loss method' }).selectOption('weighted');
  await page.getByRole('spinbutton', { name: `Weight of ${C}` }).fill('0');
  const w = await nativeRanking('a + b', 'true', 20);
  await expect.poll(() => listedIds(page)).toEqual(w.map((r) => r.param_id));
  await page.getByRole('spinbutton', { name: `Weight of ${A}` }).fill('0.1');
  const w2 = await nativeRanking('0.1 * a + b', 'true', 20);
  expect(w2.map((r) => r.param_id)).not.toEqual(w.map((r) => r.param_id));
  await expect.poll(() => listedIds(page)).toEqual(w2.map((r) => r.param_id));

  await page.getByRole('spinbutton', { name: 'How many best sets' }).fill('7');
  await page.getByRole('combobox', { name: 'Rank by' }).selectOption(B);
  const bestB = await queryStore<{ param_id: string }>(
    DEMO_STORE.dir,
    (rel) =>
      `SELECT param_id FROM ${rel} WHERE target = '${B}' AND status = 'ok' ORDER BY loss, param_id LIMIT 7`,
  );
  await expect.poll(() => listedIds(page)).toEqual(bestB.map((r) => r.param_id));

  await page.getByRole('button', { name: 'Copy as JSON' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'as JSON' })).toBeVisible();
  const doc = JSON.parse(await readClipboard(page)) as {
    ranked_by: string;
    parameter_sets: { param_id: string; params: Record<string, unknown> }[];
  };
  expect(doc.ranked_by).toContain(B);
  expect(doc.parameter_sets.map((s) => s.param_id)).toEqual(bestB.map((r) => r.param_id));
  const [ref] = await queryStore<Record<string, unknown>>(
    DEMO_STORE.dir,
    (rel) => `SELECT * FROM ${rel} WHERE param_id = '${bestB[0]!.param_id}' AND target = '${B}'`,
  );
  for (const [name, v] of Object.entries(doc.parameter_sets[0]!.params)) {
    const want = ref![`param_${name}`];
    expect(v, name).toEqual(typeof want === 'bigint' ? Number(want) : want);
  }
  expect(errors).toEqual([]);
});
