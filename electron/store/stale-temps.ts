// Temp files and folders a killed writer or compaction leaves in a store (`.tmp-…`): removed when
// their owner process is gone from this host, or after a day when it ran on another host (a
// store on a shared filesystem). Never one a live process may still be writing.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { SHARDS_DIR } from '../../shared/manifest.ts';
import { SEGMENTS_DIR } from './manifest-segments.ts';
import { HOST, ownerGone } from './owner.ts';

const OTHER_HOST_MAX_AGE_MS = 24 * 3600 * 1000;
// `.tmp-<name>-<pid>[@<host>]-<hex8>` (atomic.ts) and `.tmp-compact-<pid>[@<host>]-<ms>` (compact.ts).
const TEMP = /^\.tmp-.*?-(\d+)(?:@([A-Za-z0-9_.-]+))?-(?:[0-9a-f]{8}|\d{10,})$/;

export async function removeStaleTemps(storeDir: string, now = Date.now()): Promise<string[]> {
  const removed: string[] = [];
  for (const dir of [storeDir, path.join(storeDir, SHARDS_DIR), path.join(storeDir, SEGMENTS_DIR)]) {
    const names = await fs.readdir(dir).catch(() => [] as string[]);
    for (const name of names) {
      const m = TEMP.exec(name);
      if (!m) continue;
      const file = path.join(dir, name);
      const host = m[2] ?? null;
      let stale: boolean;
      if (host === null || host === HOST) stale = ownerGone(Number(m[1]), host);
      else {
        const st = await fs.stat(file).catch(() => null);
        stale = st !== null && now - st.mtimeMs > OTHER_HOST_MAX_AGE_MS;
      }
      if (!stale) continue;
      await fs.rm(file, { recursive: true, force: true });
      removed.push(path.relative(storeDir, file));
    }
  }
  return removed;
}
