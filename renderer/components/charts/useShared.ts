// Keeps an answer's unchanged items as the same objects as the previous answer's, so memoised
// charts whose data did not change skip their re-render (a brush re-counts every histogram, but
// only the others' counts move).
import { useRef } from 'react';

export function useShared<T>(next: readonly T[] | undefined): readonly T[] {
  const prev = useRef<{ items: readonly T[]; keys: string[] }>({ items: [], keys: [] });
  if (!next) return [];
  if (next === prev.current.items) return next;
  const keys = next.map((x) => JSON.stringify(x));
  const items = next.map((x, i) => {
    const j = prev.current.keys.indexOf(keys[i]!);
    return j >= 0 ? prev.current.items[j]! : x;
  });
  prev.current = { items, keys };
  return items;
}
