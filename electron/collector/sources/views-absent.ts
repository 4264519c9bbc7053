// The rows a job view does not hold: parameter sets of the job spec with no row in a target's
// data.parquet. The view keeps no status column, so manifest.json decides: where it counts
// failures for the target they are `failed`, otherwise `missing`. The same unit checks the view's
// counts against manifest.json and records any disagreement as a warning.
import type { ShardEntry, StoreWarning } from '../../../shared/manifest.ts';
import type { ParamSpec } from '../../../shared/schema.ts';
import { ident, literal, str } from '../../../shared/sql.ts';
import { paramSelect } from '../param-types.ts';
import type { Prepass } from '../parquet-chunks.ts';
import { scan } from '../parquet-chunks.ts';
import type { StoreWriter } from '../store-writer.ts';
import type { JobSpec } from './job-spec.ts';
import type { SourceContext } from './types.ts';
import type { ViewTarget } from './views-layout.ts';

const FAILED_MESSAGE = 'aggregation failed (counted in manifest.json; the job view keeps no error detail)';

function warn(code: string, message: string, example: string): StoreWarning {
  return { code, message, count: 1, examples: [example] };
}

export async function absentUnit(
  ctx: SourceContext,
  writer: StoreWriter,
  t: ViewTarget,
  spec: JobSpec | null,
  params: readonly ParamSpec[],
  getPrepass: () => Promise<Prepass>,
): Promise<ShardEntry | null> {
  const key = `views:${t.dir}:absent`;
  if (writer.committedInputs.has(key)) return null;
  const pre = t.info ? await getPrepass() : null;
  const validRows = t.info && pre ? t.info.rows - pre.badCount - pre.dupCount : 0;
  const mFailed = t.manifest?.failed ?? 0;
  const warnings: StoreWarning[] = [];
  if (t.manifest?.rows != null && t.manifest.rows !== validRows) {
    warnings.push(
      warn(
        'count_mismatch',
        'counts collected differ from the job manifest.json',
        `${t.dir}: manifest.json says ${t.manifest.rows} rows, ${t.info ? 'data.parquet has' : 'no data.parquet, so'} ${validRows} valid rows`,
      ),
    );
  }
  if (!spec) {
    if (mFailed > 0) {
      warnings.push(
        warn(
          'failures_not_listed',
          'failed aggregations have no rows without a job spec: pass --job-spec JOB.json to list them',
          `${t.dir}: ${mFailed} failures in manifest.json${t.info ? '' : ', no data.parquet'}`,
        ),
      );
    }
    return writer.writeSelect(emptySelect(params), [key], { warnings });
  }
  const status = mFailed > 0 ? 'failed' : 'missing';
  const present = t.info
    ? `WHERE s.param_id NOT IN (SELECT param_id FROM ${scan(t.info.file)} WHERE param_id IS NOT NULL AND isfinite(loss))`
    : '';
  const counted = await ctx.duck.conn.runAndReadAll(
    `SELECT count(*)::BIGINT AS n FROM spec_sets s ${present}`,
  );
  const absent = Number(counted.getRowObjectsJS()[0]?.n ?? 0);
  if (status === 'failed' && absent !== mFailed) {
    warnings.push(
      warn(
        'count_mismatch',
        'counts collected differ from the job manifest.json',
        `${t.dir}: manifest.json counts ${mFailed} failures, the job spec has ${absent} parameter sets without a row (all marked failed)`,
      ),
    );
  }
  const all = new Set(params.map((p) => `param_${p.name}`));
  const sql = `SELECT ${str(ctx.jobId ?? spec.jobId ?? '')} AS job_id, s.param_id, ${str(t.id)} AS target,
      ${str(t.entrypoint)} AS target_entrypoint, ${str(status)} AS status, NULL::DOUBLE AS loss,
      NULL::INTEGER AS n_replicates, s.seeds, ${[...paramSelect(params, all, 's.'), ''].join(', ')}
      NULL::VARCHAR AS diagnostics, false AS diagnostics_truncated, NULL::VARCHAR AS error_type,
      ${status === 'failed' ? str(FAILED_MESSAGE) : 'NULL::VARCHAR'} AS error_message,
      ${literal(ctx.collectedAt)} AS collected_at
    FROM spec_sets s ${present}`;
  return writer.writeSelect(sql, [key], { warnings });
}

/** A typed empty relation: the unit is recorded as done even when it has no rows. */
function emptySelect(params: readonly ParamSpec[]): string {
  return `SELECT NULL::VARCHAR AS job_id, NULL::VARCHAR AS param_id, NULL::VARCHAR AS target,
      NULL::VARCHAR AS target_entrypoint, NULL::VARCHAR AS status, NULL::DOUBLE AS loss,
      NULL::INTEGER AS n_replicates, NULL::UBIGINT[] AS seeds,
      ${[...params.map((p) => `NULL::${p.type} AS ${ident(`param_${p.name}`)}`), ''].join(', ')}
      NULL::VARCHAR AS diagnostics, NULL::BOOLEAN AS diagnostics_truncated, NULL::VARCHAR AS error_type,
      NULL::VARCHAR AS error_message, NULL::TIMESTAMP AS collected_at LIMIT 0`;
}
