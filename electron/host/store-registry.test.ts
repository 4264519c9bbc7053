// The registry reports each manifest the watch reads that differs from the one it has. A rewrite
// that keeps `updated_at` and the shard count (a status-only `complete` by a writer that does not
// stamp strictly later: an older collector, another tool) is still a change, or the window keeps
// its live badge for good.
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { ApiEvent } from '../../shared/events.ts';
import { writeDemoStore } from '../collector/demo.ts';
import { StoreRegistry } from './store-registry.ts';

const dir = mkdtempSync(join(tmpdir(), 'losslens-reg-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('reports a status-only rewrite that keeps updated_at and the shard count', async () => {
  const store = join(dir, 'store');
  await writeDemoStore({ out: store, params: 20, targets: 1, seed: 3, failRate: 0 });
  const file = join(store, 'store.json');
  const rewrite = (status: string) => {
    const m = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(`${file}.tmp`, JSON.stringify({ ...m, status }));
    renameSync(`${file}.tmp`, file);
  };
  rewrite('collecting');
  const registry = new StoreRegistry({ watch: true, pollMs: 50 });
  const events: ApiEvent[] = [];
  registry.subscribe((e) => events.push(e));
  try {
    const opened = await registry.open(store);
    expect(opened.manifest.status).toBe('collecting');
    await new Promise((r) => setTimeout(r, 300)); // the watch's own settling reads: no event
    expect(events.filter((e) => e.type === 'store-updated')).toHaveLength(0);
    rewrite('complete');
    await expect
      .poll(
        () =>
          events
            .filter((e) => e.type === 'store-updated')
            .map((e) => e.type === 'store-updated' && e.manifest.status),
        {
          timeout: 3000,
        },
      )
      .toEqual(['complete']);
    expect(registry.get(opened.id)?.store.manifest.status).toBe('complete');
  } finally {
    await registry.closeAll();
  }
});
