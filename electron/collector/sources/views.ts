// Source: a modelops job view. Each data.parquet is read by DuckDB in row ranges and written
// straight to shards (writeSelect); with a job spec, every parameter set absent from a target's
// file becomes a `failed` row (when manifest.json counts failures there) or a `missing` one.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { StoreWarning } from '../../../shared/manifest.ts';
import type { ParamSpec } from '../../../shared/schema.ts';
import { literal, str } from '../../../shared/sql.ts';
import { committedRanges, rangeKey, uncovered } from '../coverage.ts';
import { inLanes, writerLanes } from '../lanes.ts';
import { mergeParams, paramSelect, sortedParams } from '../param-types.ts';
import {
  autoChunkRows,
  chunkFilter,
  chunks,
  fitMemory,
  maxParts,
  type Prepass,
  prepass,
  scan,
} from '../parquet-chunks.ts';
import { ownsUnit } from '../partition.ts';
import { prepassOutcome } from '../record-issues.ts';
import type { StoreWriter } from '../store-writer.ts';
import { type JobSpec, readJobSpec, stageJobSpec } from './job-spec.ts';
import type { Source, SourceContext } from './types.ts';
import { absentUnit } from './views-absent.ts';
import { readViewLayout, type ViewTarget } from './views-layout.ts';

const BAD_WHY = `CASE WHEN param_id IS NULL OR param_id = '' THEN 'missing param_id'
  WHEN loss IS NULL THEN 'loss is NULL on an ok row'
  WHEN NOT isfinite(loss) THEN 'non-finite loss ' || loss::VARCHAR || ' on an ok row' END`;

/** Every bad row matches one of these; each reads one column (see prepass). */
const BAD_SCREENS = [`param_id IS NULL OR param_id = ''`, 'loss IS NULL OR NOT isfinite(loss)'];

async function findJobSpec(ctx: SourceContext): Promise<string | null> {
  if (ctx.jobSpec) return ctx.jobSpec;
  const beside = path.join(ctx.src, 'JOB.json');
  return (await fs.stat(beside).then(
    () => true,
    () => false,
  ))
    ? beside
    : null;
}

function okSelect(t: ViewTarget, params: readonly ParamSpec[], at: Date, where: string): string {
  const cols = t.info!.columns;
  const has = (c: string) => cols.has(c);
  return `SELECT job_id::VARCHAR AS job_id, param_id::VARCHAR AS param_id, ${str(t.id)} AS target,
      ${str(t.entrypoint)} AS target_entrypoint, 'ok' AS status, loss::DOUBLE AS loss,
      ${has('n_replicates') ? 'TRY_CAST(n_replicates AS INTEGER)' : 'NULL::INTEGER'} AS n_replicates,
      ${has('seeds') ? 'TRY_CAST(seeds AS UBIGINT[])' : 'NULL::UBIGINT[]'} AS seeds,
      ${[...paramSelect(params, new Set(cols.keys())), ''].join(', ')}
      NULL::VARCHAR AS diagnostics, false AS diagnostics_truncated, NULL::VARCHAR AS error_type,
      NULL::VARCHAR AS error_message, ${literal(at)} AS collected_at
    FROM ${scan(t.info!.file, true)} WHERE ${where}`;
}

export const viewsSource: Source = {
  kind: 'views',
  async run(ctx) {
    const conn = ctx.duck.conn;
    const layout = await readViewLayout(conn, ctx.src);
    const specFile = await findJobSpec(ctx);
    const spec: JobSpec | null = specFile ? await readJobSpec(specFile) : null;
    const params = new Map(layout.params);
    if (spec) for (const [n, t] of spec.params) if (!params.has(n)) mergeParams(params, n, t);
    const paramList = ctx.existingParams ?? sortedParams(params);
    const writer = await ctx.openWriter({
      jobId: ctx.jobId ?? layout.jobId,
      params: paramList,
      targets: layout.targets.map((t) => ({ id: t.id, entrypoint: t.entrypoint })),
    });
    if (spec) await stageJobSpec(conn, spec, paramList, 'spec_sets');

    // Units in a fixed order (target dirs sorted, then row ranges, then the absent rows), so
    // every partition enumerates the same list.
    let unit = 0;
    let total = 0;
    const plan: { t: ViewTarget; ti: number; range: [number, number] | null; unit: number }[] = [];
    layout.targets.forEach((t, ti) => {
      const size = t.info ? autoChunkRows(t.info, ctx.batchRows) : 1;
      for (const range of t.info
        ? chunks(t.info.rowGroups, size, ctx.batchRows ? Infinity : maxParts(t.info))
        : []) {
        if (ownsUnit(ctx.partition, unit)) {
          plan.push({ t, ti, range, unit });
          total += range[1] - range[0];
        }
        unit++;
      }
      if (ownsUnit(ctx.partition, unit)) {
        plan.push({ t, ti, range: null, unit });
        total += spec ? Math.max(0, spec.sets.length - (t.info?.rows ?? 0)) : 0;
      }
      unit++;
    });
    ctx.progress.setTotal(total);

    const prepasses = new Map<string, Prepass>();
    const lanes = await writer.lanes(writerLanes());
    // Row ranges still to write, gathered up to the next absent-rows unit so that they can be
    // written on parallel lanes; every range commits on its own, in whatever order they finish.
    let pending: { t: ViewTarget; a: number; b: number }[] = [];
    const flush = async () => {
      const jobs = pending;
      pending = [];
      await inLanes(jobs, lanes, async ({ t, a, b }, conn) => {
        const pre = await ensurePrepass(t);
        // File-level warnings ride on the shard that starts the file: committed exactly once.
        const warnings: StoreWarning[] = a === 0 ? prepassOutcome(t.label, pre, ctx.onError) : [];
        const sql = okSelect(t, paramList, ctx.collectedAt, chunkFilter(a, b, BAD_WHY, pre));
        const shard = await writer.writeSelect(
          sql,
          [rangeKey(`views:${t.dir}:rows:`, a, b)],
          { warnings },
          conn,
        );
        ctx.progress.shard(shard?.rows ?? 0);
      });
    };
    try {
      await writePlan();
    } finally {
      for (const extra of lanes.slice(1)) extra.closeSync();
    }

    async function writePlan(): Promise<void> {
      for (const step of plan) {
        const { t, range } = step;
        if (range === null) {
          await flush();
          const shard = await absentUnit(ctx, writer, t, spec, paramList, async () => ensurePrepass(t));
          if (shard) ctx.progress.shard(shard.rows);
          continue;
        }
        const done = committedRanges(writer.committedInputs, `views:${t.dir}:rows:`);
        const gaps = uncovered(range[0], range[1], done);
        // Fail before writing anything from this file when a row is bad and we do not skip.
        if (gaps.length > 0) await ensurePrepass(t);
        for (const [a, b] of gaps) pending.push({ t, a, b });
      }
      await flush();
    }

    async function ensurePrepass(t: ViewTarget): Promise<Prepass> {
      let pre = prepasses.get(t.dir);
      if (!pre) {
        await fitMemory(ctx.duck, t.info!, ctx.progress, t.label);
        pre = await prepass(conn, t.info!.file, BAD_WHY, 'param_id', `drops_${prepasses.size}`, {
          screens: BAD_SCREENS,
          rows: t.info!.rows,
        });
        // Fail before writing anything from this file when a row is bad and we do not skip.
        prepassOutcome(t.label, pre, ctx.onError);
        prepasses.set(t.dir, pre);
      }
      return pre;
    }
  },
};

export type { StoreWriter };
