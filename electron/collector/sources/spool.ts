// Source: a spool folder written by losslens_dask's workers (one append-only NDJSON file per
// worker process, rolled into numbered files; `_DONE` once the job has finished). One pass
// without --follow; with it, the folder is polled for new and grown files and a shard committed
// every --batch-rows rows, 8 MiB or --flush-seconds, until `_DONE` appears.
//
// Exactly-once: a shard names the byte range of every file it covers
// (`spool:<file>:bytes:a-b`), so a resumed follower starts after each file's committed prefix; a
// record written twice (a task re-run after its worker died) is kept once, as for NDJSON. A torn
// last line (its writer was killed mid-write) is committed with the last shard as a warning.
import path from 'node:path';
import type { ParamSpec } from '../../../shared/schema.ts';
import { readManifest } from '../../store/manifest-io.ts';
import { CollectError } from '../errors.ts';
import type { StoreWriter } from '../store-writer.ts';
import { type BatchContext, commitBatch, type RawLine } from './ndjson-batch.ts';
import type { Bad } from './ndjson-fields.ts';
import { checkParamNames } from './ndjson-names.ts';
import { inferParams } from './ndjson-record.ts';
import { type Cursor, cursorFor, type SpoolBatch } from './spool-cursor.ts';
import { completeLines, fileSize, hasDone, listSpoolFiles, markerJobId } from './spool-files.ts';
import { commitTorn, takeTails } from './spool-torn.ts';
import type { Source } from './types.ts';

const MAX_BATCH_BYTES = 8 * 1024 * 1024;
const DEFAULT_BATCH_ROWS = 50_000;
const POLL_MS = 200;

const sleep = (ms: number, signal: AbortSignal | null) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    });
  });

export const spoolSource: Source = {
  kind: 'spool',
  async run(ctx) {
    if (ctx.partition) {
      throw new CollectError(
        ctx.src,
        null,
        '--partition does not apply to a spool folder',
        'Run one follower',
      );
    }
    const dir = ctx.src;
    let writer: StoreWriter | null = null;
    let params: readonly ParamSpec[] | null = ctx.existingParams;
    const knownTargets = new Set<string>();
    const jobId = ctx.jobId ?? (await markerJobId(dir)) ?? path.basename(dir);
    ctx.progress.setTotal(null);

    const refused = new Map<string, Bad>();
    async function ensureWriter(sample: readonly RawLine[]): Promise<StoreWriter> {
      if (writer) return writer;
      params ??= checkParamNames(
        inferParams(sample.slice(0, 5000)),
        sample[0]?.label ?? dir,
        ctx.onError,
        refused,
      );
      writer = await ctx.openWriter({ jobId, params, targets: [] });
      for (const t of (await readManifest(writer.storeDir)).targets) knownTargets.add(t.id);
      return writer;
    }
    // An existing store knows its params: open it now so each file resumes after its committed prefix.
    if (params) await ensureWriter([]);

    const cursors = new Map<string, Cursor>();
    const batch: SpoolBatch = { lines: [], bytes: 0, firstAt: 0, ranges: new Map() };
    const flush = async () => {
      if (batch.lines.length === 0 && batch.ranges.size === 0) return;
      const wr = await ensureWriter(batch.lines);
      const b: BatchContext = {
        label: dir,
        writer: wr,
        params: params!,
        jobId,
        onError: ctx.onError,
        collectedAt: new Date(),
        knownTargets,
        refused,
      };
      const keys = [...batch.ranges].map(([rel, [a, z]]) => `spool:${rel}:bytes:${a}-${z}`);
      ctx.progress.shard(await commitBatch(b, batch.lines, keys));
      batch.lines = [];
      batch.bytes = 0;
      batch.ranges.clear();
    };

    const batchRows = ctx.batchRows ?? DEFAULT_BATCH_ROWS;
    const flushMs = ctx.flushSeconds * 1000;
    for (;;) {
      if (ctx.signal?.aborted) throw ctx.signal.reason;
      // _DONE is checked before the pass: everything the job wrote is on disk before it appears.
      const done = !ctx.follow || (await hasDone(dir));
      let grew = false;
      for (const rel of await listSpoolFiles(dir)) {
        const file = path.join(dir, rel);
        const cursor = cursors.get(rel) ?? (await cursorFor(file, rel, writer));
        cursors.set(rel, cursor);
        const size = await fileSize(file);
        if (size === null || size <= cursor.read) continue;
        for await (const lines of completeLines(file, cursor.read, size)) {
          grew = true;
          const range = batch.ranges.get(rel) ?? [cursor.read, cursor.read];
          for (const l of lines) {
            if (batch.lines.length === 0) batch.firstAt = Date.now();
            batch.lines.push({ text: l.text, lineNo: ++cursor.lineNo, label: file });
            batch.bytes += l.text.length;
          }
          cursor.read = lines[lines.length - 1]!.end;
          batch.ranges.set(rel, [range[0], cursor.read]);
          if (batch.lines.length >= batchRows || batch.bytes >= MAX_BATCH_BYTES) await flush();
        }
      }
      if (batch.lines.length && Date.now() - batch.firstAt >= flushMs) await flush();
      if (done) break;
      if (!grew) await sleep(Math.min(POLL_MS, flushMs), ctx.signal);
    }
    // A one-pass read of a folder still being written leaves unterminated tails for later.
    const torn = ctx.follow ? await takeTails(dir, cursors, batch) : { keys: [], examples: [] };
    await flush();
    await commitTorn(await ensureWriter([]), torn);
  },
};
