// A store written by the collector's StoreWriter with what makes engines disagree if anything
// does: tied losses (steps of 0.25, within and across shards), NULL losses (failed and missing
// rows), NULL and tied parameter values, a negative-loss target, several shards.

import { openDuck } from '../../../electron/collector/duck.ts';
import { StoreWriter } from '../../../electron/collector/store-writer.ts';
import type { LossRow, ParamSpec } from '../../../shared/schema.ts';

export const TIES_TARGETS = ['t_a', 't_b', "t_c'q"] as const;
export const TIES_PARAMS: ParamSpec[] = [
  { name: 'x', type: 'DOUBLE' },
  { name: 'k', type: 'BIGINT' },
  { name: 'mode', type: 'VARCHAR' },
];

export async function writeTiesStore(dir: string, sets = 240, perShard = 50) {
  const duck = await openDuck({ memoryLimit: '256MB' });
  const writer = await StoreWriter.open({
    duck,
    storeDir: dir,
    writerId: 'ties',
    jobId: 'job-ties',
    source: { kind: 'demo', path: 'demo:ties' },
    params: TIES_PARAMS,
    targets: TIES_TARGETS.map((id) => ({ id, entrypoint: `t:${id}` })),
  });
  try {
    for (let start = 0; start < sets; start += perShard) {
      const rows: LossRow[] = [];
      for (let i = start; i < Math.min(sets, start + perShard); i++) {
        TIES_TARGETS.forEach((target, t) => {
          const failed = (i + t) % 11 === 3;
          const missing = !failed && (i * 7 + t) % 13 === 5;
          const sign = t === 2 ? -1 : 1;
          rows.push({
            job_id: 'job-ties',
            param_id: `p${String((i * 37) % sets).padStart(4, '0')}`,
            target,
            target_entrypoint: `t:${target}`,
            status: failed ? 'failed' : missing ? 'missing' : 'ok',
            loss: failed || missing ? null : sign * (((i * 13 + t * 5) % 17) / 4),
            n_replicates: failed || missing ? null : 4,
            seeds: [BigInt(i), 2n ** 63n + BigInt(i)],
            params: { x: i % 5 === 0 ? null : (i % 9) / 2, k: i % 4, mode: i % 3 === 0 ? null : `m${i % 2}` },
            diagnostics: null,
            diagnostics_truncated: false,
            error_type: failed ? 'ValueError' : null,
            error_message: failed ? `bad 'value' ${i}` : null,
            collected_at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
          });
        });
      }
      await writer.writeRows(rows, [`ties:${start}`]);
    }
    return await writer.finish('complete');
  } finally {
    writer.close();
    duck.close();
  }
}
