// The number of rows matching the filter, re-counted when the filter or the data changes. While a
// new count is on its way the previous one stays, so the scrollbar does not collapse.
import { useEffect, useState } from 'react';
import type { LossFilter } from '../../../shared/query-types.ts';
import type { LossQueries } from '../../db/queries.ts';

// A count is kept only for the store it was made for: after a switch nothing of the previous
// store's count is shown while the new one is on its way. `basis` (what the count was asked
// over, e.g. the view's manifest) comes back with the count it belongs to, so a total shown
// beside the count is never one it was not counted against.
export function useRowCount<B = undefined>(
  queries: LossQueries,
  filter: LossFilter,
  dataVersion: number,
  storeKey: string,
  basis?: B,
) {
  const [count, setCount] = useState<{ key: string; n: number; basis: B | undefined } | null>(null);
  const [error, setError] = useState<{ key: string; message: string } | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the basis rides along; it moves with dataVersion
  useEffect(() => {
    if (!storeKey) return; // no store open: there is no view to count
    let live = true;
    void dataVersion; // re-run when the shards behind the view change
    const asked = basis;
    queries
      .count(filter)
      .then((n) => {
        if (!live) return;
        setCount({ key: storeKey, n, basis: asked });
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
  const mine = count?.key === storeKey ? count : null;
  return {
    count: mine ? mine.n : null,
    basis: mine ? mine.basis : undefined,
    error: error?.key === storeKey ? error.message : null,
  };
}
