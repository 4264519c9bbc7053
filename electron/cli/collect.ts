// `losslens collect SRC... --out STORE`: thin over collector/collect.ts.
import path from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { collect } from '../collector/collect.ts';
import { InterruptedError } from '../collector/errors.ts';
import { type ProgressMode, progressPrinter } from '../collector/progress.ts';
import type { OnError } from '../collector/sources/types.ts';
import { floatOption, intOption } from './options.ts';

interface CollectFlags {
  out: string;
  jobSpec?: string;
  jobId?: string;
  batchRows?: number;
  flushSeconds: number;
  follow?: boolean;
  partition?: string;
  writer?: string;
  onError: OnError;
  progress: ProgressMode;
  params?: string[];
  exclude?: string[];
  compact: boolean;
}

const names = (v: string): string[] =>
  v
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);

function choice<T extends string>(name: string, values: readonly T[]) {
  return (v: string): T => {
    if (!(values as readonly string[]).includes(v)) {
      throw new InvalidArgumentError(`${name} must be one of ${values.join(', ')}`);
    }
    return v as T;
  };
}

export function registerCollect(program: Command): void {
  program
    .command('collect')
    .description(
      'collect a job view, provenance store, NDJSON stream (- for stdin), Dask spool folder or parquet directory into a loss store',
    )
    .argument('<src...>', 'sources (kind detected from contents)')
    .requiredOption('--out <store>', 'store directory (created, or resumed when it exists)')
    .option('--job-spec <file>', 'JOB.json: lists every parameter set (default: JOB.json in the view)')
    .option('--job-id <id>', 'job id for sources that carry none')
    .option(
      '--batch-rows <n>',
      'rows per shard (default: auto from input bytes)',
      intOption('--batch-rows', 1),
    )
    .option(
      '--flush-seconds <s>',
      'streams: commit a shard at least this often',
      floatOption('--flush-seconds', 0.05, 86400),
      5,
    )
    .option('--follow', 'spool folder: keep collecting new records until its _DONE file appears')
    .option('--partition <k/n>', 'collect only partition K of N (deterministic split of the inputs)')
    .option('--writer <id>', 'writer id (distinct per concurrent process; default main or pKofN)')
    .option(
      '--on-error <mode>',
      'fail or skip bad records',
      choice('--on-error', ['fail', 'skip'] as const),
      'fail',
    )
    .option('--params <names>', 'parquet: only these columns are parameters (comma-separated)', names)
    .option('--exclude <names>', 'parquet: these columns are not parameters (comma-separated)', names)
    .option('--no-compact', 'leave a complete store of many small shards as written (default: compact it)')
    .option(
      '--progress <mode>',
      'auto, plain, json (lines for the app) or none',
      choice('--progress', ['auto', 'plain', 'json', 'none'] as const),
      'auto',
    )
    .action(async (srcs: string[], o: CollectFlags) => {
      const started = Date.now();
      const stop = stopOnSignals(srcs.includes('-'));
      const manifest = await collect(
        {
          sources: srcs,
          out: o.out,
          jobSpec: o.jobSpec ?? null,
          jobId: o.jobId ?? null,
          batchRows: o.batchRows ?? null,
          flushSeconds: o.flushSeconds,
          follow: o.follow ?? false,
          partition: o.partition ?? null,
          writerId: o.writer ?? null,
          onError: o.onError,
          params: o.params ?? null,
          exclude: o.exclude ?? null,
          compact: o.compact,
          signal: stop.signal,
          // A producer that starts `collect -` as its child (the Dask integration) and dies: its
          // stdin ends like a finished stream, but this process is re-parented. Not complete.
          inputCut: srcs.includes('-') ? parentGone(process.ppid) : undefined,
        },
        progressPrinter(o.progress),
      )
        .catch((e: unknown) => {
          if (!(e instanceof InterruptedError)) throw e;
          process.stderr.write(`losslens: ${e.message}\n`);
          process.exit(130);
        })
        .finally(stop.dispose);
      if (o.progress === 'none' || o.progress === 'json') return;
      const c = manifest.counts;
      const warn = manifest.warnings.reduce((n, w) => n + w.count, 0);
      process.stdout.write(
        `store ${path.resolve(o.out)}: ${c.rows} rows (${c.ok} ok, ${c.failed} failed, ${c.missing} missing) ` +
          `in ${manifest.shards.length} shards, ${warn} warnings, ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
      );
      // Losslens reads each shard's footer on open and each shard's head for the first page: a
      // finished store opens faster as a few large shards (10M rows: 6.2 s in 51, 3.2 s in 10).
      if (manifest.status === 'complete' && manifest.shards.length > 20) {
        process.stdout.write(
          `tip: \`losslens compact ${o.out}\` rewrites the ${manifest.shards.length} shards into a few large ones, which open faster\n`,
        );
      }
    });
}

/**
 * Ctrl+C / SIGTERM: the first stops the run before its next shard (what is committed stays, the
 * writer is marked failed with the reason, exit code 130); a second exits at once. Reading stdin,
 * the first waits for the end of the stream instead, since the producer was interrupted too.
 */
function stopOnSignals(stdin: boolean): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write(
      stdin
        ? `\nlosslens: ${sig}: committing what arrives until the input ends (press Ctrl+C again to stop at once)\n`
        : `\nlosslens: ${sig}: stopping after the shards being written (press Ctrl+C again to stop at once)\n`,
    );
    controller.abort(new InterruptedError(sig));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

function parentGone(ppid: number): () => Error | null {
  return () => (process.ppid !== ppid ? new InterruptedError('the exit of its parent process') : null);
}
