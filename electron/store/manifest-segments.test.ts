// store.json stays bounded however many shards are committed (older entries sealed into segment
// files), and every reader — another process with no cache — still gets every shard in order.
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Manifest, parseManifest, type ShardEntry } from '../../shared/manifest.ts';
import { dropShards } from '../collector/manifest-edit.ts';
import { REPO, tempDir } from '../collector/testing/helpers.ts';
import { manifestPath, updateManifest } from './manifest-io.ts';
import { TAIL_MAX } from './manifest-segments.ts';

let root: string;
beforeAll(async () => {
  root = await tempDir('segments');
});

function entry(i: number): ShardEntry {
  return {
    path: `shards/part-main-${String(i).padStart(6, '0')}.parquet`,
    writer: 'main',
    seq: i,
    rows: 20,
    bytes: 4000 + i,
    created_at: new Date(1_700_000_000_000 + i).toISOString(),
    targets: { a: { rows: 20, ok: 20, failed: 0, missing: 0, min_loss: i, max_loss: i + 1 } },
    inputs: [`stdin:x:bytes:${i * 100}-${i * 100 + 100}`],
  };
}

function empty(): Manifest {
  const now = new Date().toISOString();
  return {
    format: 'losslens-store',
    version: 1,
    job_id: 'j',
    source: { kind: 'ndjson', path: '-' },
    status: 'collecting',
    targets: [{ id: 'a', entrypoint: 'a' }],
    params: [],
    counts: { rows: 0, ok: 0, failed: 0, missing: 0 },
    shards: [],
    writers: {},
    warnings: [],
    created_at: now,
    updated_at: now,
    collector_version: 't',
  };
}

/** The shard paths another process reads (no in-process cache). */
function readElsewhere(store: string): string[] {
  const code = `import { readManifest } from ${JSON.stringify(path.join(REPO, 'electron/store/manifest-io.ts'))};
    const m = await readManifest(${JSON.stringify(store)});
    process.stdout.write(JSON.stringify(m.shards.map((s) => s.path)));`;
  return JSON.parse(
    execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
      cwd: REPO,
    }).toString(),
  ) as string[];
}

describe('store.json segments', () => {
  it('keeps store.json bounded over 800 one-shard commits; another process reads all 800 in order', async () => {
    const store = path.join(root, 'long');
    const expected: string[] = [];
    let maxBytes = 0;
    for (let i = 0; i < 800; i++) {
      await updateManifest(store, (cur) => {
        const base = cur ?? empty();
        return { ...base, shards: [...base.shards, entry(i)] };
      });
      expected.push(entry(i).path);
      maxBytes = Math.max(maxBytes, (await fs.stat(manifestPath(store))).size);
    }
    const text = await fs.readFile(manifestPath(store), 'utf8');
    const onDisk = JSON.parse(text) as { version: number; shards: unknown[]; shard_segments: unknown[] };
    expect(onDisk.version).toBe(2);
    expect(onDisk.shards.length).toBeLessThanOrEqual(TAIL_MAX);
    expect(onDisk.shard_segments.length).toBeGreaterThanOrEqual(2);
    // Bounded: never more than TAIL_MAX entries (plus the header), far below 800 entries' worth.
    expect(maxBytes).toBeLessThan((TAIL_MAX + 40) * (text.length / (onDisk.shards.length + 20)));
    expect(readElsewhere(store)).toEqual(expected);
    // A reader that does not know segments refuses the file instead of missing shards.
    expect(() => parseManifest(text)).toThrow(/version/);
  });

  it('a rewrite of older shards (a dropped shard) is read back exactly by another process', async () => {
    const store = path.join(root, 'long');
    const victim = entry(100).path;
    await updateManifest(store, (cur) => dropShards(cur!, new Set([victim])).manifest);
    const expected = Array.from({ length: 800 }, (_, i) => entry(i).path).filter((p) => p !== victim);
    expect(readElsewhere(store)).toEqual(expected);
  });

  it('a store of up to TAIL_MAX shards is written as before (version 1, no segments)', async () => {
    const store = path.join(root, 'short');
    for (let i = 0; i < 30; i++) {
      await updateManifest(store, (cur) => {
        const base = cur ?? empty();
        return { ...base, shards: [...base.shards, entry(i)] };
      });
    }
    const m = parseManifest(await fs.readFile(manifestPath(store), 'utf8'));
    expect(m.version).toBe(1);
    expect(m.shards.length).toBe(30);
    await expect(fs.stat(path.join(store, 'segments'))).rejects.toThrow();
  });
});
