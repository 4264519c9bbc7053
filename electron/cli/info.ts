// `losslens info STORE [--json]`: counts, per-target status and best loss.
import type { Command } from 'commander';
import { formatInfo, storeInfo } from '../collector/info.ts';
import { writeSummary } from '../collector/summary.ts';

export function registerInfo(program: Command): void {
  program
    .command('info')
    .description("print a store's counts and, per target, ok/failed/missing and the best loss")
    .argument('<store>', 'store directory')
    .option('--json', 'print JSON')
    .option(
      '--summary <file>',
      'write the per-param_id loss summary (mean_loss, std_loss, …) to .parquet/.csv/.ndjson',
    )
    .action(async (store: string, o: { json?: boolean; summary?: string }) => {
      if (o.summary) {
        const n = await writeSummary(store, o.summary);
        process.stdout.write(`summary of ${n} parameter sets: ${o.summary}\n`);
        return;
      }
      const info = await storeInfo(store);
      process.stdout.write(o.json ? `${JSON.stringify(info, null, 2)}\n` : formatInfo(info));
      // Reported above with the rest of the store; the exit code tells scripts it is damaged.
      if (info.problems.length > 0) process.exitCode = 1;
    });
}
