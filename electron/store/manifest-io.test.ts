// Readers tell manifests apart by `updated_at` (the host's watch, the page's resync): two writes in
// the same millisecond — a collector's last commit and its status-only `complete` right after, on
// a disk whose fsync costs nothing — must still carry different stamps, later after earlier.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { writeDemoStore } from '../collector/demo.ts';
import { readManifest, updateManifest } from './manifest-io.ts';

const dir = mkdtempSync(join(tmpdir(), 'losslens-mio-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('stamps every write later than the one before, even within the same millisecond', async () => {
  const store = join(dir, 'store');
  await writeDemoStore({ out: store, params: 10, targets: 1, seed: 2, failRate: 0 });
  const before = await readManifest(store);
  // A writer whose clock says the same instant as the last write (or an earlier one: another host).
  const same = await updateManifest(store, (m) => ({
    ...m!,
    status: 'collecting',
    updated_at: before.updated_at,
  }));
  expect(Date.parse(same.updated_at)).toBeGreaterThan(Date.parse(before.updated_at));
  const earlier = new Date(Date.parse(same.updated_at) - 5000).toISOString();
  const back = await updateManifest(store, (m) => ({ ...m!, status: 'complete', updated_at: earlier }));
  expect(Date.parse(back.updated_at)).toBeGreaterThan(Date.parse(same.updated_at));
  const onDisk = await readManifest(store);
  expect(onDisk.updated_at).toBe(back.updated_at);
  expect(onDisk.status).toBe('complete');
});
