// A downloaded modelops job view: manifest.json plus targets/<target-dir>/data.parquet. The
// directory name is the target's registered name (colons are legal); a target whose aggregation
// failed everywhere has a directory (or only a manifest entry) and no data.parquet.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { PARAM_PREFIX, type ParamType, shortTargetId } from '../../../shared/schema.ts';
import { CollectError } from '../errors.ts';
import { mergeParams, storeParamType } from '../param-types.ts';
import { type ParquetInfo, parquetInfo } from '../parquet-chunks.ts';

export interface ManifestTarget {
  rows: number | null;
  failed: number | null;
}

export interface ViewTarget {
  dir: string;
  id: string;
  entrypoint: string;
  /** Relative path for messages and input keys, e.g. `targets/a:b/data.parquet`. */
  label: string;
  info: ParquetInfo | null;
  manifest: ManifestTarget | null;
}

export interface ViewLayout {
  root: string;
  jobId: string;
  targets: ViewTarget[];
  params: Map<string, ParamType>;
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

export async function readViewLayout(conn: DuckDBConnection, root: string): Promise<ViewLayout> {
  const mfile = path.join(root, 'manifest.json');
  let manifest: { job_id?: unknown; targets?: Record<string, Record<string, unknown>> };
  try {
    manifest = JSON.parse(await fs.readFile(mfile, 'utf8'));
  } catch (e) {
    throw new CollectError(
      mfile,
      null,
      `unreadable job manifest (${(e as Error).message})`,
      'Re-download the job view',
    );
  }
  const dirs = new Set(Object.keys(manifest.targets ?? {}));
  const tdir = path.join(root, 'targets');
  for (const d of await fs.readdir(tdir, { withFileTypes: true }).catch(() => [])) {
    if (d.isDirectory()) dirs.add(d.name);
  }
  const params = new Map<string, ParamType>();
  const targets: ViewTarget[] = [];
  for (const dir of [...dirs].sort()) {
    const file = path.join(tdir, dir, 'data.parquet');
    const exists = await fs.stat(file).then(
      (s) => s.isFile(),
      () => false,
    );
    const info = exists ? await parquetInfo(conn, file) : null;
    for (const [col, type] of info?.columns ?? []) {
      if (col.startsWith(PARAM_PREFIX) && col !== 'param_id')
        mergeParams(params, col.slice(PARAM_PREFIX.length), storeParamType(type));
    }
    const m = manifest.targets?.[dir];
    targets.push({
      dir,
      id: shortTargetId(dir),
      entrypoint: dir,
      label: `targets/${dir}/data.parquet`,
      info,
      manifest: m ? { rows: num(m.rows), failed: num(m.failed) } : null,
    });
  }
  if (targets.length === 0) {
    throw new CollectError(root, null, 'job view without targets', 'Expected targets/<target>/data.parquet');
  }
  const jobId = typeof manifest.job_id === 'string' ? manifest.job_id : path.basename(root);
  return { root, jobId, targets, params };
}
