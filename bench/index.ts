// `npm run bench`: every benchmark, each figure beside its baseline measured in the same run.
// Sizes can be lowered for a quick look: `npm run bench -- --collector-rows 1000000`.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { benchCollector } from './collector.ts';
import { benchDemoWrite } from './demo-write.ts';
import { printTable } from './table.ts';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};

const workDir = path.resolve('.tmp', 'bench');
await fs.mkdir(workDir, { recursive: true });
printTable('Store writer', await benchDemoWrite(workDir, Math.round(arg('--demo-rows', 1_000_000) / 3)));
printTable('Collector', await benchCollector(workDir, arg('--collector-rows', 10_000_000)));
