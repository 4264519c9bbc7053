// The launcher's bundle: rebuilt when a source is newer, reused otherwise, and the command run
// through it is the real CLI (the other CLI tests all go through bin/losslens.mjs too).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isStale } from '../../bin/cli-bundle.mjs';
import { runCli, tempDir } from '../collector/testing/helpers.ts';

async function touch(file: string, seconds: number) {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, '');
  await fs.utimes(file, seconds, seconds);
}

describe('CLI bundle', () => {
  it('is stale when missing or older than any source, and fresh otherwise (tests ignored)', async () => {
    const root = await tempDir('bundle');
    const bundle = path.join(root, 'out.mjs');
    await touch(path.join(root, 'electron', 'cli', 'a.ts'), 1_000);
    await touch(path.join(root, 'shared', 'b.ts'), 2_000);
    expect(isStale(bundle, root, ['electron', 'shared'])).toBe(true);
    await touch(bundle, 3_000);
    expect(isStale(bundle, root, ['electron', 'shared'])).toBe(false);
    await touch(path.join(root, 'electron', 'x.test.ts'), 4_000);
    expect(isStale(bundle, root, ['electron', 'shared'])).toBe(false);
    await touch(path.join(root, 'shared', 'deep', 'c.ts'), 4_000);
    expect(isStale(bundle, root, ['electron', 'shared'])).toBe(true);
  });

  it('runs the CLI', async () => {
    const r = await runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
