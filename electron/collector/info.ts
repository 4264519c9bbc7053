// What `losslens info` shows: the manifest's counts plus, per target, ok/failed/missing and the
// best loss with its param_id. The best loss is queried over the shards the manifest lists (never
// a glob: an unlisted file may be a half-written temp or a retired shard).
import path from 'node:path';
import type { Manifest } from '../../shared/manifest.ts';
import { str } from '../../shared/sql.ts';
import { readManifest } from '../store/manifest-io.ts';
import { openDuck } from './duck.ts';

export interface TargetInfo {
  id: string;
  entrypoint: string;
  rows: number;
  ok: number;
  failed: number;
  missing: number;
  best_loss: number | null;
  best_param_id: string | null;
}

export interface StoreInfo {
  store: string;
  job_id: string;
  status: Manifest['status'];
  source: Manifest['source'];
  counts: Manifest['counts'];
  shards: number;
  bytes: number;
  params: Manifest['params'];
  targets: TargetInfo[];
  warnings: Manifest['warnings'];
  writers: Manifest['writers'];
}

function emptyTarget(id: string, entrypoint: string): TargetInfo {
  return { id, entrypoint, rows: 0, ok: 0, failed: 0, missing: 0, best_loss: null, best_param_id: null };
}

export async function storeInfo(storeDir: string): Promise<StoreInfo> {
  const manifest = await readManifest(storeDir);
  const targets = new Map<string, TargetInfo>();
  for (const t of manifest.targets) {
    targets.set(t.id, emptyTarget(t.id, t.entrypoint));
  }
  for (const s of manifest.shards) {
    for (const [id, st] of Object.entries(s.targets)) {
      const t = targets.get(id) ?? emptyTarget(id, id);
      t.rows += st.rows;
      t.ok += st.ok;
      t.failed += st.failed;
      t.missing += st.missing;
      targets.set(id, t);
    }
  }
  const files = manifest.shards.filter((s) => s.rows > 0).map((s) => str(path.join(storeDir, s.path)));
  if (files.length > 0) {
    const duck = await openDuck({ threads: 2 });
    try {
      // arg_min keeps the first param_id among equal losses deterministic enough for a summary.
      const r = await duck.conn.runAndReadAll(`
        SELECT target, min(loss) AS best, arg_min(param_id, loss) AS pid
        FROM read_parquet([${files.join(', ')}]) WHERE status = 'ok' GROUP BY target`);
      for (const row of r.getRowObjectsJS()) {
        const t = targets.get(String(row.target));
        if (!t) continue;
        t.best_loss = row.best === null ? null : Number(row.best);
        t.best_param_id = row.pid === null ? null : String(row.pid);
      }
    } finally {
      duck.close();
    }
  }
  return {
    store: path.resolve(storeDir),
    job_id: manifest.job_id,
    status: manifest.status,
    source: manifest.source,
    counts: manifest.counts,
    shards: manifest.shards.length,
    bytes: manifest.shards.reduce((n, s) => n + s.bytes, 0),
    params: manifest.params,
    targets: [...targets.values()],
    warnings: manifest.warnings,
    writers: manifest.writers,
  };
}

export function formatInfo(i: StoreInfo): string {
  const lines = [
    `store    ${i.store}`,
    `job      ${i.job_id} (${i.status}; from ${i.source.kind} ${i.source.path})`,
    `rows     ${i.counts.rows} (${i.counts.ok} ok, ${i.counts.failed} failed, ${i.counts.missing} missing) in ${i.shards} shards, ${(i.bytes / 1e6).toFixed(1)} MB`,
    `params   ${i.params.map((p) => `${p.name}:${p.type}`).join(', ') || '(none)'}`,
    'targets',
  ];
  for (const t of i.targets) {
    const best = t.best_loss === null ? 'no ok rows' : `best ${t.best_loss} (${t.best_param_id})`;
    lines.push(`  ${t.id}: ${t.ok} ok, ${t.failed} failed, ${t.missing} missing; ${best}`);
  }
  for (const w of i.warnings) {
    lines.push(`warning  ${w.code} ×${w.count}: ${w.message}`);
    for (const e of w.examples) lines.push(`           e.g. ${e}`);
  }
  return `${lines.join('\n')}\n`;
}
