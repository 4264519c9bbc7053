// "Copy as JSON": the best sets' parameters, ready to seed a next calibration round, with what
// they were ranked by and under which filter.
import type { Manifest } from '../../../shared/manifest.ts';
import type { LossFilter } from '../../../shared/query-types.ts';
import { paramColumn } from '../../../shared/schema.ts';
import type { Plain } from '../../db/arrow-rows.ts';

export function bestJson(
  manifest: Manifest,
  rows: readonly Plain[],
  rankedBy: string,
  filter: LossFilter,
): string {
  const sets = rows.map((r) => ({
    param_id: String(r.param_id),
    rank: r.rank,
    ...(r.combined !== undefined ? { combined_loss: r.combined } : { loss: r.loss }),
    params: Object.fromEntries(manifest.params.map((p) => [p.name, r[paramColumn(p.name)] ?? null])),
  }));
  const doc = { job_id: manifest.job_id, ranked_by: rankedBy, filter, n: sets.length, parameter_sets: sets };
  return JSON.stringify(doc, (_k, v) => (typeof v === 'bigint' ? Number(v) : v), 2);
}
