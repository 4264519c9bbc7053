// Where an export may go: an existing folder outside the store being read (a file written among
// the shards could be mistaken for one, or fill the store's disk under a live collector). Write
// failures are told in the user's terms (read-only folder, full disk), never as a partial file.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ownerGone } from '../store/owner.ts';
import { ExportError } from './export-spec.ts';

export async function checkDestination(out: string, storeRoot: string): Promise<string> {
  const abs = path.resolve(out);
  const dir = path.dirname(abs);
  let realDir: string;
  try {
    realDir = await fs.realpath(dir);
  } catch {
    throw new ExportError('--out', `${dir}: no such folder; create it first or choose another`);
  }
  if (!(await fs.stat(realDir)).isDirectory()) throw new ExportError('--out', `${dir} is not a folder`);
  const rel = path.relative(storeRoot, realDir);
  if (rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))) {
    throw new ExportError(
      '--out',
      `${abs} is inside the store being read (${storeRoot}); choose a folder outside it`,
    );
  }
  const target = path.join(realDir, path.basename(abs));
  const st = await fs.stat(target).catch(() => null);
  if (st?.isDirectory()) throw new ExportError('--out', `${target} is a folder; name a file`);
  return target;
}

const CODES: Record<string, string> = {
  EACCES: 'the folder is not writable (permission denied)',
  EPERM: 'the folder is not writable (permission denied)',
  EROFS: 'the folder is on a read-only file system',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exceeded',
};

/** A write failure as the user should read it; nothing was left at `out`. */
export function explainWriteError(e: unknown, out: string): ExportError {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  const message = e instanceof Error ? e.message : String(e);
  const why =
    (code && CODES[code]) ??
    (/No space left on device/i.test(message)
      ? CODES.ENOSPC
      : /Read-only file system/i.test(message)
        ? CODES.EROFS
        : /Permission denied/i.test(message)
          ? CODES.EACCES
          : /Disk quota exceeded/i.test(message)
            ? CODES.EDQUOT
            : null);
  if (why) return new ExportError('--out', `cannot write ${out}: ${why}; no file was written`);
  return new ExportError('export', `${message} (no file was written to ${out})`);
}

/** Temp files of earlier exports to `out` whose process is gone (killed mid-write): removed. */
export async function removeStaleTemps(out: string): Promise<void> {
  const prefix = `.tmp-${path.basename(out)}-`;
  const dir = path.dirname(out);
  for (const name of await fs.readdir(dir).catch(() => [])) {
    if (!name.startsWith(prefix)) continue;
    // `<pid>@<host>-<8 hex>` (store/atomic.ts); older temps have no host.
    const m = /^(\d+)(?:@(.+))?-[0-9a-f]{8}$/.exec(name.slice(prefix.length));
    if (m && ownerGone(Number(m[1]), m[2] ?? null)) await fs.rm(path.join(dir, name), { force: true });
  }
}
