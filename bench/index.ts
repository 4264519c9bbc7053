// `npm run bench`: every benchmark, each figure beside its baseline measured in the same run.
// Smaller runs: `npm run bench -- --suites app --app-max-rows 1000000 --collector-rows 1000000`
// (`--collector-runs 1` for one sample of each program),
// `--suites dask --dask-max 20000`, `--suites engine --engine-rows 1000000 --engine-collected ''`
// (the engine suite runs demo stores of --engine-rows and collector-built ones of --engine-collected).
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchApp } from './app.ts';
import { benchCharts } from './app-charts.ts';
import { benchViews } from './app-views.ts';
import { benchCollector, ensureCollectedStore } from './collector.ts';
import { benchDask } from './dask.ts';
import { benchDemoWrite } from './demo-write.ts';
import { benchEngine } from './engine.ts';
import { benchNdjsonCommit } from './ndjson-commit.ts';
import { benchOpenCollect } from './open-collect.ts';
import './export.ts'; // runs the Export suite (first) unless --suites leaves it out
import { printTable } from './table.ts';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const suites = new Set(
  arg('--suites', 'writer,collector,ndjson,open,app,charts,views,engine,dask').split(','),
);

const workDir = path.resolve('.tmp', 'bench');
await fs.mkdir(workDir, { recursive: true });
if (suites.has('writer')) {
  printTable(
    'Store writer',
    await benchDemoWrite(workDir, Math.round(Number(arg('--demo-rows', '1000000')) / 3)),
  );
}
if (suites.has('collector')) {
  printTable(
    'Collector (whole processes, alternated)',
    await benchCollector(
      workDir,
      Number(arg('--collector-rows', '10000000')),
      Number(arg('--collector-runs', '3')),
    ),
  );
}
if (suites.has('ndjson')) {
  printTable(
    'NDJSON stream commit rate (`collect -`, --batch-rows 20)',
    await benchNdjsonCommit(workDir, Number(arg('--ndjson-rows', '60000'))),
  );
}
if (suites.has('open')) {
  printTable(
    'Open a job folder in the app',
    await benchOpenCollect(workDir, Number(arg('--open-rows', '1000000'))),
  );
}
if (suites.has('app') || suites.has('charts')) {
  for (const rows of [1_000_000, 10_000_000].filter((r) => r <= Number(arg('--app-max-rows', '10000000')))) {
    const label = `${rows / 1e6}M rows`;
    const dir = path.join(workDir, `app-${rows / 1e6}m`);
    if (suites.has('app'))
      printTable(`App in headless Chromium, ${label} × 3 targets`, await benchApp(dir, label, rows));
    if (suites.has('charts'))
      printTable(`Chart tabs, ${label} × 3 targets`, await benchCharts(dir, label, rows));
  }
}
if (suites.has('views')) {
  // The Pivot and Best tabs at 1M rows (333k parameter sets), on the app suite's store.
  const rows = 1_000_000;
  const dir = path.join(workDir, 'app-1m');
  printTable(
    'Pivot and Best views in headless Chromium, 1M rows × 3 targets',
    await benchViews(dir, '1M rows', rows),
  );
}
for (const rows of suites.has('engine')
  ? arg('--engine-rows', '1000000,4000000,10000000').split(',').filter(Boolean).map(Number)
  : []) {
  const title = `Engines through the app, ${rows / 1e6}M rows × 3 targets (load ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')})`;
  printTable(title, await benchEngine(path.join(workDir, `app-${rows / 1e6}m`), `${rows / 1e6}M rows`, rows));
}
for (const rows of suites.has('engine')
  ? arg('--engine-collected', '10000000').split(',').filter(Boolean).map(Number)
  : []) {
  // The same figures on a store as the collector writes it (many shards, not the demo's few).
  const dir = await ensureCollectedStore(workDir, rows);
  const shards = JSON.parse(await fs.readFile(path.join(dir, 'store.json'), 'utf8')).shards.length;
  const label = `${rows / 1e6}M rows collector-built (${shards} shards)`;
  printTable(`Engines through the app, ${label}`, await benchEngine(dir, label, rows, 3, true));
}
if (suites.has('dask')) {
  const n = Number(arg('--dask-max', '100000'));
  printTable(
    `Dask study → store (LocalCluster, 2 workers), ${n / 1000}k aggregations`,
    await benchDask(workDir, n),
  );
}
