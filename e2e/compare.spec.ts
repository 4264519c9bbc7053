// Issue 11: two jobs open at once, a switcher between them (each keeps its own filter), and
// Compare: best loss per target of each, the sets both ran matched by param_id, the best-N ranges.
// Every number is checked against native DuckDB over the two stores' shards.
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { openTestDuck } from '../electron/collector/testing/helpers.ts';
import { listLiteral } from '../shared/sql.ts';
import { serve } from './host.ts';
import { E2E_DIR } from './stores.ts';

const TARGETS = ['incidence_target', 'deaths_target'];

async function round(name: string, from: number, to: number, shift: number): Promise<string> {
  const store = path.join(E2E_DIR, name);
  await fs.rm(store, { recursive: true, force: true });
  const lines: string[] = [];
  for (let i = from; i < to; i++) {
    for (const [k, t] of TARGETS.entries()) {
      lines.push(
        JSON.stringify({
          job_id: name,
          param_id: `set-${String(i).padStart(5, '0')}`,
          target: `targets.t:${t}`,
          params: { beta: (i % 50) / 50 + shift / 10, gamma: (i % 7) / 7 },
          loss: Math.abs(((i * 37 + k * 11 + shift * 5) % 101) - 50) / 7 + shift,
        }),
      );
    }
  }
  const child = spawn(
    process.execPath,
    ['bin/losslens.mjs', 'collect', '-', '--out', store, '--progress', 'none'],
    {
      stdio: ['pipe', 'ignore', 'inherit'],
    },
  );
  child.stdin.end(`${lines.join('\n')}\n`);
  expect(await new Promise((r) => child.once('exit', r))).toBe(0);
  return store;
}

async function shards(store: string): Promise<string> {
  const m = JSON.parse(await fs.readFile(path.join(store, 'store.json'), 'utf8')) as {
    shards: { path: string }[];
  };
  return `read_parquet(${listLiteral(m.shards.map((s) => path.join(store, s.path)))})`;
}

test('two jobs: switch keeps each filter; Compare matches DuckDB', async ({ page }) => {
  test.setTimeout(180_000);
  const a = await round('round-1', 0, 300, 0);
  const b = await round('round-2', 150, 450, 1);
  const host = await serve([a, b]);
  const duck = await openTestDuck();
  try {
    const [A, B] = [await shards(a), await shards(b)];
    await page.goto(host.url);
    const grid = page.getByRole('grid', { name: 'Loss table' });
    await expect(grid).toHaveAttribute('aria-rowcount', String(300 * TARGETS.length + 1));

    // Each job keeps its own filter across a switch.
    const sql = page.getByRole('textbox', { name: 'SQL filter' });
    await sql.fill('param_beta < 0.5');
    await sql.press('Enter');
    const [fa] = await duck.rows(`SELECT count(*)::INT AS n FROM ${A} WHERE param_beta < 0.5`);
    await expect(grid).toHaveAttribute('aria-rowcount', String(Number(fa?.n) + 1));
    const switcher = page.getByRole('combobox', { name: 'Open jobs' });
    await switcher.selectOption({ label: 'round-2 (round-2)' });
    await expect(grid).toHaveAttribute('aria-rowcount', String(300 * TARGETS.length + 1));
    await expect(sql).toHaveValue('');
    await switcher.selectOption({ label: 'round-1 (round-1)' });
    await expect(grid).toHaveAttribute('aria-rowcount', String(Number(fa?.n) + 1));
    await expect(sql).toHaveValue('param_beta < 0.5');

    await page.getByRole('button', { name: 'Compare…' }).click();
    const best = page.getByRole('table', { name: 'Best loss per target' });
    for (const t of TARGETS) {
      const [ra] = await duck.rows(`SELECT min(loss) AS m FROM ${A} WHERE target = '${t}'`);
      const [rb] = await duck.rows(`SELECT min(loss) AS m FROM ${B} WHERE target = '${t}'`);
      const row = best.getByRole('row', { name: new RegExp(`^${t}`) });
      await expect(row.getByRole('cell')).toHaveCount(5);
      const cells = await row.getByRole('cell').allInnerTexts();
      expect(Number(cells[0]!.split(' ')[0]!.replaceAll(',', ''))).toBeCloseTo(Number(ra?.m), 4);
      expect(Number(cells[1]!.split(' ')[0]!.replaceAll(',', ''))).toBeCloseTo(Number(rb?.m), 4);
      expect(Number(cells[2]!.replace(/[+,]/g, ''))).toBeCloseTo(Number(rb?.m) - Number(ra?.m), 3);
    }
    const [m] = await duck.rows(
      `SELECT count(*)::INT AS n, count(DISTINCT param_id)::INT AS sets FROM ${A} a JOIN ${B} b USING (param_id, target)`,
    );
    await expect(
      page.getByText(`${Number(m?.sets).toLocaleString('en-US')} parameter sets in both jobs`),
    ).toBeVisible();
    const matched = page.getByRole('table', { name: 'Parameter sets in both jobs' });
    const [top] = await duck.rows(
      `SELECT param_id, target, b.loss - a.loss AS d FROM ${A} a JOIN ${B} b USING (param_id, target)
       ORDER BY d ASC, param_id, target LIMIT 1`,
    );
    const first = matched.getByRole('row').nth(1);
    await expect(first.getByRole('cell').first()).toHaveAttribute('title', String(top?.param_id));
    await matched.getByRole('button', { name: /round-2 − round-1/ }).click();
    const [worst] = await duck.rows(
      `SELECT param_id FROM ${A} a JOIN ${B} b USING (param_id, target) ORDER BY b.loss - a.loss DESC, param_id, target LIMIT 1`,
    );
    await expect(matched.getByRole('row').nth(1).getByRole('cell').first()).toHaveAttribute(
      'title',
      String(worst?.param_id),
    );
    await expect(page.getByRole('table', { name: /Where the best 20 sets lie/ })).toContainText('beta');
    // Overlaid histograms: each job's bars on the common 40 bins DuckDB gives, inside the plot.
    for (const t of TARGETS) {
      const fig = page.getByRole('figure', { name: t });
      await expect(fig.locator('g.job-a rect').first()).toBeVisible();
      for (const job of ['a', 'b'] as const) {
        const [nb] = await duck.rows(
          `WITH src AS (SELECT 'a' AS job, loss FROM ${A} WHERE target = '${t}'
                          UNION ALL SELECT 'b', loss FROM ${B} WHERE target = '${t}'),
                r AS (SELECT min(loss) AS lo, max(loss) AS hi FROM src)
           SELECT count(DISTINCT least(39, floor((loss - lo) / (hi - lo) * 40)))::INT AS n
           FROM src, r WHERE job = '${job}'`,
        );
        await expect(fig.locator(`g.job-${job} rect`)).toHaveCount(Number(nb?.n));
      }
      const plot = await fig.locator('.recharts-cartesian-grid').boundingBox();
      for (const box of await fig
        .locator('g.job-a rect, g.job-b rect')
        .evaluateAll((rs) => rs.map((r) => r.getBoundingClientRect().toJSON() as DOMRect))) {
        expect(box.x, t).toBeGreaterThanOrEqual(plot!.x - 1);
        expect(box.x + box.width, t).toBeLessThanOrEqual(plot!.x + plot!.width + 1);
      }
    }
    await page.screenshot({ path: 'test-results/compare.png', fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: 'test-results/compare-dark.png' });
  } finally {
    duck.close();
    await host.stop();
  }
});
