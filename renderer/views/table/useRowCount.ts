// The number of rows matching the filter, re-counted when the filter or the data changes. While a
// new count is on its way the previous one stays, so the scrollbar does not collapse.
import { useEffect, useState } from 'react';
import type { LossFilter } from '../../../shared/query-types.ts';
import type { LossQueries } from '../../db/queries.ts';

// A count is kept only for the store it was made for: after a switch nothing of the previous
// store's count is shown while the new one is on its way.
export function useRowCount(queries: LossQueries, filter: LossFilter, dataVersion: number, storeKey: string) {
  const [count, setCount] = useState<{ key: string; n: number } | null>(null);
  const [error, setError] = useState<{ key: string; message: string } | null>(null);
  useEffect(() => {
    if (!storeKey) return; // no store open: there is no view to count
    let live = true;
    void dataVersion; // re-run when the shards behind the view change
    queries
      .count(filter)
      .then((n) => {
        if (!live) return;
        setCount({ key: storeKey, n });
        setError(null);
      })
      .catch(
        (e: unknown) =>
          live && setError({ key: storeKey, message: e instanceof Error ? e.message : String(e) }),
      );
    return () => {
      live = false;
    };
  }, [queries, filter, dataVersion, storeKey]);
  return {
    count: count?.key === storeKey ? count.n : null,
    error: error?.key === storeKey ? error.message : null,
  };
}
