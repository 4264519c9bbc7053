// `losslens export` refusing bad input (exit 1, a message naming the option and the fix) and never
// leaving a partial file: not on a read-only folder, a full disk, or a kill -9 mid-export.
import { spawnSync } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDemoStore } from '../collector/demo.ts';
import { CLI, REPO, runCli, tempDir } from '../collector/testing/helpers.ts';

let dir: string;
let store: string;

beforeAll(async () => {
  dir = await tempDir('export-err');
  store = path.join(dir, 'store');
  await writeDemoStore({ out: store, params: 300, targets: 3, seed: 9, failRate: 0.1 });
});

afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function refused(args: string[], message: RegExp, out = path.join(dir, 'x.csv')) {
  const r = await runCli(['export', ...args, '--out', out]);
  expect(r.code).toBe(1);
  expect(r.stderr.trim()).toMatch(message);
  expect(r.stdout).toBe('');
  expect(existsSync(out)).toBe(false);
  return r;
}

describe('losslens export refuses', () => {
  it('a bad WHERE, naming the column and suggesting the right one', async () => {
    await refused([store, '--where', 'los < 3'], /^losslens: --where: .*"los".*did you mean loss\?/);
    await refused([store, '--where', 'loss <'], /^losslens: --where: .*ends too early/);
    await refused([store, '--where', 'loss < 3) OR (1=1'], /^losslens: --where: unbalanced "\)"/);
  });

  it('an unknown column in --columns or --sort, listing the columns there are', async () => {
    await refused(
      [store, '--columns', 'param_id,nope'],
      /^losslens: --columns: unknown column "nope" \(the store has: job_id, param_id, .*\)/,
    );
    await refused([store, '--sort', 'nope:desc'], /^losslens: --sort: unknown column "nope"/);
  });

  it('an unknown --target, and options that do not go together', async () => {
    await refused(
      [store, '--best', '3', '--target', 'nope'],
      /^losslens: --target: no target "nope" in this store \(it has: /,
    );
    await refused([store, '--target', 'prevalence_target'], /^losslens: --target: needs --best N/);
    await refused([store, '--best', '3', '--summary'], /^losslens: --summary: choose --best or --summary/);
    await refused(
      [store, '--summary', '--columns', 'param_id'],
      /^losslens: --columns: applies to row exports only/,
    );
    await refused([store, '--best', '0'], /--best must be an integer ≥ 1/);
    await refused([store, '--format', 'xlsx'], /--format must be one of csv, parquet, json/);
    await refused(
      [store],
      /^losslens: --format: cannot tell the format from "x.xlsx"/,
      path.join(dir, 'x.xlsx'),
    );
  });

  it('a store folder that does not exist, or is not a store', async () => {
    await refused([path.join(dir, 'missing')], /^losslens: STORE: .*missing: no such folder/);
    await refused([dir], /^losslens: STORE: .* is not a Losslens store: store\.json is missing/);
  });

  it('an --out folder that does not exist, or one inside the store being read', async () => {
    await refused(
      [store],
      /^losslens: --out: .*no-such-dir: no such folder; create it first/,
      path.join(dir, 'no-such-dir', 'x.csv'),
    );
    const inside = path.join(store, 'shards', 'x.parquet');
    await refused(
      [store],
      /^losslens: --out: .* is inside the store being read .*; choose a folder outside it/,
      inside,
    );
    await refused([store], /inside the store being read/, path.join(store, 'x.csv'));
  });
});

// A private mount namespace: a small or read-only tmpfs only this child sees (root only).
const canMount =
  spawnSync('unshare', ['-m', 'sh', '-c', 'mount -t tmpfs tmpfs /mnt'], { stdio: 'ignore' }).status === 0;

function inTmpfs(mountOptions: string, out: string, extra: string[] = []) {
  const mnt = path.dirname(out);
  const args = ['export', store, '--out', out, ...extra].map((a) => `'${a}'`).join(' ');
  const script = `mount -t tmpfs -o ${mountOptions} tmpfs '${mnt}' && '${process.execPath}' '${CLI}' ${args}; echo "rc=$?"; echo "left:$(ls -A '${mnt}' | tr '\\n' ' ')"`;
  return spawnSync('unshare', ['-m', 'sh', '-c', script], { cwd: REPO, encoding: 'utf8' });
}

describe.skipIf(!canMount)('losslens export on a folder it cannot fill', () => {
  it('a read-only folder: a clear message and no file', async () => {
    const mnt = path.join(dir, 'ro');
    await fs.mkdir(mnt);
    const r = inTmpfs('ro', path.join(mnt, 'rows.parquet'));
    expect(r.stdout).toContain('rc=1');
    expect(r.stdout).toMatch(/left: *\n/);
    expect(r.stderr).toMatch(
      /^losslens: --out: cannot write .*rows\.parquet: the folder is on a read-only file system; no file was written/m,
    );
  });

  it('a full disk: a clear message and no file, not even a temp', async () => {
    const mnt = path.join(dir, 'full');
    await fs.mkdir(mnt);
    const r = inTmpfs('size=24k', path.join(mnt, 'rows.csv'));
    expect(r.stdout).toContain('rc=1');
    expect(r.stdout).toMatch(/left: *\n/);
    expect(r.stderr).toMatch(
      /^losslens: --out: cannot write .*rows\.csv: the disk is full; no file was written/m,
    );
  });
});

describe('losslens export killed mid-write', () => {
  it('leaves no file at --out (kill -9 while the temp file grows); the same command then completes', async () => {
    const big = path.join(dir, 'big');
    await writeDemoStore({ out: big, params: 80_000, targets: 2, seed: 3, failRate: 0 });
    const outDir = path.join(dir, 'killed');
    await fs.mkdir(outDir);
    const out = path.join(outDir, 'rows.json');
    let sawTemp = false;
    const r = await runCli(['export', big, '--out', out], {
      onSpawn: (pid) => {
        const poll = setInterval(async () => {
          const names = await fs.readdir(outDir);
          const temp = names.find((n) => n.startsWith('.tmp-rows.json'));
          if (!temp || (await fs.stat(path.join(outDir, temp))).size === 0) return;
          clearInterval(poll);
          sawTemp = true;
          process.kill(pid, 'SIGKILL');
        }, 10);
      },
    });
    expect(r.signal).toBe('SIGKILL');
    expect(sawTemp).toBe(true);
    expect(existsSync(out)).toBe(false);
    const again = await runCli(['export', big, '--out', out, '--columns', 'param_id,target']);
    expect(again.code).toBe(0);
    expect(JSON.parse(await fs.readFile(out, 'utf8'))).toHaveLength(160_000);
    // The killed run's temp file is cleaned up by the next export to the same file.
    expect((await fs.readdir(outDir)).sort()).toEqual(['rows.json', 'rows.json.provenance.json']);
  }, 180_000);
});
