// Small traps around a store, with real child processes: a lock left by a collector killed with
// -9 (said while waiting, broken at once once its owner is gone), temp folders of killed
// compactions, a full disk and a read-only output folder (tmpfs mounts: the tests run as root,
// for whom chmod does not stop writes).
import { execFileSync, spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readManifest } from '../store/manifest-io.ts';
import { LOCK_STALE_MS } from '../store/store-lock.ts';
import { FIXTURE_TARGETS, type ViewsFixture, writeViewsFixture } from './testing/fixtures.ts';
import { CLI, openTestDuck, REPO, runCli, storeRelation, tempDir } from './testing/helpers.ts';

let db: Awaited<ReturnType<typeof openTestDuck>>;
let root: string;
let view: ViewsFixture;
const ARGS = ['--batch-rows', '100', '--progress', 'none'];

/** A tmpfs of `size` at a fresh folder, or null where mounting is not allowed. */
function mountTmpfs(size: string): string | null {
  const at = path.join(root, `mnt-${Math.random().toString(36).slice(2)}`);
  try {
    execFileSync('mkdir', ['-p', at]);
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', at], { stdio: 'ignore' });
    return at;
  } catch {
    return null;
  }
}
const mounts: string[] = [];
// Mounting needs root (the tests run as root here); elsewhere these two cases are skipped.
const CAN_MOUNT = process.getuid?.() === 0;

beforeAll(async () => {
  db = await openTestDuck();
  root = await tempDir('traps');
  view = await writeViewsFixture(db.conn, {
    dir: path.join(root, 'job'),
    params: 4000,
    targets: FIXTURE_TARGETS,
    jobSpec: 'tasks',
  });
});
afterAll(() => {
  for (const m of mounts) execFileSync('umount', ['-l', m]);
  db.close();
});

async function rows(store: string): Promise<number> {
  const [r] = await db.rows(`SELECT count(*)::INT AS n FROM ${await storeRelation(store)}`);
  return r!.n as number;
}

/** A process that takes the store lock the way a writer does and then hangs. */
function holdLock(store: string) {
  const code = `import { withStoreLock } from ${JSON.stringify(path.join(REPO, 'electron/store/store-lock.ts'))};
    await withStoreLock(${JSON.stringify(store)}, ${JSON.stringify(path.join(store, 'store.json.lock'))}, async () => {
      console.log('held'); setInterval(() => {}, 1000); await new Promise(() => {});
    });`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const held = new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  return { child, held };
}

describe('store traps', () => {
  it('a lock held by a live process is named while waiting; once its owner is killed -9 it is broken at once', async () => {
    const store = path.join(root, 'locked');
    expect((await runCli(['collect', view.dir, '--out', store, ...ARGS])).code).toBe(0);
    const { child, held } = holdLock(store);
    await held;
    const collector = spawn(process.execPath, [CLI, 'collect', view.dir, '--out', store, ...ARGS], {
      cwd: REPO,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    const waiting = new Promise<void>((resolve) =>
      collector.stderr.on('data', (d) => {
        stderr += d;
        if (stderr.includes('waiting for the lock')) resolve();
      }),
    );
    const exited = new Promise<number | null>((resolve) => collector.on('close', resolve));
    await waiting;
    const killedAt = Date.now();
    child.kill('SIGKILL');
    const r = { code: await exited, stderr };
    const after = Date.now() - killedAt;
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`waiting for the lock on ${path.join(store, 'store.json.lock')}`);
    expect(r.stderr).toContain(`held by pid ${child.pid} on this host`);
    // proper-lockfile alone would wait until the lock is 10 s old; the dead owner is seen at once.
    expect(after).toBeLessThan(LOCK_STALE_MS);
    expect((await readManifest(store)).status).toBe('complete');
  });

  it('compact and collect remove temp folders and files left by killed runs, never a live one', async () => {
    const store = path.join(root, 'temps');
    expect((await runCli(['collect', view.dir, '--out', store, ...ARGS])).code).toBe(0);
    const gone = spawn(process.execPath, ['-e', '']);
    await new Promise((r) => gone.on('close', r));
    const dead = gone.pid!;
    const shards = path.join(store, 'shards');
    const stale = [
      path.join(shards, `.tmp-compact-${dead}-${Date.now()}`),
      path.join(shards, `.tmp-compact-${dead}@${(await import('node:os')).hostname()}-${Date.now()}`),
    ];
    for (const d of stale) {
      await fs.mkdir(d);
      await fs.writeFile(path.join(d, 'c_0.parquet'), 'x');
    }
    const staleFile = path.join(shards, `.tmp-part-main.parquet-${dead}-0a1b2c3d`);
    await fs.writeFile(staleFile, 'x');
    const live = path.join(shards, `.tmp-compact-${process.pid}-${Date.now()}`);
    await fs.mkdir(live);
    expect((await runCli(['compact', store])).code).toBe(0);
    for (const d of [...stale, staleFile]) await expect(fs.stat(d)).rejects.toThrow();
    await fs.stat(live);
    const again = path.join(shards, `.tmp-compact-${dead}-${Date.now()}`);
    await fs.mkdir(again);
    expect((await runCli(['collect', view.dir, '--out', store, ...ARGS])).code).toBe(0);
    await expect(fs.stat(again)).rejects.toThrow();
    await fs.stat(live);
  });

  it.runIf(CAN_MOUNT)(
    'a full disk says to free space and that the same command resumes; after freeing it does',
    async () => {
      const mnt = mountTmpfs('200k');
      expect(mnt).not.toBeNull();
      mounts.push(mnt!);
      const store = path.join(mnt!, 'store');
      const args = ['collect', view.dir, '--out', store, '--batch-rows', '200', '--progress', 'none'];
      const r = await runCli(args);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/is full: free space on that disk/);
      expect(r.stderr).toContain('run the same command again');
      const m = await readManifest(store);
      expect(m.status).toBe('failed');
      expect(m.writers.main?.error).toContain('free space');
      execFileSync('mount', ['-o', 'remount,size=50m', mnt!]);
      const again = await runCli(args);
      expect(again.code).toBe(0);
      expect((await readManifest(store)).status).toBe('complete');
      const [n] = await db.rows(
        `SELECT count(*)::INT AS n FROM read_parquet('${view.dir}/targets/*/data.parquet')`,
      );
      expect(await rows(store)).toBe(n!.n);
    },
  );

  it.runIf(CAN_MOUNT)(
    'a read-only output folder says read-only, for a new store and for an existing one',
    async () => {
      const mnt = mountTmpfs('20m');
      expect(mnt).not.toBeNull();
      mounts.push(mnt!);
      const existing = path.join(mnt!, 'store');
      expect((await runCli(['collect', view.dir, '--out', existing, ...ARGS])).code).toBe(0);
      execFileSync('mount', ['-o', 'remount,ro', mnt!]);
      const fresh = await runCli(['collect', view.dir, '--out', path.join(mnt!, 'new', 'store'), ...ARGS]);
      expect(fresh.code).toBe(1);
      expect(fresh.stderr).toContain(`${mnt!} is on a read-only file system`);
      expect(fresh.stderr).not.toContain('ENOENT');
      const resumed = await runCli(['collect', view.dir, '--out', existing, ...ARGS]);
      expect(resumed.code).toBe(1);
      expect(resumed.stderr).toContain('read-only file system');
    },
  );
});
