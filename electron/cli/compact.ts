// `losslens compact STORE`: few large sorted shards instead of many small ones.
import type { Command } from 'commander';
import { compactStore } from '../collector/compact.ts';
import { explainWriteError } from '../store/writable.ts';
import { intOption } from './options.ts';

export function registerCompact(program: Command): void {
  program
    .command('compact')
    .description("rewrite a store's shards into few large ones sorted by (target, loss), atomically")
    .argument('<store>', 'store directory')
    .option('--rows-per-shard <n>', 'rows per new shard', intOption('--rows-per-shard', 1), 1_000_000)
    .option(
      '--grace-seconds <s>',
      'keep replaced shards this long for readers of the old manifest',
      intOption('--grace-seconds', 0),
      600,
    )
    .action(async (store: string, o: { rowsPerShard: number; graceSeconds: number }) => {
      const r = await compactStore(store, o).catch(async (e: unknown) => {
        throw await explainWriteError(e, store);
      });
      process.stdout.write(
        `compacted ${store}: ${r.before} → ${r.after} shards; ${r.retired} replaced (kept ${o.graceSeconds} s for open readers), ${r.deleted.length} old files deleted\n`,
      );
    });
}
