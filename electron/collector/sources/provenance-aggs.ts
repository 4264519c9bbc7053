// One aggregation directory (`agg_<id>/` with metadata.json and, once done, result.json) becoming
// one store row. result.json carries no param_id: the row's parameter set is the one its input
// sims belong to, found by a join on task id in DuckDB (provenance-join.ts), so what is read here
// is everything but the parameter set. metadata.json's `param_id` is a task-id prefix and is
// never used as a parameter id.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { capDiagnostics } from '../../../shared/schema.ts';

/** An aggregation as read, before its input sims are looked up. */
export interface AggRead {
  taskIds: string[];
  failed: { type: string; message: string } | null;
  loss: number | null;
  nReplicates: number;
  diagnostics: string | null;
  diagnosticsTruncated: boolean;
  /** A non-finite loss on an ok row: reported only if the inputs join (their problem is named first). */
  lossBad: string | null;
}

/** A row to be, a bad aggregation, or nothing yet (still running); with the file to blame. */
export type AggOutcome = { agg: AggRead; file: string } | { bad: string; file: string } | { pending: true };

interface RawError {
  type?: unknown;
  message?: unknown;
}

interface RawResult {
  aggregation_id?: unknown;
  loss?: unknown;
  diagnostics?: unknown;
  n_replicates?: unknown;
  inputs?: unknown;
  error?: unknown;
  exception?: unknown;
  status?: unknown;
}

async function readJson(file: string): Promise<{ value: RawResult } | { missing: true } | { bad: string }> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { missing: true };
    throw e;
  }
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return { bad: 'not a JSON object' };
    return { value: value as RawResult };
  } catch (e) {
    return { bad: `bad JSON (${(e as Error).message})` };
  }
}

/** `error`/`exception` as a string ("KeyError: ...") or an object {type, message}. */
function failure(r: RawResult): { type: string; message: string } | null {
  const e = r.error ?? r.exception ?? null;
  if (e === null || e === undefined || e === false) {
    return r.status === 'failed' || r.status === 'error' ? { type: 'Error', message: '' } : null;
  }
  if (typeof e === 'string') {
    const m = /^([A-Za-z_][\w.]*)(?::\s*([\s\S]*))?$/.exec(e);
    return m ? { type: m[1]!, message: m[2] ?? '' } : { type: 'Error', message: e };
  }
  if (typeof e === 'object') {
    const o = e as RawError;
    return { type: String(o.type ?? 'Error'), message: String(o.message ?? '') };
  }
  return { type: 'Error', message: String(e) };
}

function inputTaskIds(r: RawResult): string[] {
  if (!Array.isArray(r.inputs)) return [];
  const ids: string[] = [];
  for (const i of r.inputs as { type?: unknown; task_id?: unknown }[]) {
    if (i && (i.type === undefined || i.type === 'sim') && typeof i.task_id === 'string') ids.push(i.task_id);
  }
  return ids;
}

export async function readAgg(dir: string): Promise<AggOutcome> {
  const resultFile = path.join(dir, 'result.json');
  let res = await readJson(resultFile);
  let blame = resultFile;
  if ('missing' in res) {
    // No result: failed only when the metadata says so; otherwise the aggregation is still running.
    const metaFile = path.join(dir, 'metadata.json');
    const meta = await readJson(metaFile);
    if (!('value' in meta) || !failure(meta.value)) return { pending: true };
    res = meta;
    blame = metaFile;
  }
  if ('bad' in res) return { bad: res.bad, file: blame };
  const r = res.value;
  const failed = failure(r);
  const taskIds = inputTaskIds(r);
  if (taskIds.length === 0) return { bad: 'no inputs of type "sim" with a task_id to join on', file: blame };
  const finite = typeof r.loss === 'number' && Number.isFinite(r.loss);
  const diag = capDiagnostics(
    r.diagnostics === undefined || r.diagnostics === null ? null : JSON.stringify(r.diagnostics),
  );
  return {
    file: blame,
    agg: {
      taskIds,
      failed,
      loss: failed || !finite ? null : (r.loss as number),
      nReplicates: typeof r.n_replicates === 'number' ? Math.trunc(r.n_replicates) : taskIds.length,
      diagnostics: diag.text,
      diagnosticsTruncated: diag.truncated,
      lossBad: failed || finite ? null : `non-finite loss ${JSON.stringify(r.loss ?? null)} on an ok row`,
    },
  };
}
