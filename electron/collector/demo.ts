// `losslens demo`: writes a synthetic job straight into a loss store through the store writer.
import { capDiagnostics, type LossRow } from '../../shared/schema.ts';
import { DEMO_PARAMS, DEMO_TARGETS, demoJobId, demoOutcome, demoParamSet } from './demo-model.ts';
import { openDuck } from './duck.ts';
import { StoreWriter } from './store-writer.ts';

export interface DemoOptions {
  out: string;
  params: number;
  targets: number;
  seed: number;
  failRate: number;
  replicates?: number;
  /** Parameter sets per shard. */
  setsPerShard?: number;
  onProgress?: (rows: number, total: number) => void;
}

export async function writeDemoStore(opts: DemoOptions) {
  if (!Number.isInteger(opts.params) || opts.params < 1)
    throw new Error('--params must be a positive integer');
  if (!Number.isInteger(opts.targets) || opts.targets < 1 || opts.targets > DEMO_TARGETS.length) {
    throw new Error(`--targets must be 1 to ${DEMO_TARGETS.length}`);
  }
  if (!(opts.failRate >= 0 && opts.failRate <= 1)) throw new Error('--fail-rate must be between 0 and 1');
  const targets = DEMO_TARGETS.slice(0, opts.targets);
  const jobId = demoJobId(opts.seed);
  // The demo stages ~200k rows per shard in memory (few, large shards open fastest in the app);
  // it is a generator, not the memory-bounded collector, so it gets a larger DuckDB budget.
  const duck = await openDuck({ memoryLimit: '1GB' });
  const writer = await StoreWriter.open({
    duck,
    storeDir: opts.out,
    writerId: 'demo',
    jobId,
    source: { kind: 'demo', path: `demo:seed=${opts.seed}` },
    params: DEMO_PARAMS,
    targets,
  });
  const replicates = opts.replicates ?? 10;
  const perShard = opts.setsPerShard ?? Math.max(1, Math.floor(200_000 / opts.targets));
  const total = opts.params * opts.targets;
  try {
    for (let start = 0; start < opts.params; start += perShard) {
      const inputKey = `demo:${opts.seed}:${start}`;
      if (writer.committedInputs.has(inputKey)) continue;
      const end = Math.min(opts.params, start + perShard);
      const collectedAt = new Date();
      const rows: LossRow[] = [];
      for (let i = start; i < end; i++) {
        const set = demoParamSet(opts.seed, i, replicates);
        targets.forEach((t, ti) => {
          const out = demoOutcome(opts.seed, i, ti, set, opts.failRate);
          const diag = capDiagnostics(JSON.stringify(out.diagnostics));
          rows.push({
            job_id: jobId,
            param_id: set.paramId,
            target: t.id,
            target_entrypoint: t.entrypoint,
            status: out.error ? 'failed' : 'ok',
            loss: out.loss,
            n_replicates: out.error ? null : replicates,
            seeds: set.seeds,
            params: set.values,
            diagnostics: diag.text,
            diagnostics_truncated: diag.truncated,
            error_type: out.error?.type ?? null,
            error_message: out.error?.message ?? null,
            collected_at: collectedAt,
          });
        });
      }
      await writer.writeRows(rows, [inputKey]);
      opts.onProgress?.(end * opts.targets, total);
    }
    return await writer.finish('complete');
  } catch (e) {
    await writer.finish('failed', (e as Error).message).catch(() => {});
    throw e;
  } finally {
    writer.close();
    duck.close();
  }
}
