import path from 'node:path';
import type { Command } from 'commander';
import { writeDemoStore } from '../collector/demo.ts';
import { floatOption, intOption } from './options.ts';

interface DemoCliOptions {
  out: string;
  params: number;
  targets: number;
  seed: number;
  failRate: number;
  setsPerShard?: number;
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('write a synthetic job (deterministic for a seed) as a loss store')
    .requiredOption('--out <store>', 'store directory to create')
    .option('--params <n>', 'parameter sets', intOption('--params', 1), 1000)
    .option('--targets <t>', 'targets, 1 to 3', intOption('--targets', 1), 3)
    .option('--seed <s>', 'random seed', intOption('--seed', 0), 1)
    .option('--fail-rate <f>', 'share of failed aggregations', floatOption('--fail-rate', 0, 1), 0.01)
    .option(
      '--sets-per-shard <n>',
      'parameter sets per shard (default: ~200k rows a shard)',
      intOption('--sets-per-shard', 1),
    )
    .action(async (o: DemoCliOptions) => {
      const started = Date.now();
      const manifest = await writeDemoStore({ ...o, out: path.resolve(o.out) });
      const c = manifest.counts;
      process.stdout.write(
        `demo store ${path.resolve(o.out)}: ${c.rows} rows (${c.ok} ok, ${c.failed} failed) ` +
          `in ${manifest.shards.length} shards, ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
      );
    });
}
