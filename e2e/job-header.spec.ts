// The job header: per target its ok / failed / missing counts and the best loss with the param_id
// behind it (the smallest id among ties), equal to native DuckDB over the same shards — for a store
// copied into memory and for one read shard by shard through the host (above the memory limit).
import { expect, type Page, test } from '@playwright/test';
import { queryStore } from './duck.ts';
import { type ServedHost, serve } from './host.ts';
import { BIG_STORE, DEMO_STORE } from './stores.ts';

let host: ServedHost | undefined;
test.afterEach(async () => {
  await host?.stop();
  host = undefined;
});

type Head = {
  target: string;
  ok: number;
  failed: number;
  missing: number;
  id: string;
};

async function nativeHeads(dir: string): Promise<Head[]> {
  return queryStore<Head>(
    dir,
    (rel) => `WITH d AS (SELECT * FROM ${rel}),
      b AS (SELECT target, min(loss) AS best FROM d WHERE status = 'ok' GROUP BY target)
      SELECT target, count(*) FILTER (WHERE status = 'ok')::INT AS ok,
        count(*) FILTER (WHERE status = 'failed')::INT AS failed,
        count(*) FILTER (WHERE status = 'missing')::INT AS missing,
        min(param_id) FILTER (WHERE status = 'ok' AND loss = best) AS id
      FROM d JOIN b USING (target) GROUP BY target ORDER BY target`,
  );
}

async function expectHeads(page: Page, heads: Head[]) {
  const list = page.getByRole('region', { name: 'Job' }).getByRole('list', { name: 'Targets' });
  for (const h of heads) {
    const line = list
      .getByRole('listitem')
      .filter({ has: page.locator('.target-name', { hasText: new RegExp(`^${h.target}$`) }) });
    await expect(line).toContainText(`${h.ok.toLocaleString('en-US')} ok`);
    await expect(line).toContainText(`${h.failed.toLocaleString('en-US')} failed`);
    await expect(line).toContainText(`${h.missing.toLocaleString('en-US')} missing`);
    await expect(line.getByRole('button', { name: `param_id ${h.id}, copy` })).toBeVisible();
    await expect(line.locator('.param-id')).toHaveText(h.id.slice(0, 8));
  }
}

for (const [how, store, query] of [
  ['a store copied into memory', DEMO_STORE, ''],
  // 1M rows in 21 shards above a 10-row memory limit: the ids are read from the shards that hold
  // the best losses.
  ['a store read shard by shard through the host', BIG_STORE, '&memrows=10'],
] as const) {
  test(`counts and best sets' ids equal DuckDB's (${how})`, async ({ page }) => {
    const heads = await nativeHeads(store.dir);
    expect(heads.length).toBe(store.targets);
    host = await serve([store.dir]);
    await page.goto(`${host.url}${query}`);
    await expect(
      page.getByRole('grid', { name: 'Loss table' }).locator('[role="row"][aria-rowindex="2"]'),
    ).toBeVisible();
    await expectHeads(page, heads);
    if (query) await expect(page.locator('footer.status-bar')).toContainText('native');
  });
}
