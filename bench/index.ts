// `npm run bench`: every benchmark, each figure beside its baseline measured in the same run.
// Smaller runs: `npm run bench -- --suites app --app-max-rows 1000000 --collector-rows 1000000`.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { benchApp } from './app.ts';
import { benchCollector } from './collector.ts';
import { benchDemoWrite } from './demo-write.ts';
import { benchNdjsonCommit } from './ndjson-commit.ts';
import { printTable } from './table.ts';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const suites = new Set(arg('--suites', 'writer,collector,ndjson,app').split(','));

const workDir = path.resolve('.tmp', 'bench');
await fs.mkdir(workDir, { recursive: true });
if (suites.has('writer')) {
  printTable(
    'Store writer',
    await benchDemoWrite(workDir, Math.round(Number(arg('--demo-rows', '1000000')) / 3)),
  );
}
if (suites.has('collector')) {
  printTable('Collector', await benchCollector(workDir, Number(arg('--collector-rows', '10000000'))));
}
if (suites.has('ndjson')) {
  printTable(
    'NDJSON stream commit rate (`collect -`, --batch-rows 20)',
    await benchNdjsonCommit(workDir, Number(arg('--ndjson-rows', '60000'))),
  );
}
if (suites.has('app')) {
  for (const rows of [1_000_000, 10_000_000].filter((r) => r <= Number(arg('--app-max-rows', '10000000')))) {
    const label = `${rows / 1e6}M rows`;
    const dir = path.join(workDir, `app-${rows / 1e6}m`);
    printTable(`App in headless Chromium, ${label} × 3 targets`, await benchApp(dir, label, rows));
  }
}
