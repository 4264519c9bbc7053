// Reading an opened store's store.json on the host, where the folder is whatever the user (or a
// page) named: only a regular file, at most MAX_MANIFEST_BYTES, so a FIFO or /dev/zero in its place
// is refused at once instead of blocking a thread or filling memory.
import path from 'node:path';
import { MANIFEST_FILE, type Manifest, parseManifest } from '../../shared/manifest.ts';
import { readSmallFile } from './open-file.ts';

/** A manifest lists shards, not rows: 64 MiB is far beyond any real store's. */
export const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

export async function readStoreManifest(storeDir: string, maxBytes = MAX_MANIFEST_BYTES): Promise<Manifest> {
  const file = path.join(storeDir, MANIFEST_FILE);
  let text: string;
  try {
    text = await readSmallFile(file, maxBytes);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(`${storeDir} is not a Losslens store: ${MANIFEST_FILE} is missing`);
    }
    throw e;
  }
  return parseManifest(text, file);
}
