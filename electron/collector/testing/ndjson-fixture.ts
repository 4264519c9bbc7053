// NDJSON records as a running job's runner writes them (one per completed aggregation).
export function ndjsonRecord(i: number, target: string): Record<string, unknown> {
  const failed = i % 7 === 6 && target.endsWith('loglik');
  return {
    job_id: 'job-stream',
    param_id: `${i.toString(16).padStart(8, '0')}${'ab'.repeat(28)}`,
    target,
    params: {
      beta: 0.25 + i / 1000,
      population: 1000 + i,
      seasonal: i % 2 === 0,
      scenario: i % 3 ? 'base' : "mask 'strict'",
    },
    ...(failed
      ? { error: { type: 'KeyError', message: `Required output 'incidence' missing in replicates [${i}]` } }
      : { loss: target.endsWith('loglik') ? -100 - i : 5 + i }),
    n_replicates: 3,
    seeds: [i * 10, i * 10 + 1, i * 10 + 2],
    diagnostics: {
      target_type: 'mean_signal',
      n_sim_returns: 3,
      ...(i === 1 ? { big: 'x'.repeat(70_000) } : {}),
    },
  };
}

export function ndjsonLines(from: number, to: number, targets: readonly string[]): string {
  let out = '';
  for (let i = from; i < to; i++) for (const t of targets) out += `${JSON.stringify(ndjsonRecord(i, t))}\n`;
  return out;
}
