// The combined loss named on screen and in exports, e.g. "mean of 3 targets' losses".
import type { CombinedLoss } from '../../../shared/query-types.ts';
import { weightOf } from '../../db/combined-sql.ts';
import { formatNumber } from '../table/format.ts';

export const METHOD_LABELS = {
  mean: 'Mean of losses',
  'mean-rank': 'Mean of ranks',
  weighted: 'Weighted sum',
} as const;

export const METHOD_SHORT = { mean: 'mean', 'mean-rank': 'mean rank', weighted: 'weighted' } as const;

export function describeCombined(c: CombinedLoss, active: readonly string[]): string {
  if (!active.length) return 'no target to combine';
  const n = `${active.length} target${active.length === 1 ? '' : 's'}`;
  if (c.method === 'mean') return `mean of the losses of ${n} (modelops' multi-target loss)`;
  if (c.method === 'mean-rank') return `mean of the per-target ranks over ${n}`;
  return `weighted sum: ${active.map((t) => `${formatNumber(weightOf(c, t))} × ${t}`).join(' + ')}`;
}
