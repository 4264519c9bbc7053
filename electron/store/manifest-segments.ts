// Shard lists too long to rewrite on every commit. Rewriting store.json whole made a commit's
// cost grow with the shard count (1.4 MB written and fsynced per commit at 3,000 shards; see
// bench/ndjson-commit.ts). Once a store lists more than TAIL_MAX shards, the oldest are sealed,
// SEGMENT_SIZE at a time, into immutable files `segments/seg-<n>-<random>.json` (written and
// fsynced before the store.json that names them), and store.json keeps the header, the
// segment list and the latest shards. Such a store.json says `"version": 2`, so a reader that
// does not know segments refuses it instead of silently missing shards; smaller stores are
// written exactly as before (version 1).
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { type ShardEntry, shardSchema } from '../../shared/manifest.ts';
import { writeFileAtomic } from './atomic.ts';

export const SEGMENTS_DIR = 'segments';
export const SEGMENT_SIZE = 256;
export const TAIL_MAX = 512;
export const SEGMENTED_VERSION = 2;

export const segmentRefSchema = z.object({
  path: z.string().regex(/^segments\/seg-\d+-[0-9a-f]+\.json$/),
  count: z.number().int().positive(),
});
export type SegmentRef = z.infer<typeof segmentRefSchema>;

// Segment files never change once named, so each is read and validated once per process.
const loaded = new Map<string, ShardEntry[]>();
/** Per store: the segments of the manifest last read or written, to reuse them on write. */
const layouts = new Map<string, SegmentRef[]>();

export async function loadSegment(
  storeDir: string,
  ref: SegmentRef,
  valid: WeakSet<ShardEntry>,
): Promise<ShardEntry[]> {
  const file = path.join(storeDir, ref.path);
  const hit = loaded.get(file);
  if (hit) return hit;
  let raw: unknown;
  try {
    raw = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file} (listed in store.json): ${(e as Error).message}`);
  }
  const parsed = z.array(shardSchema).safeParse(raw);
  if (!parsed.success || parsed.data.length !== ref.count) {
    throw new Error(`${file} (listed in store.json) is not a segment of ${ref.count} shard entries`);
  }
  for (const s of parsed.data) valid.add(s);
  loaded.set(file, parsed.data);
  return parsed.data;
}

export function currentLayout(storeDir: string): readonly SegmentRef[] {
  return layouts.get(storeDir) ?? [];
}

export function rememberLayout(storeDir: string, refs: readonly SegmentRef[]): void {
  layouts.set(storeDir, [...refs]);
}

/**
 * Split `shards` into sealed segments and a tail: segments of the last layout whose entries are
 * still the same objects at the same place are kept; the tail beyond TAIL_MAX is sealed into
 * new segment files now. Returns the segment list and the tail for store.json.
 */
export async function layoutShards(
  storeDir: string,
  shards: readonly ShardEntry[],
): Promise<{ refs: SegmentRef[]; tail: readonly ShardEntry[] }> {
  const refs: SegmentRef[] = [];
  let offset = 0;
  for (const ref of layouts.get(storeDir) ?? []) {
    const entries = loaded.get(path.join(storeDir, ref.path));
    if (!entries || offset + entries.length > shards.length) break;
    if (!entries.every((s, i) => shards[offset + i] === s)) break;
    refs.push(ref);
    offset += entries.length;
  }
  while (shards.length - offset > TAIL_MAX) {
    const part = shards.slice(offset, offset + SEGMENT_SIZE);
    const seq = refs.length + 1;
    const rel = `${SEGMENTS_DIR}/seg-${String(seq).padStart(6, '0')}-${randomBytes(4).toString('hex')}.json`;
    await fs.mkdir(path.join(storeDir, SEGMENTS_DIR), { recursive: true });
    await writeFileAtomic(
      path.join(storeDir, rel),
      `[\n${part.map((s) => JSON.stringify(s)).join(',\n')}\n]\n`,
    );
    loaded.set(path.join(storeDir, rel), part);
    refs.push({ path: rel, count: part.length });
    offset += part.length;
  }
  return { refs, tail: shards.slice(offset) };
}

/** Segment files in the store that the given layout does not name (left by a rewrite). */
export async function unlistedSegments(storeDir: string, refs: readonly SegmentRef[]): Promise<string[]> {
  const named = new Set(refs.map((r) => r.path));
  const names = await fs.readdir(path.join(storeDir, SEGMENTS_DIR)).catch(() => [] as string[]);
  return names
    .filter((n) => /^seg-\d+-[0-9a-f]+\.json$/.test(n))
    .map((n) => `${SEGMENTS_DIR}/${n}`)
    .filter((p) => !named.has(p));
}
