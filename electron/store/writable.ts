// Failures to write a store, named for what the user can do: a read-only folder (Node reports a
// recursive mkdir there as ENOENT), no permission, or a full disk.
import { constants, promises as fs } from 'node:fs';
import path from 'node:path';

async function nearestExisting(dir: string): Promise<string> {
  let at = path.resolve(dir);
  while (
    !(await fs.stat(at).then(
      () => true,
      () => false,
    ))
  ) {
    const up = path.dirname(at);
    if (up === at) break;
    at = up;
  }
  return at;
}

/** Why `dir` cannot be written, as a sentence with the fix; null when that is not the cause. */
export async function unwritableReason(dir: string): Promise<string | null> {
  const at = await nearestExisting(dir);
  try {
    await fs.access(at, constants.W_OK);
    return null;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EROFS')
      return `${at} is on a read-only file system: choose a writable --out folder (or remount it read-write)`;
    if (code === 'EACCES' || code === 'EPERM')
      return `no permission to write in ${at}: choose a folder you can write to for --out (or change its permissions)`;
    return null;
  }
}

export const DISK_FULL_FIX =
  'free space on that disk (or move the store), then run the same command again: shards already committed are kept and it resumes after them';

export function isDiskFull(e: unknown): boolean {
  const err = e as NodeJS.ErrnoException;
  return (
    err?.code === 'ENOSPC' || /No space left on device|Could not write file/i.test(String(err?.message ?? e))
  );
}

/** `e` with what to do when the store's disk is full or its folder is not writable; else `e`. */
export async function explainWriteError(e: unknown, storeDir: string): Promise<unknown> {
  if (!(e instanceof Error)) return e;
  if (/free space on that disk|read-only file system:|no permission to write in/.test(e.message)) return e;
  if (isDiskFull(e))
    return withMessage(e, `${e.message}\nThe disk holding ${storeDir} is full: ${DISK_FULL_FIX}`);
  const code = (e as NodeJS.ErrnoException).code;
  if (
    code === 'EROFS' ||
    code === 'EACCES' ||
    code === 'EPERM' ||
    code === 'ENOENT' ||
    /Read-only file system|Permission denied/i.test(e.message)
  ) {
    const why = await unwritableReason(storeDir);
    if (why) return withMessage(e, `cannot write the store ${storeDir}: ${why}`);
  }
  return e;
}

function withMessage(e: Error, message: string): Error {
  const out = new Error(message, { cause: e });
  out.name = e.name;
  return out;
}

export async function mkdirStore(dir: string): Promise<void> {
  try {
    await fs.mkdir(dir, { recursive: true });
  } catch (e) {
    throw await explainWriteError(e, dir);
  }
}
