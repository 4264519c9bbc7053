// The store's manifest can change between the host's first read (when it opens the store) and the
// moment its watch takes its first stat: a collector committing its last shard just then must not
// leave the window on the older manifest for good (e2e open-job: "120 rows, collecting" forever).
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { Manifest } from '../../shared/manifest.ts';
import { writeDemoStore } from '../collector/demo.ts';
import { readStoreManifest } from './manifest-read.ts';
import { watchManifest } from './manifest-watch.ts';

const dir = mkdtempSync(join(tmpdir(), 'losslens-watch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('reports a manifest written after the opener read it but before the watch started', async () => {
  const store = join(dir, 'store');
  await writeDemoStore({ out: store, params: 20, targets: 1, seed: 1, failRate: 0 });
  const first = await readStoreManifest(store); // what the host read when it opened the store
  const file = join(store, 'store.json');
  const next = { ...JSON.parse(readFileSync(file, 'utf8')), updated_at: '2999-01-01T00:00:00.000Z' };
  writeFileSync(`${file}.tmp`, JSON.stringify(next));
  renameSync(`${file}.tmp`, file);
  const seen: Manifest[] = [];
  const watch = watchManifest(
    store,
    (m) => seen.push(m),
    () => {},
    { pollMs: 50 },
  );
  try {
    await expect.poll(() => seen.at(-1)?.updated_at, { timeout: 3000 }).toBe(next.updated_at);
    expect(first.updated_at).not.toBe(next.updated_at);
  } finally {
    await watch.close();
  }
});
