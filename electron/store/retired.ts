// Shards a compaction replaced. They are not deleted at once: an app that read the old
// store.json a moment ago may still be reading them. They are listed in retired.json and deleted
// by a later compaction once older than the grace period (default 10 minutes).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from './atomic.ts';

export const RETIRED_FILE = 'retired.json';

export interface Retired {
  path: string;
  retired_at: string;
}

export async function readRetired(storeDir: string): Promise<Retired[]> {
  try {
    const parsed = JSON.parse(await fs.readFile(path.join(storeDir, RETIRED_FILE), 'utf8')) as {
      files?: Retired[];
    };
    return Array.isArray(parsed.files) ? parsed.files : [];
  } catch {
    return [];
  }
}

export async function writeRetired(storeDir: string, files: readonly Retired[]): Promise<void> {
  await writeFileAtomic(path.join(storeDir, RETIRED_FILE), `${JSON.stringify({ files }, null, 2)}\n`);
}

/** Delete retired files older than `graceMs` that no manifest lists; returns the ones kept. */
export async function deleteExpired(
  storeDir: string,
  files: readonly Retired[],
  listed: ReadonlySet<string>,
  graceMs: number,
  now = Date.now(),
): Promise<{ kept: Retired[]; deleted: string[] }> {
  const kept: Retired[] = [];
  const deleted: string[] = [];
  for (const f of files) {
    if (listed.has(f.path)) continue;
    if (now - Date.parse(f.retired_at) >= graceMs) {
      await fs.rm(path.join(storeDir, f.path), { force: true });
      deleted.push(f.path);
    } else kept.push(f);
  }
  return { kept, deleted };
}
