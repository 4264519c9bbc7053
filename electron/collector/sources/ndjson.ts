// Source: NDJSON records — a file, a directory of them, or `-` for stdin (a running job piping
// its results). A shard is committed every --batch-rows rows, every 8 MiB, or --flush-seconds
// after the first uncommitted line, whichever comes first, so an open app sees losses arrive.
//
// Exactly-once: a file's shards name the byte range they cover; a re-run resumes after the
// committed prefix. Stdin cannot be re-read, so a killed stdin run loses its uncommitted batch
// (at most --flush-seconds of records); re-sending the stream is safe because records whose
// (param_id, target) is already in the store are dropped (counted as duplicates).
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { ParamSpec } from '../../../shared/schema.ts';
import { readManifest } from '../../store/manifest-io.ts';
import { committedPrefixEnd, committedRanges, rangeKey } from '../coverage.ts';
import { ownsUnit } from '../partition.ts';
import type { StoreWriter } from '../store-writer.ts';
import { fileKind, listFiles } from './detect.ts';
import { countLines, readLines } from './line-stream.ts';
import { type BatchContext, commitBatch, type RawLine } from './ndjson-batch.ts';
import type { Bad } from './ndjson-fields.ts';
import { parsePythonJson } from './ndjson-json.ts';
import { checkParamNames } from './ndjson-names.ts';
import { inferParams } from './ndjson-record.ts';
import type { Source } from './types.ts';

const MAX_BATCH_BYTES = 8 * 1024 * 1024;
const DEFAULT_BATCH_ROWS = 50_000;

interface Input {
  label: string;
  file: string | null;
}

async function listInputs(src: string): Promise<Input[]> {
  if (src === '-') return [{ label: 'stdin', file: null }];
  if ((await fs.stat(src)).isFile()) return [{ label: path.basename(src), file: src }];
  const out: Input[] = [];
  for (const rel of await listFiles(src)) {
    if ((await fileKind(path.join(src, rel))) === 'ndjson')
      out.push({ label: rel, file: path.join(src, rel) });
  }
  return out;
}

function firstJobId(sample: readonly RawLine[]): string | null {
  for (const l of sample.slice(0, 100)) {
    try {
      const id = (parsePythonJson(l.text) as { job_id?: unknown } | null)?.job_id;
      if (typeof id === 'string' && id) return id;
    } catch {}
  }
  return null;
}

export const ndjsonSource: Source = {
  kind: 'ndjson',
  async run(ctx) {
    let writer: StoreWriter | null = null;
    let params: readonly ParamSpec[] | null = ctx.existingParams;
    const knownTargets = new Set<string>();
    let jobId =
      ctx.jobId ?? (ctx.src === '-' ? 'stdin' : path.basename(ctx.src).replace(/\.(nd)?jsonl?$/, ''));
    ctx.progress.setTotal(null);

    const refused = new Map<string, Bad>();
    async function ensureWriter(sample: readonly RawLine[], label: string): Promise<StoreWriter> {
      if (writer) return writer;
      if (!params) {
        const inferred = inferParams(sample.slice(0, 5000));
        params = checkParamNames(inferred, label, ctx.onError, refused);
      }
      // A stream names its job in every record: take the first one's unless --job-id was given.
      if (!ctx.jobId) jobId = firstJobId(sample) ?? jobId;
      writer = await ctx.openWriter({ jobId, params, targets: [] });
      for (const t of (await readManifest(writer.storeDir)).targets) knownTargets.add(t.id);
      return writer;
    }

    const inputs = await listInputs(ctx.src);
    for (const [unit, input] of inputs.entries()) {
      if (!ownsUnit(ctx.partition, unit)) continue;
      const prefix = input.file
        ? `ndjson:${input.label}:bytes:`
        : `stdin:${ctx.collectedAt.toISOString()}:bytes:`;
      // The committed prefix is only known once a writer has read the manifest; open it early
      // when the store already exists (its params are known), otherwise the store is new.
      const w = params ? await ensureWriter([], input.file ?? 'stdin') : null;
      const start = w && input.file ? committedPrefixEnd(committedRanges(w.committedInputs, prefix)) : 0;
      const size = input.file ? (await fs.stat(input.file)).size : null;
      if (input.file && size !== null && start >= size && size > 0) continue;
      let lineNo =
        start > 0 && input.file ? await countLines(createReadStream(input.file, { end: start - 1 })) : 0;
      const stream: Readable = input.file ? createReadStream(input.file, { start }) : ctx.stdin;
      let batch: RawLine[] = [];
      let bytes = 0;
      let batchStart = start;
      let batchEnd = start;
      let firstAt = 0;
      const flushMs = ctx.flushSeconds * 1000;
      const flush = async () => {
        if (batch.length === 0) return;
        const wr = await ensureWriter(batch, input.file ?? 'stdin');
        const b: BatchContext = {
          label: input.file ?? 'stdin',
          writer: wr,
          params: params!,
          jobId,
          onError: ctx.onError,
          collectedAt: new Date(),
          knownTargets,
          refused,
        };
        const rows = await commitBatch(b, batch, rangeKey(prefix, batchStart, batchEnd));
        ctx.progress.shard(rows);
        batch = [];
        bytes = 0;
        batchStart = batchEnd;
      };
      const idle = () => (batch.length ? firstAt + flushMs - Date.now() : flushMs);
      for await (const ev of readLines(stream, start, idle)) {
        if (ev.kind === 'lines') {
          for (const line of ev.lines) {
            if (batch.length === 0) firstAt = Date.now();
            batch.push({ text: line.text, lineNo: ++lineNo });
            bytes += line.text.length;
            batchEnd = line.end;
            if (batch.length >= (ctx.batchRows ?? DEFAULT_BATCH_ROWS) || bytes >= MAX_BATCH_BYTES)
              await flush();
          }
        }
        if (batch.length && Date.now() - firstAt >= flushMs) await flush();
      }
      await flush();
    }
    await ensureWriter([], ctx.src);
  },
};
