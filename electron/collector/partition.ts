// Deterministic split of a source's units (files, row ranges) over N writers: unit i belongs to
// partition (i mod N) + 1. Every writer enumerates units in the same order, so the split needs no
// coordination between processes or machines.
import {
  type Manifest,
  type Partitions,
  partitionProgress,
  type StoreStatus,
} from '../../shared/manifest.ts';

export interface Partition {
  k: number;
  n: number;
}

export function parsePartition(text: string): Partition {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const k = Number(m?.[1]);
  const n = Number(m?.[2]);
  if (!m || n < 1 || k < 1 || k > n) {
    throw new Error(`--partition "${text}" must be K/N with 1 ≤ K ≤ N, e.g. 2/4`);
  }
  return { k, n };
}

export function ownsUnit(partition: Partition | null, unitIndex: number): boolean {
  return partition === null || unitIndex % partition.n === partition.k - 1;
}

export function partitionLabel(p: Partition | null): string | null {
  return p ? `${p.k}/${p.n}` : null;
}

/** `k/n` → its numbers (the writer's partition label, see partition.ts). */
export function labelPartition(label: string | null | undefined): { k: number; n: number } | null {
  const m = /^(\d+)\/(\d+)$/.exec(label ?? '');
  return m ? { k: Number(m[1]), n: Number(m[2]) } : null;
}

/** The store's partition record once this writer (partition label or null) joins it. */
export function joinPartitions(current: Manifest, label: string | null, storeDir: string): Partitions | null {
  const mine = labelPartition(label);
  const known = partitionProgress(current);
  if (!mine) return current.partitions ?? null;
  if (known && known.count !== mine.n) {
    throw new Error(
      `${storeDir} is collected in ${known.count} partitions (--partition K/${known.count}); ` +
        `--partition ${label} splits the input differently. Use K/${known.count}, or collect into a new store with --out`,
    );
  }
  return { count: mine.n, done: known?.done ?? [] };
}

/** A partition is done when its writer completes; a writer of the whole input completes them all. */
export function finishPartitions(
  current: Manifest,
  label: string | null,
  status: StoreStatus,
): Partitions | null {
  const p = partitionProgress(current);
  if (!p || status !== 'complete') return current.partitions ?? null;
  const mine = labelPartition(label);
  const all = Array.from({ length: p.count }, (_, i) => i + 1);
  return { count: p.count, done: mine ? [...new Set([...p.done, mine.k])].sort((a, b) => a - b) : all };
}
