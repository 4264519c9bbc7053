// Who made a temp file or holds a lock: `<pid>@<host>`. A process on this host that is gone
// cannot come back, so what it left can be removed at once; another host's is only aged out.
import os from 'node:os';

export const HOST = os.hostname().replace(/[^A-Za-z0-9_.-]/g, '_') || 'host';

export function ownerTag(pid = process.pid): string {
  return `${pid}@${HOST}`;
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists, owned by another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True when `pid` on `host` (null: a tag from before hosts were recorded, so this one) is gone. */
export function ownerGone(pid: number, host: string | null): boolean {
  return (host === null || host === HOST) && pid !== process.pid && !pidAlive(pid);
}
