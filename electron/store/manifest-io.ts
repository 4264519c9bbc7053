// Reading and updating store.json. Updates are read-modify-write under a lock, so several
// writers (partitions, processes, machines on a shared filesystem) can commit shards to one store.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { MANIFEST_FILE, type Manifest } from '../../shared/manifest.ts';
import { writeFileAtomic } from './atomic.ts';
import { checkManifest, parseStoreManifest, serialiseManifest } from './manifest-codec.ts';
import { layoutShards, rememberLayout } from './manifest-segments.ts';
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
  return parseStoreManifest(text, file, storeDir);
}

export async function readManifestIfExists(storeDir: string): Promise<Manifest | null> {
  try {
    await fs.access(manifestPath(storeDir));
  } catch {
    return null;
  }
  return readManifest(storeDir);
}

// The manifest this process last read or wrote per store, with the file's identity then. Every
// write is an atomic rename of a new file (new inode, new ctime), so an unchanged identity means
// unchanged content, and a writer that is the store's only one never re-reads what it wrote.
const known = new Map<string, { sig: string; manifest: Manifest }>();

async function signature(file: string): Promise<string | null> {
  try {
    const st = await fs.stat(file, { bigint: true });
    return `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/**
 * The current manifest (null when the store is new) without re-reading or re-parsing the file
 * when it is the one this process last saw. Callers must not mutate what it returns.
 */
export async function readManifestCached(storeDir: string): Promise<Manifest | null> {
  const file = manifestPath(storeDir);
  const sig = await signature(file);
  if (sig === null) return null;
  const hit = known.get(storeDir);
  if (hit?.sig === sig) return hit.manifest;
  const manifest = await readManifest(storeDir);
  // Only trust the identity if the file did not change while it was being read.
  if ((await signature(file)) === sig) known.set(storeDir, { sig, manifest });
  return manifest;
}

export async function writeManifest(storeDir: string, manifest: Manifest): Promise<Manifest> {
  // Validated before writing: a bad manifest must never replace a good one.
  const checked = checkManifest(manifest);
  // Shards beyond the latest few hundred go to sealed segment files, written first, so a commit
  // rewrites a store.json of bounded size whatever the shard count (manifest-segments.ts).
  const { refs, tail } = await layoutShards(storeDir, checked.shards);
  await writeFileAtomic(manifestPath(storeDir), serialiseManifest(checked, refs, tail));
  rememberLayout(storeDir, refs);
  return checked;
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
      const current = await readManifestCached(storeDir);
      const next = laterThan(current, await update(current));
      const written = await writeManifest(storeDir, next);
      // Under the lock nobody else writes, so the file now is the one just written.
      const sig = await signature(manifestPath(storeDir));
      if (sig) known.set(storeDir, { sig, manifest: written });
      return written;
    },
    opts,
  );
}

/**
 * `next` stamped strictly after `current`: readers tell manifests apart by `updated_at` (the host's
 * watch, the page's resync), and a last commit and the status-only `complete` after it can fall in
 * one millisecond when fsync is cheap, or a writer's clock can be behind another host's.
 */
function laterThan(current: Manifest | null, next: Manifest): Manifest {
  if (!current) return next;
  const prev = Date.parse(current.updated_at);
  if (!Number.isFinite(prev)) return next;
  return Date.parse(next.updated_at) > prev
    ? next
    : { ...next, updated_at: new Date(prev + 1).toISOString() };
}
