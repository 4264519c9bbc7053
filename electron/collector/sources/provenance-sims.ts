// The simulations of a provenance store, indexed by task id: the only trustworthy link from an
// aggregation (whose result.json lists its input sims by task id) to a parameter set.
//
// Where the task id is: modelops' ProvenanceStore.put_sim writes a sim directory's metadata.json
// as {bundle_ref, entrypoint, params, seed, outputs, param_id, timestamp} and its result.json as
// {task_id, outputs, error?}; so the task id comes from result.json (metadata.json's own
// `task_id`, if a writer puts one there, is used when result.json has none). A sim with neither
// cannot be joined and is counted (the caller warns); nothing is derived by re-hashing parameters.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ParamType, ParamValue } from '../../../shared/schema.ts';
import { CollectError } from '../errors.ts';
import { jsonParamType, mergeParams } from '../param-types.ts';

export interface SimRef {
  paramId: string;
  seed: bigint | null;
}

export interface SimIndex {
  byTask: Map<string, SimRef>;
  /** Parameter values once per parameter set (replicates share them). */
  values: Map<string, Record<string, ParamValue>>;
  params: Map<string, ParamType>;
  withoutTaskId: number;
}

/** Every `name` file under dir, depth first, in sorted order, without listing the tree at once. */
export async function* walkFiles(dir: string, name: string): AsyncGenerator<string> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* walkFiles(p, name);
    else if (e.isFile() && e.name === name) yield p;
  }
}

interface RawSim {
  task_id?: unknown;
  param_id?: unknown;
  params?: unknown;
  seed?: unknown;
}

async function readJson(file: string): Promise<Record<string, unknown>> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new CollectError(
      file,
      null,
      `not readable JSON (${(e as Error).message})`,
      'Re-copy the provenance store',
    );
  }
}

/** The sim's task id: result.json's (as modelops writes it), else metadata.json's, else null. */
async function simTaskId(metadataFile: string, raw: RawSim): Promise<string | null> {
  const resultFile = path.join(path.dirname(metadataFile), 'result.json');
  const hasResult = await fs.stat(resultFile).then(
    () => true,
    () => false,
  );
  const fromResult = hasResult ? (await readJson(resultFile)).task_id : undefined;
  for (const id of [fromResult, raw.task_id]) if (typeof id === 'string' && id !== '') return id;
  return null;
}

export async function readSims(simsDir: string): Promise<SimIndex> {
  const index: SimIndex = { byTask: new Map(), values: new Map(), params: new Map(), withoutTaskId: 0 };
  for await (const file of walkFiles(simsDir, 'metadata.json')) {
    const raw = (await readJson(file)) as RawSim;
    if (typeof raw.param_id !== 'string' || raw.param_id === '') {
      throw new CollectError(file, null, 'sim metadata without param_id', 'Re-copy the provenance store');
    }
    const taskId = await simTaskId(file, raw);
    if (taskId === null) {
      index.withoutTaskId++;
      continue;
    }
    const seed = typeof raw.seed === 'number' || typeof raw.seed === 'string' ? BigInt(raw.seed) : null;
    index.byTask.set(taskId, { paramId: raw.param_id, seed });
    if (!index.values.has(raw.param_id)) {
      const values = (typeof raw.params === 'object' && raw.params !== null ? raw.params : {}) as Record<
        string,
        ParamValue
      >;
      index.values.set(raw.param_id, values);
      for (const [n, v] of Object.entries(values)) {
        const t = jsonParamType(v);
        if (t) mergeParams(index.params, n, t);
      }
    }
  }
  return index;
}
