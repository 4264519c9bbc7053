// Binds RowWindows to React and to the query module: a new filter, sort or column set resets the
// cache; a data change (live shards) refreshes it in place.
import { useEffect, useReducer, useRef } from 'react';
import type { LossFilter, LossSortState } from '../../../shared/query-types.ts';
import type { LossQueries } from '../../db/queries.ts';
import { RowWindows } from './row-windows.ts';

export function useRowWindows(
  queries: LossQueries,
  columns: readonly string[],
  filter: LossFilter,
  sort: LossSortState,
  dataVersion: number,
  total: number,
  onError: (message: string) => void,
): { windows: RowWindows; tick: number } {
  const [tick, bump] = useReducer((n: number) => n + 1, 0);
  const errorRef = useRef(onError);
  errorRef.current = onError;
  // Read at fetch time: lets deep windows be read from the end (see selectWindow).
  const totalRef = useRef(total);
  totalRef.current = total;
  const ref = useRef<RowWindows | null>(null);
  if (!ref.current) {
    ref.current = new RowWindows(bump, 100, 16, (e) =>
      errorRef.current(e instanceof Error ? e.message : String(e)),
    );
  }
  const windows = ref.current;

  useEffect(() => {
    windows.reset((offset, limit) =>
      queries.rowWindow(columns, filter, sort, offset, limit, totalRef.current),
    );
    bump();
  }, [windows, queries, columns, filter, sort]);

  const seen = useRef(dataVersion);
  useEffect(() => {
    if (seen.current === dataVersion) return;
    seen.current = dataVersion;
    windows.invalidate();
  }, [windows, dataVersion]);

  return { windows, tick };
}
