// The store lock: a directory (`store.json.lock`, proper-lockfile: atomic mkdir, refreshed while
// held, stale after 10 s) plus an owner file beside it naming pid, host and since when. A waiter
// says what it waits for, and takes over at once a lock whose owner is gone from this host
// (a collector killed with -9) instead of waiting out the 10 s.
import { promises as fs } from 'node:fs';
import lockfile from 'proper-lockfile';
import { HOST, ownerGone } from './owner.ts';

export const LOCK_STALE_MS = 10_000;
const GIVE_UP_MS = 120_000;
const ORPHAN_AFTER_MS = 1_000;

interface Owner {
  pid: number;
  host: string;
  since: string;
  /** The lock directory's inode when taken: ties this record to that lock, not a later one. */
  ino: number;
}

export interface LockOptions {
  /** Told once when the lock is not free within a second: what holds it. */
  onWait?: (message: string) => void;
}

const ownerFile = (lockDir: string) => `${lockDir}.owner`;

async function readOwner(lockDir: string): Promise<Owner | null> {
  try {
    return JSON.parse(await fs.readFile(ownerFile(lockDir), 'utf8')) as Owner;
  } catch {
    return null;
  }
}

function holder(owner: Owner | null): string {
  if (!owner) return 'another process';
  const where = owner.host === HOST ? 'this host' : `host ${owner.host}`;
  return `pid ${owner.pid} on ${where} (since ${owner.since})`;
}

/** A lock whose recorded owner is gone from this host: make it look stale to proper-lockfile. */
async function breakIfOrphaned(lockDir: string, owner: Owner | null): Promise<boolean> {
  if (!owner || !ownerGone(owner.pid, owner.host)) return false;
  const st = await fs.stat(lockDir).catch(() => null);
  // The directory recorded, not a new one: inodes are reused, and a new holder's lock is less
  // than a second old when a waiter could still read the dead owner's record.
  if (!st || st.ino !== owner.ino || Date.now() - st.mtimeMs < ORPHAN_AFTER_MS) return false;
  const past = new Date(Date.now() - 10 * LOCK_STALE_MS);
  await fs.utimes(lockDir, past, past).catch(() => {});
  return true;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function withStoreLock<T>(
  storeDir: string,
  lockDir: string,
  fn: () => Promise<T>,
  opts: LockOptions = {},
): Promise<T> {
  const started = Date.now();
  let told = false;
  let delay = 20;
  let release: () => Promise<void>;
  for (;;) {
    try {
      release = await lockfile.lock(storeDir, {
        lockfilePath: lockDir,
        stale: LOCK_STALE_MS,
        update: 2_000,
        retries: 0,
        realpath: false,
      });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ELOCKED') throw e;
      const owner = await readOwner(lockDir);
      if (await breakIfOrphaned(lockDir, owner)) continue;
      const waited = Date.now() - started;
      if (!told && waited >= 1_000) {
        told = true;
        (opts.onWait ?? ((m: string) => process.stderr.write(`losslens: ${m}\n`)))(
          `waiting for the lock on ${lockDir}, held by ${holder(owner)}; ` +
            `it is taken over once not refreshed for ${LOCK_STALE_MS / 1000} s`,
        );
      }
      if (waited > GIVE_UP_MS) {
        throw new Error(
          `${lockDir} is still held by ${holder(owner)} after ${GIVE_UP_MS / 1000} s. If no losslens ` +
            `process writes this store, delete ${lockDir} and run the command again`,
        );
      }
      await sleep(delay);
      delay = Math.min(500, delay * 1.2);
    }
  }
  try {
    const st = await fs.stat(lockDir);
    const owner: Owner = { pid: process.pid, host: HOST, since: new Date().toISOString(), ino: st.ino };
    await fs.writeFile(ownerFile(lockDir), JSON.stringify(owner));
    return await fn();
  } finally {
    // Removed before the lock: a waiter never reads our record for the next holder's lock.
    await fs.rm(ownerFile(lockDir), { force: true });
    await release();
  }
}
