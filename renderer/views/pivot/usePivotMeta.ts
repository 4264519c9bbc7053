// The pivot's row count (parameter sets under the filter) and per-target deciles, re-read when
// the filter or the data changes.
import { useEffect, useState } from 'react';
import type { LossFilter } from '../../../shared/query-types.ts';
import type { PivotLayout } from '../../db/analysis.ts';
import type { PivotQueries } from '../../db/pivot-queries.ts';

export function usePivotMeta(
  q: PivotQueries,
  layout: PivotLayout,
  filter: LossFilter,
  dataVersion: number,
  onError: (m: string) => void,
) {
  const [count, setCount] = useState<number | null>(null);
  const [deciles, setDeciles] = useState<ReadonlyMap<string, readonly number[]>>(new Map());
  useEffect(() => {
    let live = true;
    void dataVersion;
    (async () => {
      const n = await q.count(layout, filter);
      if (live) setCount(n);
      const d = await q.deciles(layout, filter);
      if (live) setDeciles(d);
    })().catch((e: unknown) => live && onError(`Pivot: ${e instanceof Error ? e.message : String(e)}`));
    return () => {
      live = false;
    };
  }, [q, layout, filter, dataVersion, onError]);
  return { count, deciles };
}
