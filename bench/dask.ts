// Collecting a Dask study (integrations/dask): 10k and 100k aggregations from a LocalCluster (2
// worker processes, its own process) into a store through collect_target_losses_streaming, beside
// the note's naive `client.gather` of every future and beside the cluster's own throughput (the
// same tasks, waited for, nothing fetched). Each client is a fresh process: its peak RSS is its own.
// `--dask-max N` sets the large size (default 100k); the small one is N/10.
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { readManifest } from '../electron/store/manifest-io.ts';
import { median } from './stats.ts';
import type { BenchRow } from './table.ts';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PYTHON = '/usr/bin/python3';
const env = {
  ...process.env,
  LOSSLENS_BIN: path.join(REPO, 'bin/losslens.mjs'),
  DASK_LOGGING__DISTRIBUTED: 'critical',
};

interface ClientRun {
  n: number;
  seconds: number;
  records_per_s: number;
  rss_after_submit_mb: number;
  peak_rss_mb: number;
  collector_peak_rss_mb: number;
  client_cpu_s: number;
  collector_cpu_s: number;
}

function runClient(address: string, mode: string, n: number, store: string): Promise<ClientRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [path.join(REPO, 'bench/dask/client.py'), address, mode, String(n), store], {
      env,
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('close', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code === 0 && last.startsWith('{')) resolve(JSON.parse(last) as ClientRun);
      else reject(new Error(`dask bench client ${mode} ${n} exited ${code}: ${err.slice(-2000)}`));
    });
  });
}

// `--dask-runs N` (default 1) repeats every client run N times, interleaved; each figure is then
// the median with its min–max, else it is labelled a single sample.
function daskRuns(): number {
  const i = process.argv.indexOf('--dask-runs');
  const n = i > 0 ? Number(process.argv[i + 1]) : 1;
  return Number.isInteger(n) && n >= 1 ? n : 1;
}

export async function benchDask(workDir: string, maxN: number): Promise<BenchRow[]> {
  const runs = daskRuns();
  const cluster = spawn(PYTHON, [path.join(REPO, 'bench/dask/cluster.py')], {
    env,
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  try {
    const address = await new Promise<string>((resolve, reject) => {
      createInterface({ input: cluster.stdout! }).once('line', resolve);
      cluster.once('exit', (c) => reject(new Error(`dask bench cluster exited ${c}`)));
    });
    const small = Math.max(1, Math.round(maxN / 10));
    const run = async (mode: string, n: number) => {
      const store = path.join(workDir, `dask-${mode}-${n}`);
      await fs.rm(store, { recursive: true, force: true });
      const r = await runClient(address, mode, n, store);
      if (mode === 'stream' || mode === 'lazy') {
        const rows = (await readManifest(store)).counts.rows;
        if (rows !== n) throw new Error(`dask bench: ${store} holds ${rows} rows, expected ${n}`);
      }
      await fs.rm(store, { recursive: true, force: true });
      return r;
    };
    const plan: [string, number][] = [
      ['compute', maxN],
      ['compute-lazy', maxN],
      ['stream', small],
      ['stream', maxN],
      ['lazy', small],
      ['lazy', maxN],
      ['gather', small],
      ['gather', maxN],
    ];
    const got = new Map<string, ClientRun[]>();
    const loads: number[] = [];
    // Every other round runs the plan backwards: a cluster that drifts over a round (its rate moved
    // 368 → 653 records/s between runs on two shared cores) then biases no mode against another.
    for (let i = 0; i < runs; i++) {
      for (const [mode, n] of i % 2 ? [...plan].reverse() : plan) {
        const r = await run(mode, n);
        got.set(`${mode} ${n}`, [...(got.get(`${mode} ${n}`) ?? []), r]);
        loads.push(os.loadavg()[0]!);
      }
    }
    const fig = (mode: string, n: number, field: keyof ClientRun) =>
      median(got.get(`${mode} ${n}`)!.map((r) => r[field]));
    const spread = (mode: string, n: number, field: keyof ClientRun, digits = 0) => {
      const xs = got.get(`${mode} ${n}`)!.map((r) => r[field]);
      return runs === 1
        ? 'single sample'
        : `median of ${runs}, ${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)}`;
    };
    const peak = (mode: string, n: number) => fig(mode, n, 'peak_rss_mb');
    const k = (n: number) => `${n / 1000}k`;
    const rssRow = (mode: string, label: string, n: number): BenchRow => ({
      name: `client peak RSS, ${label} ${k(n)}`,
      value: peak(mode, n),
      unit: 'MB',
      baseline: peak('gather', n),
      baselineName: 'naive gather',
      note: spread(mode, n, 'peak_rss_mb'),
    });
    const growth = (mode: string, label: string, target?: boolean): BenchRow => {
      const ratio = peak(mode, maxN) / peak(mode, small);
      return {
        name: `client peak RSS, ${label} ${k(small)} → ${k(maxN)}`,
        value: peak(mode, maxN),
        unit: 'MB',
        baseline: peak(mode, small),
        baselineName: k(small),
        ...(target ? { target: 'ratio ≤ 1.2', met: ratio <= 1.2 } : {}),
        note: runs === 1 ? 'single samples' : `medians of ${runs}`,
      };
    };
    const load = `load avg ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} on ${os.cpus().length} cores`;
    // Each collection beside the cluster running the same tasks submitted the same way: a list
    // from client.map, or a generator's one submit per task (which alone costs the client time).
    const rate = (mode: string, label: string, alone: string, aloneLabel: string): BenchRow => {
      const v = fig(mode, maxN, 'records_per_s');
      const base = fig(alone, maxN, 'records_per_s');
      return {
        name: `${label} throughput, ${k(maxN)}`,
        value: v,
        unit: 'records/s',
        baseline: base,
        baselineName: `cluster alone, ${aloneLabel}, ${spread(alone, maxN, 'records_per_s')}`,
        target: 'ratio ≥ 0.9',
        met: v >= 0.9 * base,
        note: `${spread(mode, maxN, 'records_per_s')}; ${load}`,
      };
    };
    // The CPU the collecting side spends (the client process and its collector child) beside the
    // client that only submits and waits the same way: on a real cluster the workers and the
    // scheduler have cores of their own, so this is what competes for the client machine alone.
    const cpu = (mode: string, alone: string, label: string): BenchRow => {
      const per1k = (m: string, f: keyof ClientRun) => (fig(m, maxN, f) / maxN) * 1000;
      return {
        name: `${label}: CPU per 1k records, client + collector`,
        value: per1k(mode, 'client_cpu_s') + per1k(mode, 'collector_cpu_s'),
        unit: 's',
        baseline: per1k(alone, 'client_cpu_s'),
        baselineName: 'the client submitting and waiting alone',
        note: `client ${per1k(mode, 'client_cpu_s').toFixed(2)} s, collector ${per1k(mode, 'collector_cpu_s').toFixed(2)} s; the cluster alone took ${((1 / fig(alone, maxN, 'records_per_s')) * 1000).toFixed(2)} s of wall time per 1k on ${os.cpus().length} shared cores`,
      };
    };
    return [
      rssRow('lazy', 'streaming from a generator', small),
      rssRow('lazy', 'streaming from a generator', maxN),
      rssRow('stream', 'streaming a list of futures', small),
      rssRow('stream', 'streaming a list of futures', maxN),
      growth('lazy', 'streaming from a generator', true),
      // The caller's own list of N futures (a Future and its client-side state each) is in this
      // process too: the figure below it shows that part alone.
      growth('stream', 'streaming a list of futures'),
      {
        name: `client RSS after submitting a list, ${k(small)} → ${k(maxN)}`,
        value: fig('stream', maxN, 'rss_after_submit_mb'),
        unit: 'MB',
        baseline: fig('stream', small, 'rss_after_submit_mb'),
        baselineName: k(small),
        note: runs === 1 ? 'single samples' : `medians of ${runs}`,
      },
      growth('gather', 'naive gather'),
      rate('lazy', 'streaming from a generator', 'compute-lazy', 'submitted from a generator'),
      rate('stream', 'streaming a list of futures', 'compute', 'client.map'),
      cpu('lazy', 'compute-lazy', 'streaming from a generator'),
      cpu('stream', 'compute', 'streaming a list of futures'),
      {
        name: `collector (node) peak RSS, ${k(maxN)}`,
        value: fig('lazy', maxN, 'collector_peak_rss_mb'),
        unit: 'MB',
        note: spread('lazy', maxN, 'collector_peak_rss_mb'),
      },
    ];
  } finally {
    cluster.stdin!.end();
  }
}
