// Checking and writing store.json in time that does not grow with the shard count. A writer
// commits a shard by rewriting the manifest; with thousands of shards, re-validating and
// re-serialising every entry on every commit dominated the commit (see bench/ndjson-commit.ts).
// Shard entries are immutable once listed, so each is validated and serialised once: entries
// parsed from disk or already written are remembered by identity.
import {
  type Manifest,
  manifestSchema,
  parseManifest,
  type ShardEntry,
  shardSchema,
} from '../../shared/manifest.ts';

const headSchema = manifestSchema.omit({ shards: true });
const checked = new WeakSet<ShardEntry>();
const lines = new WeakMap<ShardEntry, string>();

/** parseManifest, remembering its shard entries as valid. */
export function parseStoreManifest(text: string, where: string): Manifest {
  const m = parseManifest(text, where);
  for (const s of m.shards) checked.add(s);
  return m;
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

/** store.json text: the header indented, then one line per shard (each serialised once). */
export function serialiseManifest(manifest: Manifest): string {
  const { shards, ...head } = manifest;
  const top = JSON.stringify(head, null, 2);
  const body = shards.map((s) => {
    let line = lines.get(s);
    if (line === undefined) {
      line = JSON.stringify(s);
      lines.set(s, line);
    }
    return line;
  });
  const list = body.length ? `[\n    ${body.join(',\n    ')}\n  ]` : '[]';
  return `${top.slice(0, -2)},\n  "shards": ${list}\n}\n`;
}
