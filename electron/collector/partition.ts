// Deterministic split of a source's units (files, row ranges) over N writers: unit i belongs to
// partition (i mod N) + 1. Every writer enumerates units in the same order, so the split needs no
// coordination between processes or machines.
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
