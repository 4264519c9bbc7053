// The best N sets for the chosen ranking, and every parameter's range over the filtered sets.
// A newer request supersedes an older one (weights typed quickly re-rank only once they settle).
import { useEffect, useState } from 'react';
import type { CombinedLoss, LossFilter } from '../../../shared/query-types.ts';
import type { PivotLayout } from '../../db/analysis.ts';
import type { Plain } from '../../db/arrow-rows.ts';
import type { ParamRange, PivotQueries } from '../../db/pivot-queries.ts';

export function useBest(
  q: PivotQueries,
  layout: PivotLayout,
  filter: LossFilter,
  combined: CombinedLoss,
  rankBy: string,
  n: number,
  dataVersion: number,
  onError: (m: string) => void,
) {
  const [rows, setRows] = useState<Plain[] | null>(null);
  const [full, setFull] = useState<ParamRange[]>([]);
  useEffect(() => {
    let live = true;
    void dataVersion;
    const best =
      rankBy === 'combined'
        ? q.bestCombined(layout, filter, combined, n)
        : q.bestOfTarget(layout, filter, rankBy, n);
    best
      .then((r) => {
        if (!live) return;
        setRows(r);
        performance.mark('losslens:best-ranked');
      })
      .catch((e: unknown) => live && onError(`Best: ${e instanceof Error ? e.message : String(e)}`));
    return () => {
      live = false;
    };
  }, [q, layout, filter, combined, rankBy, n, dataVersion, onError]);
  useEffect(() => {
    let live = true;
    void dataVersion;
    q.paramRanges(layout, filter)
      .then((f) => live && setFull(f))
      .catch((e: unknown) => live && onError(`Best: ${e instanceof Error ? e.message : String(e)}`));
    return () => {
      live = false;
    };
  }, [q, layout, filter, dataVersion, onError]);
  return { rows, full };
}
