// Watches one store's store.json and reports each new valid manifest. Writers replace the file
// by rename, so a read can race the swap: a read that fails is retried, never reported as an error
// unless it keeps failing.
import { unwatchFile, watchFile } from 'node:fs';
import path from 'node:path';
import { MANIFEST_FILE, type Manifest } from '../../shared/manifest.ts';
import { readStoreManifest } from './manifest-read.ts';

export interface ManifestWatch {
  close(): Promise<void>;
}

export function watchManifest(
  storeDir: string,
  onManifest: (manifest: Manifest) => void,
  onError: (message: string) => void,
  options: { retries?: number; retryMs?: number; pollMs?: number } = {},
): ManifestWatch {
  const retries = options.retries ?? 8;
  const retryMs = options.retryMs ?? 50;
  let closed = false;
  let running: Promise<void> | null = null;
  let again = false;

  const readWithRetry = async () => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await readStoreManifest(storeDir);
      } catch (e) {
        if (attempt >= retries) throw e;
        await new Promise((r) => setTimeout(r, retryMs * (attempt + 1)));
      }
    }
  };

  // Coalesce bursts of events: one read in flight, at most one queued behind it.
  const refresh = () => {
    if (closed) return;
    if (running) {
      again = true;
      return;
    }
    running = readWithRetry()
      .then((m) => {
        if (!closed) onManifest(m);
      })
      .catch((e: unknown) => {
        if (!closed) onError(e instanceof Error ? e.message : String(e));
      })
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          refresh();
        }
      });
  };

  // Poll the path's stat rather than hold an inotify watch on the file: an atomic rename replaces
  // the inode such a watch holds, and polling also works on network filesystems where clusters
  // write their stores. (chokidar's polling mode missed the second of two quick renames here.)
  const file = path.join(storeDir, MANIFEST_FILE);
  const onStat = (curr: { mtimeMs: number; ino: number; size: number }, prev: typeof curr) => {
    if (curr.mtimeMs !== prev.mtimeMs || curr.ino !== prev.ino || curr.size !== prev.size) refresh();
  };
  const interval = options.pollMs ?? 250;
  watchFile(file, { interval, persistent: false }, onStat);
  // The poll's first stat is its baseline: a manifest written between the opener's read and that
  // stat would never be reported (a collector's last commit, lost for good). Read once now and once
  // after the baseline surely exists; the caller ignores a manifest it already has.
  refresh();
  const settle = setTimeout(refresh, 2 * interval);
  settle.unref?.();
  return {
    async close() {
      closed = true;
      clearTimeout(settle);
      unwatchFile(file, onStat);
    },
  };
}
