// Input keys of the form `<prefix><a>-<b>` name a half-open range [a, b) of rows or bytes of one
// input. A resumed run subtracts the ranges already committed (by any writer, with any batch size)
// from the ranges it plans, so nothing is written twice even when batch sizes changed.
export type Range = readonly [number, number];

export function rangeKey(prefix: string, a: number, b: number): string {
  return `${prefix}${a}-${b}`;
}

export function committedRanges(keys: Iterable<string>, prefix: string): Range[] {
  const out: [number, number][] = [];
  for (const key of keys) {
    if (!key.startsWith(prefix)) continue;
    const m = /^(\d+)-(\d+)$/.exec(key.slice(prefix.length));
    if (m) out.push([Number(m[1]), Number(m[2])]);
  }
  return out.sort((x, y) => x[0] - y[0]);
}

/** The parts of [a, b) not covered by `done` (sorted by start). */
export function uncovered(a: number, b: number, done: readonly Range[]): Range[] {
  const gaps: Range[] = [];
  let at = a;
  for (const [s, e] of done) {
    if (e <= at || s >= b) continue;
    if (s > at) gaps.push([at, Math.min(s, b)]);
    at = Math.max(at, e);
    if (at >= b) break;
  }
  if (at < b) gaps.push([at, b]);
  return gaps;
}

/** The end of the committed prefix starting at 0 (for inputs read sequentially, like NDJSON). */
export function committedPrefixEnd(done: readonly Range[]): number {
  let end = 0;
  for (const [s, e] of done) {
    if (s > end) break;
    end = Math.max(end, e);
  }
  return end;
}
