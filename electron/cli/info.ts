// `losslens info STORE [--json]`: counts, per-target status and best loss.
import type { Command } from 'commander';
import { formatInfo, storeInfo } from '../collector/info.ts';

export function registerInfo(program: Command): void {
  program
    .command('info')
    .description("print a store's counts and, per target, ok/failed/missing and the best loss")
    .argument('<store>', 'store directory')
    .option('--json', 'print JSON')
    .action(async (store: string, o: { json?: boolean }) => {
      const info = await storeInfo(store);
      process.stdout.write(o.json ? `${JSON.stringify(info, null, 2)}\n` : formatInfo(info));
      // Reported above with the rest of the store; the exit code tells scripts it is damaged.
      if (info.problems.length > 0) process.exitCode = 1;
    });
}
