// The combined loss of a parameter set over several targets, as SQL over a per-parameter-set
// relation with one column per target (its ok loss) and `mean_rank`: the mean of the active
// targets' losses (modelops' multi-target loss), the mean of their per-target ranks, or
// Σ weight × loss. A set missing any active target has no combined loss. The Pivot and Best views
// and the host's best-N export use these same definitions.
import { int } from './filter-sql.ts';
import type { CombinedLoss, LossFilter } from './query-types.ts';
import { ident, literal } from './sql.ts';

export const weightOf = (c: CombinedLoss, target: string) => c.weights[target] ?? 1;

/** The targets the combined loss reads, in store order: the filter's, else all; weighted: non-zero. */
export function activeTargets(targets: readonly string[], filter: LossFilter, combined: CombinedLoss) {
  const inFilter = filter.targets?.length ? targets.filter((t) => filter.targets?.includes(t)) : targets;
  return combined.method === 'weighted' ? inFilter.filter((t) => weightOf(combined, t) !== 0) : inFilter;
}

const dbl = (x: number) => `${literal(x)}::DOUBLE`;

/** The combined loss of one per-parameter-set row, NULL unless every active target has an ok loss. */
export function combinedExpr(active: readonly string[], combined: CombinedLoss): string {
  if (!active.length) return 'NULL::DOUBLE';
  if (combined.method === 'mean-rank')
    return `CASE WHEN ${active.map((t) => `${ident(t)} IS NOT NULL`).join(' AND ')} THEN mean_rank END`;
  if (combined.method === 'weighted')
    return `(${active.map((t) => `${dbl(weightOf(combined, t))} * ${ident(t)}`).join(' + ')})`;
  return `((${active.map(ident).join(' + ')}) / ${int(active.length)})`;
}

/** How a combined loss is written in provenance: `mean`, `mean-rank`, `weighted(a=2, b=1)`. */
export function describeCombined(combined: CombinedLoss, active: readonly string[]): string {
  if (combined.method !== 'weighted') return combined.method;
  return `weighted(${active.map((t) => `${t}=${weightOf(combined, t)}`).join(', ')})`;
}
