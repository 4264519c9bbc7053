// The DuckDB temp tables of the provenance source, in one place so that the modules that fill
// them and the ones that read them agree (and provenance-rows.ts can drop them all).
export const PROV_TABLES = {
  /** One row per sim: task keys (provenance-keys.ts), set_no, seed. */
  sims: 'prov_sims',
  /** One row per run of consecutive sims of one parameter set: set_no, param_id, vals. */
  sets: 'prov_sets',
  /** Every agg_* directory: ti (target index), bucket, name (provenance-layout.ts). */
  layout: 'prov_layout',
  /** The same, as listed, before sorting. */
  layoutRaw: 'prov_layout_raw',
  /** The targets of the layout: ti, target, target_entrypoint, target_dir. */
  targets: 'prov_targets',
  /** The batch's aggregations as read, one row each (provenance-batch.ts). */
  aggs: 'prov_aggs',
  /** Input task ids staged since the last join: never more than one join's worth. */
  inputs: 'prov_inputs',
  /** Per aggregation of the batch: its set, seeds, and first bad input (provenance-join.ts). */
  joined: 'prov_joined',
  /** The first read of each (param_id, target) of the batch (provenance-rows.ts). */
  firsts: 'prov_firsts',
  /** The batch's store rows, in store column order (provenance-rows.ts). */
  rows: 'prov_rows',
} as const;
