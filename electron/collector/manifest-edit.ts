// Edits of a manifest shared by the writer and compaction: counts, warnings and targets merged
// by code, and dropping shards whose files are gone (their input keys go with them, so a re-run
// collects those inputs again).
import {
  COMPACT_WRITER,
  type Manifest,
  type ShardEntry,
  type StoreCounts,
  type StoreWarning,
} from '../../shared/manifest.ts';

export function mergeWarnings(into: readonly StoreWarning[], add: readonly StoreWarning[]): StoreWarning[] {
  const warnings = [...into];
  for (const warning of add) {
    const i = warnings.findIndex((w) => w.code === warning.code);
    const prev = warnings[i];
    if (prev) {
      warnings[i] = {
        ...prev,
        count: prev.count + warning.count,
        examples: [...prev.examples, ...warning.examples].slice(0, 5),
      };
    } else warnings.push({ ...warning, examples: warning.examples.slice(0, 5) });
  }
  return warnings;
}

export function sumCounts(shards: readonly ShardEntry[]): StoreCounts {
  const counts = { rows: 0, ok: 0, failed: 0, missing: 0 };
  for (const s of shards) {
    for (const t of Object.values(s.targets)) {
      counts.rows += t.rows;
      counts.ok += t.ok;
      counts.failed += t.failed;
      counts.missing += t.missing;
    }
  }
  return counts;
}

export function addCounts(a: StoreCounts, b: StoreCounts): StoreCounts {
  return {
    rows: a.rows + b.rows,
    ok: a.ok + b.ok,
    failed: a.failed + b.failed,
    missing: a.missing + b.missing,
  };
}

export function mergeTargets(into: Manifest['targets'], add: readonly { id: string; entrypoint: string }[]) {
  const known = new Set(into.map((t) => t.id));
  return [...into, ...add.filter((t) => !known.has(t.id))];
}

/**
 * `manifest` without the shards at `paths`, counts recomputed and the writers' row counts
 * lowered. Compacted shards share one carrier of input keys (the first), so if any of them is
 * dropped all are: the re-run then re-collects exactly the inputs they held, never a row twice.
 */
export function dropShards(
  manifest: Manifest,
  paths: ReadonlySet<string>,
): { manifest: Manifest; dropped: ShardEntry[] } {
  const hit = manifest.shards.filter((s) => paths.has(s.path));
  const group = hit.some((s) => s.writer === COMPACT_WRITER);
  const dropped = manifest.shards.filter((s) => paths.has(s.path) || (group && s.writer === COMPACT_WRITER));
  const gone = new Set(dropped.map((s) => s.path));
  const shards = manifest.shards.filter((s) => !gone.has(s.path));
  const writers = { ...manifest.writers };
  for (const s of dropped) {
    const w = writers[s.writer];
    if (w) writers[s.writer] = { ...w, rows: Math.max(0, w.rows - s.rows) };
  }
  return { manifest: { ...manifest, shards, writers, counts: sumCounts(shards) }, dropped };
}
