// Commit rate of a long NDJSON stream: `losslens collect - --batch-rows 20` fed 60k rows on stdin
// (3,000 shards). Each commit's time is the gap between consecutive shards' `created_at` in
// store.json; a commit whose cost grows with the shards already listed shows as a rising gap.
// Figures: the median gap over the 50 shards up to shard ~10 (its first 50), ~1,000 and ~3,000,
// and the ratio last / first.
import { spawn } from 'node:child_process';
import { createReadStream, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureBundle } from '../bin/cli-bundle.mjs';
import { ndjsonLines } from '../electron/collector/testing/ndjson-fixture.ts';
import { readManifest } from '../electron/store/manifest-io.ts';
import { median } from './stats.ts';
import { type BenchRow, printTable } from './table.ts';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TARGETS = ['targets.a:alpha', 'targets.b:beta', 'targets.c:loglik'];
const BATCH_ROWS = 20;

async function ensureStream(workDir: string, rows: number): Promise<string> {
  const file = path.join(workDir, `stream-${rows}.ndjson`);
  if (
    await fs.stat(file).then(
      () => true,
      () => false,
    )
  )
    return file;
  const params = Math.ceil(rows / TARGETS.length);
  let text = '';
  for (let i = 0; i < params; i += 1000) text += ndjsonLines(i, Math.min(params, i + 1000), TARGETS);
  await fs.writeFile(file, text);
  return file;
}

/** Median commit gap (ms) over the `width` shards ending near shard `at` (1-based). */
function gapAround(times: readonly number[], at: number, width = 50): number {
  const end = Math.min(times.length, Math.max(at, width + 1));
  const gaps: number[] = [];
  for (let i = Math.max(1, end - width); i < end; i++) gaps.push(times[i]! - times[i - 1]!);
  return median(gaps);
}

export async function benchNdjsonCommit(workDir: string, rows = 60_000): Promise<BenchRow[]> {
  await fs.mkdir(workDir, { recursive: true });
  const input = await ensureStream(workDir, rows);
  const store = path.join(workDir, 'ndjson-commit-store');
  await fs.rm(store, { recursive: true, force: true });
  await ensureBundle();
  const loadBefore = os.loadavg()[0]!;
  const started = performance.now();
  const args = ['collect', '-', '--out', store, '--batch-rows', String(BATCH_ROWS), '--progress', 'none'];
  const child = spawn(path.join(REPO, 'bin/losslens.mjs'), args, {
    cwd: REPO,
    stdio: ['pipe', 'ignore', 'inherit'],
  });
  createReadStream(input).pipe(child.stdin);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`collector exited with ${code}`);
  const seconds = (performance.now() - started) / 1000;
  const m = await readManifest(store);
  const times = m.shards.map((s) => Date.parse(s.created_at));
  const n = times.length;
  const first = gapAround(times, 10);
  const mid = gapAround(times, Math.min(n, 1000));
  const last = gapAround(times, n);
  const ratio = last / first;
  return [
    { name: `commit time at shard ~10 (--batch-rows ${BATCH_ROWS})`, value: first, unit: 'ms' },
    { name: `commit time at shard ~${Math.min(n, 1000)}`, value: mid, unit: 'ms' },
    {
      name: `commit time at shard ~${n}`,
      value: last,
      unit: 'ms',
      baseline: first,
      baselineName: 'shard ~10',
      ratio,
      target: 'ratio ≤ 1.5',
      met: ratio <= 1.5,
    },
    {
      name: `whole run: ${m.counts.rows.toLocaleString('en-US')} rows in ${n} shards`,
      value: seconds,
      unit: 's',
    },
    { name: 'whole run throughput', value: m.counts.rows / seconds, unit: 'rows/s' },
    {
      // Commits are short: other processes on the machine move these figures more than the code.
      name: `machine load at the end (1-min average, ${os.cpus().length} cores)`,
      value: os.loadavg()[0]!,
      unit: '',
      baseline: loadBefore,
      baselineName: 'at start',
    },
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const i = process.argv.indexOf('--rows');
  const rows = i > 0 ? Number(process.argv[i + 1]) : 60_000;
  printTable('NDJSON commit rate', await benchNdjsonCommit(path.resolve(REPO, '.tmp', 'bench'), rows));
}
