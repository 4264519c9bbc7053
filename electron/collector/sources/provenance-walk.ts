// Reading a provenance store's many small files in a fixed order without waiting on each one in
// turn: a sims tree holds one directory and two files per simulation, and awaiting every readdir
// and readFile sequentially left the collector idle on the file system most of the time. Order
// is kept (depth first, names sorted) so that the sims of one parameter set arrive together and
// a run is reproducible; what is read ahead is bounded, so memory does not grow with the store.
import type { Dirent } from 'node:fs';
import { promises as fs } from 'node:fs';
import path from 'node:path';

/** Sibling directories whose listings are requested before the walk reaches them. */
const LIST_AHEAD = 16;

type Listing = { entries: Dirent[] } | { error: unknown };

/** Never rejects: a listing started ahead may fail before anyone awaits it. */
async function list(dir: string): Promise<Listing> {
  try {
    const entries = await fs.readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return { entries: entries.filter((e) => !e.name.startsWith('.')) };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [] };
    return { error: e };
  }
}

/** Every `name` file under dir, depth first, in sorted order, without listing the tree at once. */
export async function* walkFiles(
  dir: string,
  name: string,
  listing: Promise<Listing> = list(dir),
): AsyncGenerator<string> {
  const l = await listing;
  if ('error' in l) throw l.error;
  const { entries } = l;
  const ahead = new Map<number, Promise<Listing>>();
  for (let i = 0; i < entries.length; i++) {
    for (let j = i; j < Math.min(entries.length, i + LIST_AHEAD); j++) {
      if (entries[j]!.isDirectory() && !ahead.has(j)) ahead.set(j, list(path.join(dir, entries[j]!.name)));
    }
    const e = entries[i]!;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      const sub = ahead.get(i)!;
      ahead.delete(i);
      yield* walkFiles(p, name, sub);
    } else if (e.isFile() && e.name === name) yield p;
  }
}

/**
 * `fn` over `items` with up to `n` calls in flight, results in input order. A call that fails
 * fails the iteration when its turn comes (its rejection is marked handled until then).
 */
export async function* mapAhead<T, R>(
  items: AsyncIterable<T>,
  n: number,
  fn: (item: T) => Promise<R>,
): AsyncGenerator<R> {
  const queue: Promise<R>[] = [];
  for await (const item of items) {
    const p = fn(item);
    p.catch(() => {});
    queue.push(p);
    if (queue.length >= n) yield await queue.shift()!;
  }
  while (queue.length > 0) yield await queue.shift()!;
}
