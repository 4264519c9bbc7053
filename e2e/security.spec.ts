// Issue 9 in a real browser: a page served by another local server (127.0.0.1, another port, so
// "same-site" and carrying the user's cookie) tries to swap the job in the user's tab; two hosts
// share one browser; the token leaves the address bar.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { type ServedHost, serve } from './host.ts';
import { E2E_DIR } from './stores.ts';

const USER_STORE = path.join(E2E_DIR, 'sec-user');
const EVIL_STORE = path.join(E2E_DIR, 'sec-evil');

function demo(out: string, params: number, seed: number) {
  rmSync(out, { recursive: true, force: true });
  const args = ['--out', out, '--params', String(params), '--targets', '1', '--seed', String(seed)];
  execFileSync(process.execPath, ['bin/losslens.mjs', 'demo', ...args], { stdio: 'ignore' });
}

/** The attacker's page: every way a page can send a request to another origin without CORS. */
function attackerPage(target: string, storeId: string, evilStore: string): string {
  const close = JSON.stringify({ storeId });
  const open = JSON.stringify({ path: evilStore });
  return `<!doctype html><title>attacker</title><script>
  const target = ${JSON.stringify(target)};
  window.attack = async () => {
    const results = [];
    const send = async (method, body, init) => {
      try {
        const r = await fetch(target + '/api/' + method, { method: 'POST', credentials: 'include', body, ...init });
        results.push(method + ':' + r.type + ':' + r.status);
      } catch (e) { results.push(method + ':error'); }
    };
    await send('closeStore', ${JSON.stringify(close)}, { mode: 'no-cors', headers: { 'Content-Type': 'text/plain' } });
    await send('openStore', ${JSON.stringify(open)}, { mode: 'no-cors', headers: { 'Content-Type': 'text/plain' } });
    await send('closeStore', ${JSON.stringify(close)}, { mode: 'cors', headers: { 'Content-Type': 'application/json' } });
    // A WebSocket is not held back by CORS, and the cookie rides along (same site): the host must
    // refuse the upgrade itself (cross-site WebSocket hijacking).
    results.push(await new Promise((done) => {
      const ws = new WebSocket(target.replace('http', 'ws') + '/api/socket');
      ws.onopen = () => { done('socket:open'); ws.close(); };
      ws.onerror = () => done('socket:refused');
    }));
    // A form post in a hidden frame (the classic CSRF).
    const frame = document.createElement('iframe'); frame.name = 'sink'; document.body.append(frame);
    const form = document.createElement('form');
    form.method = 'POST'; form.enctype = 'text/plain'; form.target = 'sink';
    form.action = target + '/api/closeStore';
    const input = document.createElement('input'); input.name = '{"storeId":"${storeId}","x":"'; input.value = '"}';
    form.append(input); document.body.append(form); form.submit();
    await new Promise((r) => frame.addEventListener('load', r, { once: true }));
    return results;
  };
</script>`;
}

let host: ServedHost;
let second: ServedHost;
let attacker: Server;
let attackerOrigin: string;
let pageBody = '';

test.beforeAll(async () => {
  demo(USER_STORE, 40, 11);
  demo(EVIL_STORE, 7, 12);
  host = await serve([USER_STORE]);
  second = await serve([EVIL_STORE]);
  attacker = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end(pageBody);
  });
  await new Promise<void>((r) => attacker.listen(0, '127.0.0.1', r));
  attackerOrigin = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  await host?.stop();
  await second?.stop();
  attacker?.close();
});

async function listStores(h: ServedHost): Promise<{ id: string; path: string }[]> {
  const res = await fetch(`${h.origin}/api/listStores`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${h.token}`, 'Content-Type': 'application/json' },
    body: '{}',
  });
  return res.json();
}

async function expectGrid(page: Page, rows: number) {
  await expect(page.getByRole('grid', { name: 'Loss table' })).toHaveAttribute(
    'aria-rowcount',
    String(rows + 1),
  );
}

test('a page on another loopback port cannot swap the job in the user’s tab', async ({ context }) => {
  const user = await context.newPage();
  await user.goto(host.url);
  await expectGrid(user, 40);
  const [store] = await listStores(host);
  // Worst case: the attacker learned the store id (they are random, but say it leaked).
  pageBody = attackerPage(host.origin, store!.id, EVIL_STORE);
  const evil = await context.newPage();
  await evil.goto(`${attackerOrigin}/`);
  const results: string[] = await evil.evaluate(() =>
    (window as unknown as { attack(): Promise<string[]> }).attack(),
  );
  // Nothing readable comes back (CORP blocks the no-cors answers, the CORS call fails its
  // preflight); what matters is that the host refused them, so its stores are unchanged.
  expect(results).toHaveLength(4);
  expect(results.pop()).toBe('socket:refused');
  for (const r of results) expect(r).toMatch(/:(error|opaque:0)$/);
  expect((await listStores(host)).map((s) => s.id)).toEqual([store!.id]);
  await user.waitForTimeout(1000); // time for a store-closed / store-opened event to arrive, if any
  await expectGrid(user, 40);
  await expect(user.getByRole('alert')).toHaveCount(0);
});

test('two hosts in one browser both keep working, and the address bar holds no token', async ({
  context,
}) => {
  const a = await context.newPage();
  await a.goto(host.url);
  await expectGrid(a, 40);
  const b = await context.newPage();
  await b.goto(second.url);
  await expectGrid(b, 7);
  for (const [page, h] of [
    [a, host],
    [b, second],
  ] as const) {
    expect(new URL(page.url()).searchParams.has('token')).toBe(false);
    expect(page.url()).not.toContain(h.token);
    // A reload (what a shared or bookmarked view URL is) works on the cookie alone.
    await page.reload();
  }
  await expectGrid(a, 40);
  await expectGrid(b, 7);
  const cookies = (await context.cookies()).map((c) => c.name).sort();
  expect(cookies).toEqual(
    [`losslens_token_${new URL(host.origin).port}`, `losslens_token_${new URL(second.origin).port}`].sort(),
  );
});
