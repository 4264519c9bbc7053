// Helpers the view specs share: the demo store's targets, native DuckDB's per-set pivot, the
// clipboard, and screenshots in both themes at 1280×800.
import { expect, type Page } from '@playwright/test';
import { queryStore } from './duck.ts';
import { DEMO_STORE } from './stores.ts';

export const TARGETS = [
  'incidence_mean_signal_target',
  'prevalence_target',
  'hospitalization_loglik',
] as const;
export const [A, B, C] = TARGETS;

/**
 * Native DuckDB's ranking of complete parameter sets by `expr` over columns a, b, c (each
 * target's ok loss), under the SQL `where`: written here from the definition, not from the app's SQL.
 */
export async function nativeRanking(expr: string, where = 'true', limit = 20) {
  return queryStore<{ param_id: string; v: number }>(
    DEMO_STORE.dir,
    (rel) => `WITH d AS (SELECT * FROM ${rel} WHERE ${where}),
      s AS (SELECT param_id,
        max(loss) FILTER (WHERE target = '${A}' AND status = 'ok') AS a,
        max(loss) FILTER (WHERE target = '${B}' AND status = 'ok') AS b,
        max(loss) FILTER (WHERE target = '${C}' AND status = 'ok') AS c FROM d GROUP BY param_id)
      SELECT param_id, ${expr} AS v FROM s WHERE a IS NOT NULL AND b IS NOT NULL AND c IS NOT NULL
      ORDER BY v, param_id LIMIT ${limit}`,
  );
}

export async function nativeSetCount(where = 'true'): Promise<number> {
  const [r] = await queryStore<{ n: number }>(
    DEMO_STORE.dir,
    (rel) => `SELECT count(DISTINCT param_id)::INT AS n FROM ${rel} WHERE ${where}`,
  );
  return r!.n;
}

export async function readClipboard(page: Page): Promise<string> {
  return page.evaluate(() => navigator.clipboard.readText());
}

export async function shoot(page: Page, name: string) {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.waitForTimeout(150);
    await page.screenshot({ path: `/tmp/shots/${name}-${scheme}.png` });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** The full param_id of a grid row (the cell shows 8 characters; the button names the whole id). */
export async function rowParamId(page: Page, grid: string, rowIndex: number): Promise<string> {
  const label = await page
    .getByRole('grid', { name: grid })
    .locator(`[role="row"][aria-rowindex="${rowIndex}"] .param-id`)
    .getAttribute('aria-label');
  expect(label).toBeTruthy();
  return /^param_id (\S+), copy$/.exec(label ?? '')?.[1] ?? '';
}
