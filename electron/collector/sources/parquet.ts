// Source: plain parquet files with a `loss` column (a file or a directory of them). The target is
// a hive `target=...` folder, else a `target` column, else the file's folder name. Like views,
// DuckDB reads each file in row ranges and writes shards directly; optional columns (status,
// n_replicates, seeds, diagnostics, error_type, error_message, job_id) are used when present.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { StoreWarning } from '../../../shared/manifest.ts';
import { PARAM_PREFIX, type ParamSpec, type ParamType } from '../../../shared/schema.ts';
import { ident, literal, str } from '../../../shared/sql.ts';
import { committedRanges, rangeKey, uncovered } from '../coverage.ts';
import { CollectError } from '../errors.ts';
import { inLanes, writerLanes } from '../lanes.ts';
import { mergeParams, paramSelect, sortedParams, storeParamType } from '../param-types.ts';
import {
  autoChunkRows,
  chunkFilter,
  chunks,
  fitMemory,
  type ParquetInfo,
  parquetInfo,
  prepass,
  scan,
} from '../parquet-chunks.ts';
import { ownsUnit } from '../partition.ts';
import { prepassOutcome } from '../record-issues.ts';
import { fileKind, listFiles } from './detect.ts';
import type { Source, TargetRef } from './types.ts';

interface PFile {
  rel: string;
  info: ParquetInfo;
  /** Fixed target (hive folder or folder name), or null when the file has a `target` column. */
  target: TargetRef | null;
}

const TARGET_ID = `regexp_extract(target::VARCHAR, '([^:/]*)$', 1)`;

function targetOf(rel: string, root: string, columns: Map<string, string>): TargetRef | null {
  const hive = rel.split(path.sep).find((p) => p.startsWith('target='));
  if (hive) {
    const ep = decodeURIComponent(hive.slice('target='.length));
    return { id: ep.slice(ep.lastIndexOf(':') + 1), entrypoint: ep };
  }
  if (columns.has('target')) return null;
  const dir = path.dirname(rel) === '.' ? path.basename(root) : path.basename(path.dirname(rel));
  return { id: dir.slice(dir.lastIndexOf(':') + 1), entrypoint: dir };
}

function has(f: PFile, c: string): boolean {
  return f.info.columns.has(c);
}

function badWhy(f: PFile): string {
  const ok = has(f, 'status') ? `status = 'ok'` : has(f, 'error_type') ? 'error_type IS NULL' : 'true';
  return `CASE WHEN param_id IS NULL OR param_id::VARCHAR = '' THEN 'missing param_id'
    WHEN (${ok}) AND (loss IS NULL OR NOT isfinite(loss)) THEN 'non-finite loss ' || coalesce(loss::VARCHAR, 'NULL') || ' on an ok row' END`;
}

function select(f: PFile, params: readonly ParamSpec[], jobId: string, at: Date, where: string): string {
  const col = (c: string, type: string) => (has(f, c) ? `TRY_CAST(${ident(c)} AS ${type})` : `NULL::${type}`);
  const status = has(f, 'status')
    ? 'status::VARCHAR'
    : has(f, 'error_type')
      ? `CASE WHEN error_type IS NULL THEN 'ok' ELSE 'failed' END`
      : `'ok'`;
  const target = f.target ? str(f.target.id) : TARGET_ID;
  const entrypoint = f.target ? str(f.target.entrypoint) : 'target::VARCHAR';
  return `SELECT ${has(f, 'job_id') ? `coalesce(job_id::VARCHAR, ${str(jobId)})` : str(jobId)} AS job_id,
      param_id::VARCHAR AS param_id, ${target} AS target, ${entrypoint} AS target_entrypoint,
      ${status} AS status, CASE WHEN ${status} = 'ok' THEN loss::DOUBLE END AS loss,
      ${col('n_replicates', 'INTEGER')} AS n_replicates, ${col('seeds', 'UBIGINT[]')} AS seeds,
      ${[...paramSelect(params, new Set(f.info.columns.keys())), ''].join(', ')}
      ${has(f, 'diagnostics') ? 'left(diagnostics::VARCHAR, 65536)' : 'NULL::VARCHAR'} AS diagnostics,
      ${has(f, 'diagnostics') ? 'coalesce(strlen(diagnostics::VARCHAR) > 65536, false)' : 'false'} AS diagnostics_truncated,
      ${col('error_type', 'VARCHAR')} AS error_type, ${col('error_message', 'VARCHAR')} AS error_message,
      ${literal(at)} AS collected_at
    FROM ${scan(f.info.file, true)} WHERE ${where}`;
}

export const parquetSource: Source = {
  kind: 'parquet',
  async run(ctx) {
    const conn = ctx.duck.conn;
    const isFile = (await fs.stat(ctx.src)).isFile();
    const rels = isFile ? [path.basename(ctx.src)] : await listFiles(ctx.src);
    const root = isFile ? path.dirname(ctx.src) : ctx.src;
    const files: PFile[] = [];
    const skipped: string[] = [];
    const params = new Map<string, ParamType>();
    for (const rel of rels) {
      const file = path.join(root, rel);
      if ((await fileKind(file)) !== 'parquet') continue;
      const info = await parquetInfo(conn, file);
      if (!info.columns.has('loss')) {
        skipped.push(rel);
        continue;
      }
      if (!info.columns.has('param_id')) {
        throw new CollectError(
          file,
          null,
          'no param_id column',
          'Losses need the id of their parameter set; add a param_id column',
        );
      }
      for (const [c, t] of info.columns) {
        if (c.startsWith(PARAM_PREFIX) && c !== 'param_id')
          mergeParams(params, c.slice(PARAM_PREFIX.length), storeParamType(t));
      }
      files.push({ rel, info, target: targetOf(rel, root, info.columns) });
    }
    if (files.length === 0) {
      throw new CollectError(
        ctx.src,
        null,
        'no parquet file with a loss column',
        'Point at the directory holding the loss files',
      );
    }
    // Targets named by a column are discovered by a DISTINCT over that column (narrow, cheap).
    const targets = new Map<string, TargetRef>();
    for (const f of files) {
      if (f.target) targets.set(f.target.id, f.target);
      else {
        const r = await conn.runAndReadAll(
          `SELECT DISTINCT ${TARGET_ID} AS id, target::VARCHAR AS ep FROM ${scan(f.info.file)} WHERE target IS NOT NULL`,
        );
        for (const t of r.getRowObjectsJS())
          targets.set(String(t.id), { id: String(t.id), entrypoint: String(t.ep) });
      }
    }
    const paramList = ctx.existingParams ?? sortedParams(params);
    const jobId = ctx.jobId ?? path.basename(isFile ? path.dirname(ctx.src) : ctx.src);
    const writer = await ctx.openWriter({
      jobId,
      params: paramList,
      targets: [...targets.values()].sort((a, b) => a.id.localeCompare(b.id)),
    });
    let unit = 0;
    let total = 0;
    const plan: { f: PFile; a: number; b: number; first: boolean }[] = [];
    for (const f of files) {
      for (const [a, b] of chunks(
        f.info.rowGroups,
        autoChunkRows(f.info, ctx.batchRows),
        ctx.batchRows ? Infinity : undefined,
      )) {
        if (ownsUnit(ctx.partition, unit++)) {
          plan.push({ f, a, b, first: a === 0 });
          total += b - a;
        }
      }
    }
    ctx.progress.setTotal(total);
    const pres = new Map<string, Awaited<ReturnType<typeof prepass>>>();
    let skippedNoted = false;
    // Every file's pre-pass first (so a bad row stops the run before anything of it is written),
    // then all chunks on parallel writer lanes; each commits on its own.
    const jobs: { prefix: string; a: number; b: number; sql: string; warnings: StoreWarning[] }[] = [];
    for (const { f, a: from, b: to } of plan) {
      const prefix = `parquet:${f.rel}:rows:`;
      for (const [a, b] of uncovered(from, to, committedRanges(writer.committedInputs, prefix))) {
        const why = badWhy(f);
        const key =
          has(f, 'target') && !f.target
            ? `param_id::VARCHAR || chr(0) || target::VARCHAR`
            : 'param_id::VARCHAR';
        let pre = pres.get(f.rel);
        if (!pre) {
          await fitMemory(ctx.duck, f.info, ctx.progress, f.rel);
          pre = await prepass(conn, f.info.file, why, key, ident(`pdrops_${pres.size}`), [
            `param_id IS NULL OR param_id::VARCHAR = ''`,
            'loss IS NULL OR NOT isfinite(loss)',
          ]);
          prepassOutcome(f.rel, pre, ctx.onError);
          pres.set(f.rel, pre);
        }
        const warnings: StoreWarning[] = a === 0 ? prepassOutcome(f.rel, pre, ctx.onError) : [];
        if (!skippedNoted && skipped.length && ownsUnit(ctx.partition, 0) && a === 0 && f === files[0]) {
          warnings.push({
            code: 'files_skipped',
            message: 'parquet files without a loss column were not collected',
            count: skipped.length,
            examples: skipped.slice(0, 5),
          });
          skippedNoted = true;
        }
        const sql = select(f, paramList, jobId, ctx.collectedAt, chunkFilter(a, b, why, pre));
        jobs.push({ prefix, a, b, sql, warnings });
      }
    }
    const lanes = await writer.lanes(writerLanes());
    try {
      await inLanes(jobs, lanes, async ({ prefix, a, b, sql, warnings }, lane) => {
        const shard = await writer.writeSelect(sql, [rangeKey(prefix, a, b)], { warnings }, lane);
        ctx.progress.shard(shard?.rows ?? 0);
      });
    } finally {
      for (const extra of lanes.slice(1)) extra.closeSync();
    }
  },
};
