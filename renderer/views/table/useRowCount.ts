// The number of rows matching the filter, re-counted when the filter or the data changes. While a
// new count is on its way the previous one stays, so the scrollbar does not collapse.
import { useEffect, useState } from 'react';
import type { LossFilter } from '../../../shared/query-types.ts';
import type { LossQueries } from '../../db/queries.ts';

export function useRowCount(queries: LossQueries, filter: LossFilter, dataVersion: number) {
  const [count, setCount] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void dataVersion; // re-run when the shards behind the view change
    queries
      .count(filter)
      .then((n) => {
        if (!live) return;
        setCount(n);
        setError(null);
      })
      .catch((e: unknown) => live && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      live = false;
    };
  }, [queries, filter, dataVersion]);
  return { count, error };
}
