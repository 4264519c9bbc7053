// The simulations of a provenance store, indexed by task id: the only trustworthy link from an
// aggregation (whose result.json lists its input sims by task id) to a parameter set.
//
// Where the task id is: modelops' ProvenanceStore.put_sim writes a sim directory's metadata.json
// as {bundle_ref, entrypoint, params, seed, outputs, param_id, timestamp} and its result.json as
// {task_id, outputs, error?}; so the task id comes from result.json (metadata.json's own
// `task_id`, if a writer puts one there, is used when result.json has none). A sim with neither
// cannot be joined and is counted (the caller warns); nothing is derived by re-hashing parameters.
//
// The index lives in DuckDB, not in a JavaScript Map: a stress job has a million sims, and two
// 64-character ids per sim in the V8 heap was ~300 MB and grew with the job, whereas DuckDB keeps
// its tables within its memory limit and spills the rest to disk. `prov_sims(task keys, set_no,
// seed)` has one row per sim (keys: provenance-keys.ts); `prov_sets(set_no, param_id, vals)` one
// per run of consecutive sims of the same parameter set (the walk is sorted, so a set's seeds
// arrive together), which keeps each set's values once instead of once per replicate.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ParamType, ParamValue } from '../../../shared/schema.ts';
import { ident } from '../../../shared/sql.ts';
import { CollectError } from '../errors.ts';
import { jsonParamType, mergeParams } from '../param-types.ts';
import { appendTaskKey, TASK_KEY_COLUMNS } from './provenance-keys.ts';
import { PROV_TABLES as T } from './provenance-tables.ts';
import { mapAhead, walkFiles } from './provenance-walk.ts';

/** Sims read at once (two files each): enough to hide file-system latency, few enough to bound memory. */
const READ_AHEAD = 64;
/** Rows handed to DuckDB at a time, so appender buffers stay small. */
const FLUSH_EVERY = 8192;
const MAX_SEED = 2n ** 64n - 1n;

export interface SimStats {
  params: Map<string, ParamType>;
  withoutTaskId: number;
  sims: number;
}

interface Sim {
  file: string;
  paramId: string;
  taskId: string | null;
  seed: bigint | null;
  params: Record<string, ParamValue>;
}

async function readJson(file: string, optional = false): Promise<Record<string, unknown> | null> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    if (optional && (e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new CollectError(
      file,
      null,
      `not readable (${(e as Error).message})`,
      'Re-copy the provenance store',
    );
  }
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new CollectError(
      file,
      null,
      `not readable JSON (${(e as Error).message})`,
      'Re-copy the provenance store',
    );
  }
}

function seedOf(file: string, seed: unknown): bigint | null {
  if (typeof seed !== 'number' && typeof seed !== 'string') return null;
  let v: bigint | null = null;
  try {
    v = BigInt(seed);
  } catch {}
  if (v === null || v < 0n || v > MAX_SEED) {
    throw new CollectError(
      file,
      null,
      `seed ${JSON.stringify(seed)} is not an unsigned 64-bit integer`,
      'Re-copy the provenance store',
    );
  }
  return v;
}

/** One sim: metadata.json, and the task id from result.json (as modelops writes it), else metadata.json's. */
async function readSim(file: string): Promise<Sim> {
  const [meta, result] = await Promise.all([
    readJson(file),
    readJson(path.join(path.dirname(file), 'result.json'), true),
  ]);
  const raw = meta ?? {};
  const paramId = raw.param_id;
  if (typeof paramId !== 'string' || paramId === '') {
    throw new CollectError(file, null, 'sim metadata without param_id', 'Re-copy the provenance store');
  }
  let taskId: string | null = null;
  for (const id of [result?.task_id, raw.task_id]) {
    if (taskId === null && typeof id === 'string' && id !== '') taskId = id;
  }
  const params = (typeof raw.params === 'object' && raw.params !== null ? raw.params : {}) as Sim['params'];
  return { file, paramId, taskId, seed: seedOf(file, raw.seed), params };
}

/**
 * A set's values as JSON of strings, each as the store writer turned a JS value into VARCHAR
 * (String(v); a nested object as JSON); DuckDB casts them to the store's types once those are
 * known (all sims read), so a DOUBLE is parsed back from JavaScript's shortest round-trip text.
 */
function valuesJson(params: Record<string, ParamValue>): string {
  const out: Record<string, string> = {};
  for (const [n, v] of Object.entries(params)) {
    if (v !== null && v !== undefined) out[n] = typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
  return JSON.stringify(out);
}

export async function stageSims(conn: DuckDBConnection, simsDir: string): Promise<SimStats> {
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE ${ident(T.sims)} (${TASK_KEY_COLUMNS}, set_no INTEGER, seed UBIGINT)`,
  );
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE ${ident(T.sets)} (set_no INTEGER, param_id VARCHAR, vals VARCHAR)`,
  );
  const stats: SimStats = { params: new Map(), withoutTaskId: 0, sims: 0 };
  const simRows = await conn.createAppender(T.sims);
  const setRows = await conn.createAppender(T.sets);
  let lastParamId: string | null = null;
  let setNo = -1;
  try {
    for await (const sim of mapAhead(walkFiles(simsDir, 'metadata.json'), READ_AHEAD, readSim)) {
      if (sim.taskId === null) {
        stats.withoutTaskId++;
        continue;
      }
      if (sim.paramId !== lastParamId) {
        lastParamId = sim.paramId;
        setRows.appendInteger(++setNo);
        setRows.appendVarchar(sim.paramId);
        setRows.appendVarchar(valuesJson(sim.params));
        setRows.endRow();
        for (const [n, v] of Object.entries(sim.params)) {
          const t = jsonParamType(v);
          if (t) mergeParams(stats.params, n, t);
        }
      }
      appendTaskKey(simRows, sim.taskId);
      simRows.appendInteger(setNo);
      if (sim.seed === null) simRows.appendNull();
      else simRows.appendUBigInt(sim.seed);
      simRows.endRow();
      if (++stats.sims % FLUSH_EVERY === 0) {
        simRows.flushSync();
        setRows.flushSync();
      }
    }
    simRows.flushSync();
    setRows.flushSync();
  } finally {
    simRows.closeSync();
    setRows.closeSync();
  }
  return stats;
}
