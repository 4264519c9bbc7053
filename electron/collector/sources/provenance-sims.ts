// The simulations of a provenance store, indexed by task id: the only trustworthy link from an
// aggregation (whose result.json lists its input sims by task id) to a parameter set.
//
// Assumption (MODELOPS-FORMATS §3 names no field for it): each sim's metadata.json carries its
// `task_id` next to `param_id`, `params` and `seed`. A sim without one cannot be joined and is
// counted (the caller warns); nothing is ever derived by re-hashing parameters.
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

export async function readSims(simsDir: string): Promise<SimIndex> {
  const index: SimIndex = { byTask: new Map(), values: new Map(), params: new Map(), withoutTaskId: 0 };
  for await (const file of walkFiles(simsDir, 'metadata.json')) {
    let raw: RawSim;
    try {
      raw = JSON.parse(await fs.readFile(file, 'utf8')) as RawSim;
    } catch (e) {
      throw new CollectError(
        file,
        null,
        `not readable JSON (${(e as Error).message})`,
        'Re-copy the provenance store',
      );
    }
    if (typeof raw.param_id !== 'string' || raw.param_id === '') {
      throw new CollectError(file, null, 'sim metadata without param_id', 'Re-copy the provenance store');
    }
    if (typeof raw.task_id !== 'string' || raw.task_id === '') {
      index.withoutTaskId++;
      continue;
    }
    const seed = typeof raw.seed === 'number' || typeof raw.seed === 'string' ? BigInt(raw.seed) : null;
    index.byTask.set(raw.task_id, { paramId: raw.param_id, seed });
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
