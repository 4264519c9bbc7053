// A job view (fixtures.ts) collected into a store, for tests of what reads stores (the host's
// native instance, its pre-aggregates and their saved copies): the folder, the store, its
// manifest and a separate DuckDB to compute references with.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Manifest } from '../../../shared/manifest.ts';
import { readManifest } from '../../store/manifest-io.ts';
import { collect } from '../collect.ts';
import { type ViewsFixtureOptions, writeViewsFixture } from './fixtures.ts';
import { openTestDuck, tempDir } from './helpers.ts';

export interface CollectedFixture {
  /** The temp folder holding the job and the store (removed by close). */
  dir: string;
  store: string;
  manifest: Manifest;
  db: Awaited<ReturnType<typeof openTestDuck>>;
  close(): Promise<void>;
}

export async function collectedFixture(
  name: string,
  view: Omit<ViewsFixtureOptions, 'dir'>,
  batchRows = 60,
): Promise<CollectedFixture> {
  const dir = await tempDir(name);
  const db = await openTestDuck();
  const job = await writeViewsFixture(db.conn, { ...view, dir: path.join(dir, 'job') });
  const store = path.join(dir, 'store');
  await collect({ sources: [job.dir], out: store, batchRows, compact: false });
  return {
    dir,
    store,
    manifest: await readManifest(store),
    db,
    async close() {
      db.close();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}
