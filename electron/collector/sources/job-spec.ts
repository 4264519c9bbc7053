// The job specification (JOB.json): which parameter sets *should* exist. One task per replicate,
// so tasks are grouped by param_id with their seeds. Newer specs list `tasks`, older ones
// `batches[].tasks`. Staged into a DuckDB table so absent sets are found by an anti-join.
import { promises as fs } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ParamSpec, ParamType, ParamValue } from '../../../shared/schema.ts';
import { ident } from '../../../shared/sql.ts';
import { CollectError } from '../errors.ts';
import { jsonParamType, mergeParams } from '../param-types.ts';

export interface SpecSet {
  paramId: string;
  seeds: bigint[];
  values: Record<string, ParamValue>;
}

export interface JobSpec {
  file: string;
  jobId: string | null;
  sets: SpecSet[];
  params: Map<string, ParamType>;
}

interface RawTask {
  params?: { param_id?: unknown; values?: Record<string, ParamValue> };
  seed?: unknown;
}

export async function readJobSpec(file: string): Promise<JobSpec> {
  let raw: { job_id?: unknown; tasks?: RawTask[]; batches?: { tasks?: RawTask[] }[] };
  try {
    raw = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (e) {
    throw new CollectError(
      file,
      null,
      `not a readable job spec (${(e as Error).message})`,
      'Pass the JOB.json the job was submitted with',
    );
  }
  const tasks = raw.tasks ?? raw.batches?.flatMap((b) => b.tasks ?? []);
  if (!Array.isArray(tasks)) {
    throw new CollectError(
      file,
      null,
      'no "tasks" or "batches[].tasks" list',
      'Pass the simulation job spec (jobs/simulation/JOB.json)',
    );
  }
  const byId = new Map<string, SpecSet>();
  const params = new Map<string, ParamType>();
  tasks.forEach((t, i) => {
    const id = t.params?.param_id;
    if (typeof id !== 'string' || id === '') {
      throw new CollectError(
        file,
        `task ${i}`,
        'task without params.param_id',
        'Check the job spec is complete',
      );
    }
    let set = byId.get(id);
    if (!set) {
      set = { paramId: id, seeds: [], values: t.params?.values ?? {} };
      byId.set(id, set);
      for (const [name, v] of Object.entries(set.values)) {
        const type = jsonParamType(v);
        if (type) mergeParams(params, name, type);
      }
    }
    if (typeof t.seed === 'number' || typeof t.seed === 'string') set.seeds.push(BigInt(t.seed));
  });
  return {
    file,
    jobId: typeof raw.job_id === 'string' ? raw.job_id : null,
    sets: [...byId.values()],
    params,
  };
}

/** `spec_sets(param_id, seeds UBIGINT[], param_<name>...)` typed like the store. */
export async function stageJobSpec(
  conn: DuckDBConnection,
  spec: JobSpec,
  params: readonly ParamSpec[],
  table: string,
): Promise<void> {
  const cols = params.map((p) => `${ident(`param_${p.name}`)} ${p.type}`);
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE ${ident(`${table}_raw`)} (param_id VARCHAR, seeds VARCHAR${cols.map((c) => `, ${c}`).join('')})`,
  );
  const a = await conn.createAppender(`${table}_raw`);
  try {
    for (const s of spec.sets) {
      a.appendVarchar(s.paramId);
      a.appendVarchar(s.seeds.join(','));
      for (const p of params) {
        const v = s.values[p.name];
        if (v === null || v === undefined) a.appendNull();
        else if (p.type === 'DOUBLE') a.appendDouble(Number(v));
        else if (p.type === 'BIGINT') a.appendBigInt(BigInt(Math.trunc(Number(v))));
        else if (p.type === 'BOOLEAN') a.appendBoolean(Boolean(v));
        else a.appendVarchar(typeof v === 'string' ? v : JSON.stringify(v));
      }
      a.endRow();
    }
    a.flushSync();
  } finally {
    a.closeSync();
  }
  await conn.run(`CREATE OR REPLACE TEMP TABLE ${ident(table)} AS SELECT * REPLACE (
      CASE WHEN seeds = '' THEN []::UBIGINT[] ELSE string_split(seeds, ',')::UBIGINT[] END AS seeds)
    FROM ${ident(`${table}_raw`)}`);
  await conn.run(`DROP TABLE ${ident(`${table}_raw`)}`);
}
