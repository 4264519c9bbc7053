// Checking and writing store.json in time that does not grow with the shard count. A writer
// commits a shard by rewriting the manifest; with thousands of shards, re-validating and
// re-serialising every entry on every commit dominated the commit (see bench/ndjson-commit.ts).
// Shard entries are immutable once listed, so each is validated and serialised once: entries
// parsed from disk or already written are remembered by identity.
import { z } from 'zod';
import {
  type Manifest,
  manifestSchema,
  parseManifestValue,
  type ShardEntry,
  STORE_VERSION,
  shardSchema,
} from '../../shared/manifest.ts';
import {
  loadSegment,
  rememberLayout,
  SEGMENTED_VERSION,
  type SegmentRef,
  segmentRefSchema,
} from './manifest-segments.ts';

const headSchema = manifestSchema.omit({ shards: true });
const checked = new WeakSet<ShardEntry>();
const lines = new WeakMap<ShardEntry, string>();

/**
 * store.json text → the manifest, with the shards of its sealed segments (manifest-segments.ts)
 * before its own; every entry remembered as valid.
 */
export async function parseStoreManifest(text: string, where: string, storeDir: string): Promise<Manifest> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`${where}: not valid JSON (${(e as Error).message})`);
  }
  const obj = (raw ?? {}) as { version?: unknown; shard_segments?: unknown };
  if (obj.version !== SEGMENTED_VERSION) {
    const m = parseManifestValue(raw, where);
    rememberLayout(storeDir, []);
    for (const s of m.shards) checked.add(s);
    return m;
  }
  const refs = z.array(segmentRefSchema).safeParse(obj.shard_segments);
  if (!refs.success) throw new Error(`${where}: invalid loss-store manifest at shard_segments`);
  const { shard_segments: _, ...rest } = obj;
  const head = parseManifestValue({ ...rest, version: STORE_VERSION }, where);
  for (const s of head.shards) checked.add(s);
  const sealed = await Promise.all(refs.data.map((r) => loadSegment(storeDir, r, checked)));
  rememberLayout(storeDir, refs.data);
  return { ...head, shards: [...sealed.flat(), ...head.shards] };
}

/** The manifest validated (a bad one must never replace a good one): new shard entries only. */
export function checkManifest(manifest: Manifest): Manifest {
  const { shards, ...head } = manifest;
  const result = headSchema.safeParse(head);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(
      `refusing to write an invalid store.json at ${issue?.path.join('.') ?? '(root)'}: ${issue?.message}`,
    );
  }
  const out = shards.map((s, i) => {
    if (checked.has(s)) return s;
    const r = shardSchema.safeParse(s);
    if (!r.success) {
      const issue = r.error.issues[0];
      throw new Error(
        `refusing to write an invalid store.json at shards.${i}.${issue?.path.join('.')}: ${issue?.message}`,
      );
    }
    checked.add(r.data);
    return r.data;
  });
  return { ...result.data, shards: out };
}

/** The serialised form of one entry, made once per entry. */
export function shardLine(s: ShardEntry): string {
  let line = lines.get(s);
  if (line === undefined) {
    line = JSON.stringify(s);
    lines.set(s, line);
  }
  return line;
}

/**
 * store.json text: the header indented, then one line per shard of the tail. With sealed
 * segments the header says version 2 and lists them.
 */
export function serialiseManifest(
  manifest: Manifest,
  refs: readonly SegmentRef[] = [],
  tail: readonly ShardEntry[] = manifest.shards,
): string {
  const { shards: _, ...head } = manifest;
  const top = JSON.stringify(
    refs.length ? { ...head, version: SEGMENTED_VERSION, shard_segments: refs } : head,
    null,
    2,
  );
  const body = tail.map(shardLine);
  const list = body.length ? `[\n    ${body.join(',\n    ')}\n  ]` : '[]';
  return `${top.slice(0, -2)},\n  "shards": ${list}\n}\n`;
}
