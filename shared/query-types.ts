// What a view asks of the loss table: which rows (filter) in which order (sort). The renderer turns
// these into SQL for DuckDB-WASM; an exporter on the host can turn the same state into the same
// WHERE clause, so "export what I see" means exactly that. Kept in the URL query string.
import type { RowStatus } from './schema.ts';

export interface LossFilter {
  /** Only these targets (short ids); empty or absent = all. */
  targets?: readonly string[];
  /** Only these row statuses; empty or absent = all. */
  statuses?: readonly RowStatus[];
  /** The user's own SQL boolean expression over store columns, validated before use. */
  where?: string;
  /** Per target: keep rows of that target whose loss is in range (brushed on a histogram). */
  lossRanges?: Readonly<Record<string, Range>>;
  /** Per parameter column (`param_beta`): keep parameter sets whose value is in range. */
  paramRanges?: Readonly<Record<string, Range>>;
}

export interface LossSort {
  /** A store column name, e.g. `loss` or `param_beta`. */
  column: string;
  desc: boolean;
}

/** `null` = the default order: per target, best loss first, failed and missing rows last. */
export type LossSortState = LossSort | null;

/** A closed numeric range [min, max] brushed on a chart; either end may be open (null). */
export type Range = readonly [number | null, number | null];

/** How per-target losses combine into one: modelops' mean, mean of ranks, or a weighted sum. */
export type CombinedMethod = 'mean' | 'mean-rank' | 'weighted';
export const COMBINED_METHODS: readonly CombinedMethod[] = ['mean', 'mean-rank', 'weighted'];
export interface CombinedLoss {
  method: CombinedMethod;
  /** Per target id; a target absent here weighs 1. Used when method is 'weighted'. */
  weights: Readonly<Record<string, number>>;
}
