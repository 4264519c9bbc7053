// A provenance store as modelops workers leave it: sims under token/v1/sims/<bundle>/<entrypoint>/
// params_<pid8>/seed_<seed>/{metadata.json (param_id, params, seed), result.json (task_id)} as
// modelops' ProvenanceStore.put_sim writes them (a set chosen by `taskIdInMetadata` carries its
// task id in metadata.json instead, the fallback; `params` and `taskId` replace the parameter
// values and task ids), and aggregations under
// token/v1/aggs/<bundle>/target_<entrypoint, / → _>/agg_<id>/{metadata,result}.json.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ParamValue } from '../../../shared/schema.ts';

export const PROV_BUNDLE = '3f9a0c21be77';
export const PROV_TARGETS = [
  'targets/incidence:incidence_mean_signal_target',
  'targets/hospital:hospitalization_loglik',
];

export function provParamId(i: number): string {
  return createHash('sha256').update(`set-${i}`).digest('hex');
}

export function provTaskId(i: number, r: number): string {
  return createHash('sha256').update(`task-${i}-${r}`).digest('hex');
}

function aggId(i: number, target: string): string {
  return createHash('sha256').update(`agg-${i}-${target}`).digest('hex').slice(0, 24);
}

async function writeJson(file: string, value: unknown): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, JSON.stringify(value));
}

export interface ProvFixture {
  root: string;
  aggDir(i: number, target: string): string;
}

/** `sets` parameter sets × `replicates` sims; one aggregation per set and target. */
export async function writeProvenanceFixture(
  root: string,
  opts: {
    sets: number;
    replicates?: number;
    from?: number;
    failedSet?: number;
    taskIdInMetadata?: number;
    params?: (i: number) => Record<string, ParamValue>;
    /** Task ids other than provTaskId's 64-hex digests. */
    taskId?: (i: number, r: number) => string;
  },
): Promise<ProvFixture> {
  const replicates = opts.replicates ?? 2;
  const taskId = opts.taskId ?? provTaskId;
  const token = path.join(root, 'token', 'v1');
  const aggDir = (i: number, target: string) =>
    path.join(token, 'aggs', PROV_BUNDLE, `target_${target.replaceAll('/', '_')}`, `agg_${aggId(i, target)}`);
  for (let i = opts.from ?? 0; i < opts.sets; i++) {
    const pid = provParamId(i);
    const params = opts.params?.(i) ?? {
      beta: 0.25 + i / 100,
      population: 1000 + i,
      scenario: i % 3 === 0 ? "mask 'strict'" : 'base',
    };
    for (let r = 0; r < replicates; r++) {
      const simDir = path.join(
        token,
        'sims',
        PROV_BUNDLE,
        'models.sir_baseline',
        `params_${pid.slice(0, 8)}`,
        `seed_${100 + r}`,
      );
      const inMetadata = i === opts.taskIdInMetadata;
      await writeJson(path.join(simDir, 'metadata.json'), {
        bundle_ref: `sha256:${PROV_BUNDLE}`,
        entrypoint: 'models.sir/baseline',
        params,
        seed: 100 + r,
        outputs: null,
        param_id: pid,
        timestamp: '2026-01-15T10:00:00+00:00',
        ...(inMetadata ? { task_id: taskId(i, r) } : {}),
      });
      await writeJson(path.join(simDir, 'result.json'), {
        ...(inMetadata ? {} : { task_id: taskId(i, r) }),
        outputs: {},
      });
    }
    for (const target of PROV_TARGETS) {
      const dir = aggDir(i, target);
      const inputs = Array.from({ length: replicates }, (_, r) => ({
        type: 'sim',
        task_id: taskId(i, r),
      }));
      // metadata.json's param_id is a task-id prefix on the platform: deliberately misleading here.
      await writeJson(path.join(dir, 'metadata.json'), {
        aggregation_id: aggId(i, target),
        param_id: taskId(i, 0).slice(0, 16),
      });
      const loglik = target.endsWith('loglik');
      await writeJson(
        path.join(dir, 'result.json'),
        i === opts.failedSet && loglik
          ? {
              aggregation_id: aggId(i, target),
              error: { type: 'KeyError', message: "Required output 'incidence' missing" },
              inputs,
            }
          : {
              aggregation_id: aggId(i, target),
              loss: loglik ? -50 - i : 5 + i,
              diagnostics: { target_type: 'mean_signal', n_sim_returns: replicates },
              n_replicates: replicates,
              outputs: {},
              inputs,
            },
      );
    }
  }
  return { root, aggDir };
}
