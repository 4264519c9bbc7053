// The job specification (JOB.json): which parameter sets *should* exist. One task per replicate,
// so tasks are grouped by param_id with their seeds. Newer specs list `tasks`, older ones
// `batches[].tasks`. Staged into a DuckDB table so absent sets are found by an anti-join.
// Read as a token stream, one task at a time: stress specs reach 1M tasks (300–600 MB), more
// than JSON.parse can hold (or V8 can make a string of); only the distinct sets are kept.
import type { DuckDBConnection } from '@duckdb/node-api';
import { none } from 'stream-chain/defs.js';
import { drain } from 'stream-chain/utils/drain.js';
import { pipe } from 'stream-chain/utils/pipe.js';
import { parseFile } from 'stream-json/file/parser.js';
import { verifyFile } from 'stream-json/file/verifier.js';
import { pick } from 'stream-json/filters/pick.js';
import type { Token } from 'stream-json/parser.js';
import { streamValues } from 'stream-json/streamers/stream-values.js';
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

const USE_SPEC = 'Pass the JOB.json the job was submitted with';
const COMPLETE = 'Check the job spec is complete';

// The parser's strings are slices of its 64 KB read blocks: a kept slice pins its whole block,
// so what a set keeps is copied out (structured clone makes fresh strings), else 100k sets keep
// the whole file in memory.
const unpin = <T>(v: T): T => structuredClone(v);

export async function readJobSpec(file: string): Promise<JobSpec> {
  const byId = new Map<string, SpecSet>();
  const params = new Map<string, ParamType>();
  let jobId: string | null = null;
  const lists = new Set<string>();
  let n = 0;

  // Called with the path of each value as the tokens pass (never inside a picked task): notes
  // the top-level job_id and which list the spec has, and picks the elements of that list.
  const isTask = (path: (string | number | null)[], token: Token): boolean => {
    const [top, i, key, j] = path;
    if (path.length === 1) {
      if (top === 'job_id') jobId = token.name === 'stringValue' ? unpin(token.value) : null;
      if ((top === 'tasks' || top === 'batches') && token.name === 'startArray') lists.add(top);
      if (lists.size > 1) {
        throw new CollectError(file, null, 'both a "tasks" and a "batches" list', USE_SPEC);
      }
      return false;
    }
    if (top === 'tasks') return path.length === 2 && typeof i === 'number';
    return top === 'batches' && path.length === 4 && key === 'tasks' && typeof j === 'number';
  };

  const addTask = ({ value }: { value: unknown }): typeof none => {
    const t = value as RawTask | null;
    const id = t?.params?.param_id;
    const where = `task ${n++}`;
    if (typeof id !== 'string' || id === '') {
      throw new CollectError(file, where, 'task without params.param_id', COMPLETE);
    }
    let set = byId.get(id);
    if (!set) {
      set = { paramId: unpin(id), seeds: [], values: unpin(t?.params?.values ?? {}) };
      byId.set(set.paramId, set);
      for (const [name, v] of Object.entries(set.values)) {
        const type = jsonParamType(v);
        if (type) mergeParams(params, name, type);
      }
    }
    const seed = t?.seed;
    if (typeof seed === 'number' || typeof seed === 'string') {
      try {
        set.seeds.push(BigInt(seed));
      } catch {
        throw new CollectError(file, where, `seed ${JSON.stringify(seed)} is not an integer`, COMPLETE);
      }
    }
    return none;
  };

  try {
    // Packed tokens only (no chunked strings/numbers): fewer tokens, and what the filter needs.
    const read = pipe(parseFile({ streamValues: false }), pick({ filter: isTask }), streamValues(), addTask);
    await drain(read(file));
  } catch (e) {
    if (e instanceof CollectError) throw e;
    // The parser does not say where; the verifier does (a second pass, only on failure).
    const where = await verifyFile(file).then(
      () => null,
      (v: { line?: unknown; pos?: unknown }) =>
        typeof v.line === 'number' ? `line ${v.line}, column ${v.pos}` : null,
    );
    throw new CollectError(
      file,
      where,
      `${where ? 'not valid JSON' : 'not a readable job spec'} (${(e as Error).message})`,
      USE_SPEC,
    );
  }
  if (lists.size === 0) {
    throw new CollectError(
      file,
      null,
      'no "tasks" or "batches[].tasks" list',
      'Pass the simulation job spec (jobs/simulation/JOB.json)',
    );
  }
  return { file, jobId, sets: [...byId.values()], params };
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
