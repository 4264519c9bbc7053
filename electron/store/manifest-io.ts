// Reading and updating store.json. Updates are read-modify-write under a lock, so several
// writers (partitions, processes, machines on a shared filesystem) can commit shards to one store.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { MANIFEST_FILE, type Manifest, manifestSchema, parseManifest } from '../../shared/manifest.ts';
import { writeFileAtomic } from './atomic.ts';
import { type LockOptions, withStoreLock } from './store-lock.ts';
import { mkdirStore } from './writable.ts';

export function manifestPath(storeDir: string): string {
  return path.join(storeDir, MANIFEST_FILE);
}

export async function readManifest(storeDir: string): Promise<Manifest> {
  const file = manifestPath(storeDir);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(`${storeDir} is not a Losslens store: ${MANIFEST_FILE} is missing`);
    }
    throw e;
  }
  return parseManifest(text, file);
}

export async function readManifestIfExists(storeDir: string): Promise<Manifest | null> {
  try {
    await fs.access(manifestPath(storeDir));
  } catch {
    return null;
  }
  return readManifest(storeDir);
}

export async function writeManifest(storeDir: string, manifest: Manifest): Promise<void> {
  // Validate before writing: a bad manifest must never replace a good one.
  const checked = manifestSchema.parse(manifest);
  await writeFileAtomic(manifestPath(storeDir), `${JSON.stringify(checked, null, 2)}\n`);
}

/**
 * Run `update` on the current manifest (or null when the store is new) under the store lock and
 * write its result atomically (store-lock.ts: a writer killed with -9 leaves a lock that others
 * take over at once on this host, after 10 s from another).
 */
export async function updateManifest(
  storeDir: string,
  update: (current: Manifest | null) => Manifest | Promise<Manifest>,
  opts: LockOptions = {},
): Promise<Manifest> {
  await mkdirStore(storeDir);
  return withStoreLock(
    storeDir,
    `${manifestPath(storeDir)}.lock`,
    async () => {
      const next = await update(await readManifestIfExists(storeDir));
      await writeManifest(storeDir, next);
      return next;
    },
    opts,
  );
}
