// Binds RowWindows to React: a new fetch key (filter, sort, columns) resets the cache; a data
// change (live shards) refreshes it in place.
import { useEffect, useReducer, useRef } from 'react';
import { type Row, RowWindows } from './row-windows.ts';

/** Fetch rows [offset, offset + limit); `total` (the row count) lets deep windows read from the end. */
export type GridFetcher = (
  offset: number,
  limit: number,
  total: number,
  signal?: AbortSignal,
) => Promise<Row[]>;

export function useGridWindows(
  fetchPage: GridFetcher,
  fetchKey: unknown,
  dataVersion: number,
  total: number,
  onError: (message: string) => void,
): { windows: RowWindows; tick: number } {
  const [tick, bump] = useReducer((n: number) => n + 1, 0);
  const errorRef = useRef(onError);
  errorRef.current = onError;
  const totalRef = useRef(total);
  totalRef.current = total;
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;
  const ref = useRef<RowWindows | null>(null);
  if (!ref.current) {
    ref.current = new RowWindows(bump, 100, 16, (e) =>
      errorRef.current(e instanceof Error ? e.message : String(e)),
    );
  }
  const windows = ref.current;

  // biome-ignore lint/correctness/useExhaustiveDependencies: fetchKey names what the fetcher depends on
  useEffect(() => {
    const fetcher = fetchRef.current;
    windows.reset((offset, limit, signal) => fetcher(offset, limit, totalRef.current, signal));
    bump();
  }, [windows, fetchKey]);

  const seen = useRef(dataVersion);
  useEffect(() => {
    if (seen.current === dataVersion) return;
    seen.current = dataVersion;
    windows.invalidate();
  }, [windows, dataVersion]);

  return { windows, tick };
}
