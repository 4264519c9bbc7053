// Trade-offs: on a job whose targets pull against each other, the Pareto front the app draws and
// lists equals the one computed here from native DuckDB's rows, and so does the count of sets
// non-dominated over all three targets.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { queryStore } from './duck.ts';
import { type ServedHost, serve } from './host.ts';
import { E2E_DIR } from './stores.ts';

const SETS = 400;
const TARGETS = ['fit_cases', 'fit_deaths', 'fit_hosp'] as const;
const STORE = path.join(E2E_DIR, 'tradeoff-store');

/** Deterministic losses: cases and deaths trade off along beta, hosp is noise; a few failures. */
function record(i: number, t: number): string {
  const beta = ((i * 7919) % SETS) / SETS;
  const wobble = ((i * 104729) % 97) / 97;
  const loss =
    t === 0 ? beta * 10 + wobble : t === 1 ? (1 - beta) * 10 + ((wobble * 31) % 1) : ((i * 37) % 101) / 7;
  const base = {
    job_id: 'job-tradeoff',
    param_id: createHash('sha256').update(`tradeoff|${i}`).digest('hex'),
    target: `targets.fit:${TARGETS[t]}`,
    params: { beta, wobble },
  };
  return JSON.stringify(
    i % 53 === 7 && t === 1 ? { ...base, error: { type: 'RuntimeError', message: 'x' } } : { ...base, loss },
  );
}

type Pt = { id: string; v: number[] };
const dominated = (p: Pt, all: readonly Pt[]) =>
  all.some((q) => q.v.every((x, k) => x <= p.v[k]!) && q.v.some((x, k) => x < p.v[k]!));

let host: ServedHost;
test.beforeAll(async () => {
  await fs.rm(STORE, { recursive: true, force: true });
  const c = spawn(
    process.execPath,
    ['bin/losslens.mjs', 'collect', '-', '--out', STORE, '--progress', 'none'],
    {
      stdio: ['pipe', 'ignore', 'inherit'],
    },
  );
  const exited = new Promise<number | null>((r) => c.once('exit', r));
  for (let i = 0; i < SETS; i++) for (let t = 0; t < TARGETS.length; t++) c.stdin!.write(`${record(i, t)}\n`);
  c.stdin!.end();
  expect(await exited).toBe(0);
  host = await serve([STORE]);
});
test.afterAll(async () => {
  await host.stop();
});

async function shoot(page: Page, name: string) {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.waitForTimeout(150);
    await page.screenshot({ path: `/tmp/shots/${name}-${scheme}.png` });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

test('the Pareto front and the all-target skyline equal brute force over DuckDB’s rows', async ({ page }) => {
  const rows = await queryStore<{ param_id: string; target: string; loss: number }>(
    STORE,
    (rel) => `SELECT param_id, target, loss FROM ${rel} WHERE status = 'ok'`,
  );
  const by = new Map<string, Record<string, number>>();
  for (const r of rows) by.set(r.param_id, { ...by.get(r.param_id), [r.target]: r.loss });
  const pts = (ts: readonly string[]): Pt[] =>
    [...by]
      .filter(([, v]) => ts.every((t) => v[t] !== undefined))
      .map(([id, v]) => ({ id, v: ts.map((t) => v[t]!) }));
  const pair = pts([TARGETS[0], TARGETS[1]]);
  const front = pair
    .filter((p) => !dominated(p, pair))
    .map((p) => p.id)
    .sort();
  const three = pts(TARGETS);
  const sky = three
    .filter((p) => !dominated(p, three))
    .map((p) => p.id)
    .sort();
  expect(front.length).toBeGreaterThan(5);

  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${host.url}&tab=tradeoffs`);
  const list = page.getByRole('table', { name: 'Pareto front sets' });
  await expect(list.locator('tbody tr')).toHaveCount(front.length);
  const ids = await list
    .locator('tbody tr')
    .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-param-id')));
  expect([...ids].sort()).toEqual(front);
  // Listed by the x target's loss, each with both losses at full precision.
  const shown = await list
    .locator('tbody tr')
    .evaluateAll((trs) =>
      trs.map((tr) =>
        [...tr.querySelectorAll('td[data-value]')].map((td) => Number(td.getAttribute('data-value'))),
      ),
    );
  for (const [i, id] of ids.entries())
    expect(shown[i]).toEqual([by.get(id!)![TARGETS[0]], by.get(id!)![TARGETS[1]]]);
  await page.getByLabel('Axes range').selectOption({ label: 'all sets' });
  await expect(page.getByText(/sets lie outside/)).toHaveCount(0);
  await shoot(page, 'tradeoffs');

  await expect(page.locator('.skyline-count')).toHaveAttribute('data-count', String(sky.length));
  await page.getByRole('button', { name: 'list them' }).click();
  const skyList = page.getByRole('table', { name: 'Non-dominated sets' });
  const skyIds = await skyList
    .locator('tbody tr')
    .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-param-id')));
  expect([...skyIds].sort()).toEqual(sky);

  // Another pair: the front follows the targets picked.
  await page.getByLabel('Target on y').selectOption(TARGETS[2]);
  const pair2 = pts([TARGETS[0], TARGETS[2]]);
  const front2 = pair2
    .filter((p) => !dominated(p, pair2))
    .map((p) => p.id)
    .sort();
  await expect(list.locator('tbody tr')).toHaveCount(front2.length);
});
