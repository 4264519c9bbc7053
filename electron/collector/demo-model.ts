// A synthetic job shaped like a real modelops study (MODELOPS-FORMATS §5): mixed-type parameters,
// quadratic-bowl losses around a hidden optimum with noise, a likelihood-style target with
// negative losses, scattered failures with realistic errors. Pure functions of (seed, index).
import { createHash } from 'node:crypto';
import type { ParamSpec, ParamValue } from '../../shared/schema.ts';

export const DEMO_PARAMS: ParamSpec[] = [
  { name: 'beta', type: 'DOUBLE' },
  { name: 'gamma', type: 'DOUBLE' },
  { name: 'incubation_days', type: 'DOUBLE' },
  { name: 'reporting_rate', type: 'DOUBLE' },
  { name: 'population', type: 'BIGINT' },
  { name: 'seasonal', type: 'BOOLEAN' },
  { name: 'scenario', type: 'VARCHAR' },
];

export const DEMO_TARGETS = [
  { id: 'incidence_mean_signal_target', entrypoint: 'targets.incidence:incidence_mean_signal_target' },
  { id: 'prevalence_target', entrypoint: 'targets.prevalence:prevalence_target' },
  { id: 'hospitalization_loglik', entrypoint: 'targets.hospital:hospitalization_loglik' },
] as const;

// A scenario with a quote in it keeps every quoting path honest.
const SCENARIOS = ['baseline', 'school_closure', "mask_mandate 'strict'", 'vaccination_campaign'];

/** Deterministic PRNG (mulberry32): same seed, same job. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(next: () => number): number {
  const u = Math.max(next(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
}

export interface DemoParamSet {
  paramId: string;
  values: Record<string, ParamValue>;
  /** Normalized distance² from the hidden optimum, 0 at the optimum. */
  bowl: number;
  seeds: bigint[];
}

export function demoJobId(seed: number): string {
  return `job-${createHash('sha256').update(`losslens-demo-job|${seed}`).digest('hex').slice(0, 8)}`;
}

export function demoParamSet(seed: number, index: number, replicates: number): DemoParamSet {
  const next = rng(seed * 1_000_003 + index * 7919 + 17);
  const beta = 0.05 + next() * 0.75;
  const gamma = 0.05 + next() * 0.45;
  const incubation = 2 + next() * 10;
  const reporting = 0.1 + next() * 0.9;
  const population = BigInt(Math.round(10 ** (4 + next() * 2.5)));
  const seasonal = next() < 0.5;
  const scenario = SCENARIOS[Math.floor(next() * SCENARIOS.length)]!;
  // Hidden optimum: beta 0.42, gamma 0.2, incubation 5.5, reporting 0.6, seasonal, school_closure.
  const bowl =
    ((beta - 0.42) / 0.75) ** 2 * 4 +
    ((gamma - 0.2) / 0.45) ** 2 * 3 +
    ((incubation - 5.5) / 10) ** 2 * 2 +
    ((reporting - 0.6) / 0.9) ** 2 +
    (seasonal ? 0 : 0.08) +
    (scenario === 'school_closure' ? 0 : 0.05);
  const seeds = Array.from({ length: replicates }, () => BigInt(Math.floor(next() * 2 ** 32)) * 4096n);
  const paramId = createHash('sha256').update(`contracts:param:v1|demo|${seed}|${index}`).digest('hex');
  return {
    paramId,
    values: {
      beta,
      gamma,
      incubation_days: incubation,
      reporting_rate: reporting,
      population,
      seasonal,
      scenario,
    },
    bowl,
    seeds,
  };
}

export interface DemoOutcome {
  loss: number | null;
  error: { type: string; message: string } | null;
  diagnostics: Record<string, unknown>;
}

/** The loss (or failure) of one parameter set under one target. */
export function demoOutcome(
  seed: number,
  index: number,
  targetIndex: number,
  set: DemoParamSet,
  failRate: number,
): DemoOutcome {
  const next = rng(seed * 31 + index * 131 + targetIndex * 977_123 + 5);
  const target = DEMO_TARGETS[targetIndex]!;
  const diagnostics: Record<string, unknown> = {
    target_type: targetIndex === 2 ? 'likelihood' : 'mean_signal',
    model_output: ['incidence', 'prevalence', 'hospitalizations'][targetIndex],
    n_sim_returns: set.seeds.length,
    target_name: target.id,
    weight: 1,
  };
  const big = set.values.population as bigint;
  if (next() < failRate || (big > 2_500_000n && next() < failRate * 5)) {
    const kind = next();
    const error =
      big > 2_500_000n && kind < 0.5
        ? { type: 'MemoryError', message: `Unable to allocate 3.1 GiB for population ${big}` }
        : kind < 0.6
          ? {
              type: 'KeyError',
              message: `Required output '${diagnostics.model_output}' missing in replicates [${Math.floor(next() * set.seeds.length)}, ${Math.floor(next() * set.seeds.length)}]`,
            }
          : { type: 'RuntimeError', message: 'Simulation diverged: negative compartment size at t=112' };
    return { loss: null, error, diagnostics };
  }
  const noise = gaussian(next);
  const scale = [900, 400, 250][targetIndex]!;
  const base = 5 + scale * set.bowl * (1 + 0.08 * noise) + Math.abs(noise) * 2;
  const loss = targetIndex === 2 ? -(1500 - base) : base;
  if (next() < 0.02) {
    diagnostics.replicate_losses = set.seeds.map(() => loss * (1 + 0.1 * gaussian(next)));
  }
  if (next() < 0.0005) {
    // Rare legacy diagnostics dump, bigger than the 64 KiB cap.
    diagnostics.legacy_trace = Array.from({ length: 9000 }, (_, i) => Math.round(loss * 1000 + i));
  }
  return { loss, error: null, diagnostics };
}
