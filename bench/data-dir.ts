// A fresh app-data folder per benchmark host: the host keeps pre-aggregates of finished stores
// there between runs (electron/host/preset-cache.ts), and a bench must not read a copy an earlier
// run saved unless it says so.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function freshDataDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'losslens-bench-data-'));
}
