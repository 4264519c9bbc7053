// A fresh app-data folder per benchmark host: the host keeps pre-aggregates of finished stores
// there between runs (electron/host/preset-cache.ts), and a bench must not read a copy an earlier
// run saved unless it says so.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Removed when the bench exits (a 10M-row store's copy is ~160 MB). */
export function freshDataDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'losslens-bench-data-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
