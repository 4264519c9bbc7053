// Collecting a Dask study (integrations/dask): 10k and 100k aggregations from a LocalCluster (2
// worker processes, its own process) into a store through collect_target_losses_streaming, beside
// the note's naive `client.gather` of every future and beside the cluster's own throughput (the
// same tasks, waited for, nothing fetched). Each client is a fresh process: its peak RSS is its own.
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { readManifest } from '../electron/store/manifest-io.ts';
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

export async function benchDask(workDir: string, maxN: number): Promise<BenchRow[]> {
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
      return r;
    };
    const compute = await run('compute', maxN);
    const s1 = await run('stream', small);
    const s2 = await run('stream', maxN);
    const l1 = await run('lazy', small);
    const l2 = await run('lazy', maxN);
    const g1 = await run('gather', small);
    const g2 = await run('gather', maxN);
    const k = (n: number) => `${n / 1000}k`;
    const flat = s2.peak_rss_mb / s1.peak_rss_mb;
    const lazyFlat = l2.peak_rss_mb / l1.peak_rss_mb;
    return [
      {
        name: `client peak RSS, streaming ${k(small)}`,
        value: s1.peak_rss_mb,
        unit: 'MB',
        baseline: g1.peak_rss_mb,
        baselineName: 'naive gather',
      },
      {
        name: `client peak RSS, streaming ${k(maxN)}`,
        value: s2.peak_rss_mb,
        unit: 'MB',
        baseline: g2.peak_rss_mb,
        baselineName: 'naive gather',
      },
      {
        name: `client RSS after submitting, ${k(small)} → ${k(maxN)}`,
        value: s2.rss_after_submit_mb,
        unit: 'MB',
        baseline: s1.rss_after_submit_mb,
        baselineName: k(small),
      },
      {
        name: `client peak RSS, streaming from a generator ${k(small)} → ${k(maxN)}`,
        value: l2.peak_rss_mb,
        unit: 'MB',
        baseline: l1.peak_rss_mb,
        baselineName: k(small),
        target: 'ratio ≤ 1.2',
        met: lazyFlat <= 1.2,
      },
      {
        name: `streaming (list of futures) peak RSS ${k(maxN)} / ${k(small)}`,
        value: flat,
        unit: '×',
        target: '≤ 1.2',
        met: flat <= 1.2,
      },
      {
        name: `streaming throughput, ${k(maxN)}`,
        value: s2.records_per_s,
        unit: 'records/s',
        baseline: compute.records_per_s,
        baselineName: 'cluster alone',
        target: 'ratio ≥ 0.9',
        met: s2.records_per_s >= 0.9 * compute.records_per_s,
      },
      {
        name: `streaming from a generator throughput, ${k(maxN)}`,
        value: l2.records_per_s,
        unit: 'records/s',
        baseline: compute.records_per_s,
        baselineName: 'cluster alone',
      },
      { name: `collector (node) peak RSS, ${k(maxN)}`, value: s2.collector_peak_rss_mb, unit: 'MB' },
    ];
  } finally {
    cluster.stdin!.end();
  }
}
