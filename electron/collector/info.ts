// What `losslens info` shows: the manifest's counts plus, per target, ok/failed/missing and the
// best loss with its param_id. The best loss is queried over the shards the manifest lists (never
// a glob: an unlisted file may be a half-written temp or a retired shard).
import path from 'node:path';
import {
  deriveStatus,
  type Manifest,
  type PartitionProgress,
  partitionProgress,
  type ShardEntry,
} from '../../shared/manifest.ts';
import { str } from '../../shared/sql.ts';
import { readManifest } from '../store/manifest-io.ts';
import { type Duck, openDuck } from './duck.ts';
import {
  checkShardFiles,
  probeShards,
  SHARD_FIX,
  type ShardProblem,
  shardProblemMessage,
} from './shard-health.ts';

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
  partitions: PartitionProgress | null;
  /** Listed shards that are missing or unreadable: the rest is reported without them. */
  problems: ShardProblem[];
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
  const problems = await checkShardFiles(storeDir, manifest.shards);
  const bad = new Set(problems.map((p) => p.path));
  const readable = manifest.shards.filter((s) => s.rows > 0 && !bad.has(s.path));
  if (readable.length > 0) {
    const duck = await openDuck({ threads: 2 });
    try {
      let rows = await bestLosses(duck, storeDir, readable).catch(() => null);
      if (rows === null) {
        // Some file is unreadable past its trailer: find which, and report the rest without it.
        const found = await probeShards(duck.conn, storeDir, readable);
        problems.push(...found);
        const worse = new Set(found.map((p) => p.path));
        const rest = readable.filter((s) => !worse.has(s.path));
        rows = rest.length ? await bestLosses(duck, storeDir, rest) : [];
      }
      for (const row of rows) {
        const t = targets.get(row.target);
        if (!t) continue;
        t.best_loss = row.best;
        t.best_param_id = row.pid;
      }
    } finally {
      duck.close();
    }
  }
  return {
    store: path.resolve(storeDir),
    job_id: manifest.job_id,
    // Derived again, so a store written before partitions were recorded reads right too.
    status: deriveStatus(manifest.writers, manifest.status, manifest.partitions),
    source: manifest.source,
    counts: manifest.counts,
    shards: manifest.shards.length,
    bytes: manifest.shards.reduce((n, s) => n + s.bytes, 0),
    params: manifest.params,
    targets: [...targets.values()],
    warnings: manifest.warnings,
    writers: manifest.writers,
    partitions: partitionProgress(manifest),
    problems,
  };
}

async function bestLosses(
  duck: Duck,
  storeDir: string,
  shards: readonly ShardEntry[],
): Promise<{ target: string; best: number | null; pid: string | null }[]> {
  const files = shards.map((s) => str(path.join(storeDir, s.path)));
  // arg_min keeps the first param_id among equal losses deterministic enough for a summary.
  const r = await duck.conn.runAndReadAll(`
    SELECT target, min(loss) AS best, arg_min(param_id, loss) AS pid
    FROM read_parquet([${files.join(', ')}]) WHERE status = 'ok' GROUP BY target`);
  return r.getRowObjectsJS().map((row) => ({
    target: String(row.target),
    best: row.best === null ? null : Number(row.best),
    pid: row.pid === null ? null : String(row.pid),
  }));
}

function partitionLine(p: PartitionProgress | null): string[] {
  if (!p) return [];
  const missing = p.missing.length ? ` (missing: ${p.missing.map((k) => `${k}/${p.count}`).join(', ')})` : '';
  return [`partitions: ${p.done.length} of ${p.count} done${missing}`];
}

export function formatInfo(i: StoreInfo): string {
  const lines = [
    `store    ${i.store}`,
    `job      ${i.job_id} (${i.status}; from ${i.source.kind} ${i.source.path})`,
    `rows     ${i.counts.rows} (${i.counts.ok} ok, ${i.counts.failed} failed, ${i.counts.missing} missing) in ${i.shards} shards, ${(i.bytes / 1e6).toFixed(1)} MB`,
    ...partitionLine(i.partitions),
    `params   ${i.params.map((p) => `${p.name}:${p.type}`).join(', ') || '(none)'}`,
    'targets',
  ];
  for (const t of i.targets) {
    const best = t.best_loss === null ? 'no ok rows' : `best ${t.best_loss} (${t.best_param_id})`;
    lines.push(`  ${t.id}: ${t.ok} ok, ${t.failed} failed, ${t.missing} missing; ${best}`);
  }
  if (i.problems.length > 0) {
    const rows = i.problems.reduce((n, p) => n + p.rows, 0);
    lines.push(
      `damaged  ${i.problems.length} of ${i.shards} shards cannot be read (${rows} rows); counts above include them, best losses do not`,
    );
    for (const p of i.problems) lines.push(`           ${shardProblemMessage(p)}`);
    lines.push(`           to fix: ${SHARD_FIX}`);
  }
  for (const w of i.warnings) {
    lines.push(`warning  ${w.code} ×${w.count}: ${w.message}`);
    for (const e of w.examples) lines.push(`           e.g. ${e}`);
  }
  return `${lines.join('\n')}\n`;
}
