// Source: plain parquet files with `param_id` and `loss` columns (a file or a directory of them).
// The target is a hive `target=...` folder, else a `target` column, else the file's folder name.
// Like views, DuckDB reads each file in row ranges and writes shards directly; optional store
// columns (status, n_replicates, seeds or seed, diagnostics, error_type, error_message, job_id)
// are used when present, and every other column is a parameter (parquet-columns.ts).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { StoreWarning } from '../../../shared/manifest.ts';
import { INTEGER_MAX, type ParamSpec } from '../../../shared/schema.ts';
import { ident, literal, str } from '../../../shared/sql.ts';
import { committedRanges, rangeKey, uncovered } from '../coverage.ts';
import { CollectError } from '../errors.ts';
import { inLanes, writerLanes } from '../lanes.ts';
import { paramSelectFrom } from '../param-types.ts';
import {
  autoChunkRows,
  chunkFilter,
  chunks,
  fitMemory,
  maxParts,
  type ParquetInfo,
  parquetInfo,
  prepass,
  scan,
} from '../parquet-chunks.ts';
import { ownsUnit } from '../partition.ts';
import { prepassOutcome } from '../record-issues.ts';
import { fileKind, listFiles } from './detect.ts';
import { checkChosen, checkKeyColumns, fileParams, ParamTypes, seedColumn } from './parquet-columns.ts';
import { badStatusWhy, mappedErrorType, mappedStatus, scanStatus } from './parquet-status.ts';
import type { Source, TargetRef } from './types.ts';

interface PFile {
  rel: string;
  info: ParquetInfo;
  /** Fixed target (hive folder or folder name), or null when the file has a `target` column. */
  target: TargetRef | null;
  /** Parameter name → the file's column holding it. */
  params: Map<string, string>;
  /** A scalar `seed` column stands for the seeds. */
  seed: boolean;
  /** Warnings this file's first shard carries (param_id stored as text, status mapping). */
  notes: StoreWarning[];
  /** Rows whose status is outside every vocabulary: the pre-pass must name them. */
  badStatuses: number;
}

const TARGET_ID = `regexp_extract(target::VARCHAR, '([^:/]*)$', 1)`;

function fixedTarget(file: string, entrypoint: string): TargetRef {
  const id = entrypoint.slice(entrypoint.lastIndexOf(':') + 1);
  if (id === '') {
    throw new CollectError(
      file,
      null,
      `target "${entrypoint}" (from the folder name) has an empty short id (the part after the last ':')`,
      'Name the folder module:name or target=module:name',
    );
  }
  return { id, entrypoint };
}

function targetOf(rel: string, root: string, columns: Map<string, string>): TargetRef | null {
  const file = path.join(root, rel);
  const hive = rel.split(path.sep).find((p) => p.startsWith('target='));
  if (hive) return fixedTarget(file, decodeURIComponent(hive.slice('target='.length)));
  if (columns.has('target')) return null;
  const dir = path.dirname(rel) === '.' ? path.basename(root) : path.basename(path.dirname(rel));
  return fixedTarget(file, dir);
}

function has(f: PFile, c: string): boolean {
  return f.info.columns.has(c);
}

function statusOf(f: PFile): string {
  if (has(f, 'status')) return mappedStatus();
  return has(f, 'error_type') ? `CASE WHEN error_type IS NULL THEN 'ok' ELSE 'failed' END` : `'ok'`;
}

const EMPTY_TARGET = `'target "' || target::VARCHAR || '" has an empty short id (the part after the last '':'' or ''/''); name it module:name'`;

// Values that TRY_CAST would silently turn into NULL: named as bad rows instead.
const REPS = 'TRY_CAST(n_replicates AS DOUBLE)';
const BAD_REPS = `n_replicates IS NOT NULL AND NOT coalesce(${REPS} BETWEEN 0 AND ${INTEGER_MAX} AND ${REPS} = floor(${REPS}), false)`;
// TRY_CAST of a list NULLs only the elements that do not fit: compare counts.
const BAD_SEEDS =
  'seeds IS NOT NULL AND coalesce(list_count(TRY_CAST(seeds AS UBIGINT[])) <> len(seeds), true)';

function valueChecks(f: PFile): [string, string][] {
  const out: [string, string][] = [];
  if (has(f, 'n_replicates'))
    out.push([
      BAD_REPS,
      `'n_replicates ' || n_replicates::VARCHAR || ' is not a whole number from 0 to ${INTEGER_MAX}'`,
    ]);
  if (has(f, 'seeds') && !f.seed)
    out.push([
      BAD_SEEDS,
      `'seeds ' || left(seeds::VARCHAR, 80) || ' are not whole numbers from 0 to 2^64-1 (UBIGINT)'`,
    ]);
  return out;
}

function badWhy(f: PFile): string {
  const values = valueChecks(f)
    .map(([when, why]) => `WHEN ${when} THEN ${why}`)
    .join(' ');
  const status = `${has(f, 'status') ? `WHEN ${mappedStatus()} IS NULL THEN ${badStatusWhy()}` : ''} ${values}`;
  const target = f.target
    ? ''
    : `WHEN target IS NULL THEN 'missing target' WHEN ${TARGET_ID} = '' THEN ${EMPTY_TARGET}`;
  return `CASE WHEN param_id IS NULL OR param_id::VARCHAR = '' THEN 'missing param_id' ${status} ${target}
    WHEN (${statusOf(f)}) = 'ok' AND (loss IS NULL OR NOT isfinite(loss::DOUBLE)) THEN 'non-finite loss ' || coalesce(loss::VARCHAR, 'NULL') || ' on an ok row' END`;
}

/** Predicates that every bad row matches: on a clean file each is one cheap column scan. */
function screens(f: PFile): string[] {
  const out = [`param_id IS NULL OR param_id::VARCHAR = ''`, 'loss IS NULL OR NOT isfinite(loss::DOUBLE)'];
  if (!f.target)
    out.push(
      `target IS NULL OR suffix(target::VARCHAR, ':') OR suffix(target::VARCHAR, '/') OR target::VARCHAR = ''`,
    );
  if (f.badStatuses > 0) out.push('true');
  for (const [when] of valueChecks(f)) out.push(when);
  return out;
}

function select(f: PFile, params: readonly ParamSpec[], jobId: string, at: Date, where: string): string {
  const col = (c: string, type: string) => (has(f, c) ? `TRY_CAST(${ident(c)} AS ${type})` : `NULL::${type}`);
  const status = statusOf(f);
  const errorType = has(f, 'status')
    ? mappedErrorType(col('error_type', 'VARCHAR'))
    : col('error_type', 'VARCHAR');
  const seeds = f.seed
    ? `CASE WHEN TRY_CAST(seed AS UBIGINT) IS NOT NULL THEN [seed::UBIGINT] END`
    : col('seeds', 'UBIGINT[]');
  const target = f.target ? str(f.target.id) : TARGET_ID;
  const entrypoint = f.target ? str(f.target.entrypoint) : 'target::VARCHAR';
  return `SELECT ${has(f, 'job_id') ? `coalesce(job_id::VARCHAR, ${str(jobId)})` : str(jobId)} AS job_id,
      param_id::VARCHAR AS param_id, ${target} AS target, ${entrypoint} AS target_entrypoint,
      ${status} AS status, CASE WHEN ${status} = 'ok' THEN loss::DOUBLE END AS loss,
      ${col('n_replicates', 'INTEGER')} AS n_replicates, ${seeds} AS seeds,
      ${[...paramSelectFrom(params, f.params), ''].join(', ')}
      ${has(f, 'diagnostics') ? 'left(diagnostics::VARCHAR, 65536)' : 'NULL::VARCHAR'} AS diagnostics,
      ${has(f, 'diagnostics') ? 'coalesce(strlen(diagnostics::VARCHAR) > 65536, false)' : 'false'} AS diagnostics_truncated,
      ${errorType} AS error_type, ${col('error_message', 'VARCHAR')} AS error_message,
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
    const types = new ParamTypes();
    const columnsSeen = new Set<string>();
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
      const notes: StoreWarning[] = [];
      const idNote = checkKeyColumns(file, info.columns);
      if (idNote) {
        notes.push({
          code: 'param_id_as_text',
          message: 'param_id columns that are not text were stored as text (e.g. 17 → "17")',
          count: 1,
          examples: [idNote],
        });
      }
      for (const c of info.columns.keys()) columnsSeen.add(c);
      const params = fileParams(file, info.columns, ctx.paramChoice);
      for (const [name, column] of params) types.add(file, name, info.columns.get(column)!);
      let badStatuses = 0;
      if (info.columns.has('status')) {
        const st = await scanStatus(conn, file, file);
        badStatuses = st.unknown;
        if (st.warning) notes.push(st.warning);
      }
      const target = targetOf(rel, root, info.columns);
      const seed = seedColumn(info.columns, ctx.paramChoice);
      files.push({ rel, info, target, params, seed, notes, badStatuses });
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
          `SELECT DISTINCT ${TARGET_ID} AS id, target::VARCHAR AS ep FROM ${scan(f.info.file)}
           WHERE target IS NOT NULL AND ${TARGET_ID} <> ''`,
        );
        for (const t of r.getRowObjectsJS())
          targets.set(String(t.id), { id: String(t.id), entrypoint: String(t.ep) });
      }
    }
    checkChosen(ctx.src, ctx.paramChoice, columnsSeen);
    // The files' own parameters, not the store's: a store made from other files with other
    // parameters is refused by the writer rather than silently dropping these columns.
    const paramList: ParamSpec[] = types.specs();
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
        ctx.batchRows ? Infinity : maxParts(f.info),
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
          pre = await prepass(conn, f.info.file, why, key, `pdrops_${pres.size}`, {
            screens: screens(f),
            rows: f.info.rows,
          });
          prepassOutcome(f.info.file, pre, ctx.onError);
          pres.set(f.rel, pre);
        }
        const warnings: StoreWarning[] =
          a === 0 ? [...prepassOutcome(f.info.file, pre, ctx.onError), ...f.notes] : [];
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
