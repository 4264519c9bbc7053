// Writes an export with native DuckDB: `COPY (query) TO` a temp file beside the destination, then
// fsync + rename into place (store/atomic.ts), so the destination is the whole export or nothing,
// whatever kills the process. A CSV/JSON sidecar carrying the provenance is committed first, so a
// file at the destination always has its provenance beside it.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Manifest } from '../../shared/manifest.ts';
import { parseManifest } from '../../shared/manifest.ts';
import { str } from '../../shared/sql.ts';
import { openDuck } from '../collector/duck.ts';
import { commitRename, tempPathFor, writeFileAtomic } from '../store/atomic.ts';
import { lossesSelect } from '../store/losses-view.ts';
import { manifestPath } from '../store/manifest-io.ts';
import { planExport } from './export-plan.ts';
import { kvMetadataSql, makeProvenance, type Provenance } from './export-provenance.ts';
import { ExportError, type ExportFormat, type ExportSpec, formatOf, sidecarPath } from './export-spec.ts';
import { checkDestination, explainWriteError, removeStaleTemps } from './export-target.ts';

export interface ExportProgress {
  /** 0…1 as DuckDB estimates it, null before it knows. */
  fraction: number | null;
}

export interface ExportResult {
  out: string;
  format: ExportFormat;
  rows: number;
  bytes: number;
  /** The sidecar, for CSV and JSON. */
  sidecar: string | null;
  provenance: Provenance;
}

async function readStore(dir: string): Promise<{ root: string; manifest: Manifest; digest: string }> {
  let root: string;
  try {
    root = await fs.realpath(path.resolve(dir));
  } catch {
    throw new ExportError('STORE', `${dir}: no such folder`);
  }
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(manifestPath(root));
  } catch {
    throw new ExportError('STORE', `${dir} is not a Losslens store: store.json is missing`);
  }
  const manifest = parseManifest(bytes.toString('utf8'), manifestPath(root));
  return { root, manifest, digest: createHash('sha256').update(bytes).digest('hex') };
}

function lossesView(root: string, manifest: Manifest): string {
  const files = manifest.shards.filter((s) => s.rows > 0).map((s) => path.join(root, s.path));
  return `CREATE VIEW losses AS ${lossesSelect(files, manifest.params)}`;
}

/** USE_TMP_FILE false: the temp file is ours already (DuckDB's own `tmp_` file would be left on failure). */
function copyOptions(format: ExportFormat, provenance: Provenance): string {
  const own = 'USE_TMP_FILE false';
  if (format === 'parquet') return `FORMAT parquet, COMPRESSION zstd, ${own}, ${kvMetadataSql(provenance)}`;
  if (format === 'csv') return `FORMAT csv, HEADER true, ${own}`;
  return `FORMAT json, ARRAY true, ${own}`;
}

/**
 * A quarter of the machine's memory (at least 512 MB): an export is short and user-started, and a
 * sort of 1M wide rows under the collector's 128 MB spills most of its input (measured: 1.34× of
 * DuckDB's own COPY at 512 MB under load; see bench/export.ts).
 */
function exportMemory(): string {
  return `${Math.max(512, Math.floor(os.totalmem() / 4 / 2 ** 20))}MiB`;
}

export async function runExport(
  spec: ExportSpec,
  onProgress: (p: ExportProgress) => void = () => {},
  progressMs = 200,
): Promise<ExportResult> {
  const format = formatOf(spec.out, spec.format);
  const { root, manifest, digest } = await readStore(spec.store);
  const out = await checkDestination(spec.out, root);
  await removeStaleTemps(out);
  const duck = await openDuck({ memoryLimit: process.env.LOSSLENS_EXPORT_MEMORY ?? exportMemory() });
  const temp = tempPathFor(out);
  try {
    await duck.conn.run(lossesView(root, manifest));
    const plan = await planExport(duck.conn, manifest, spec);
    const described = await duck.conn.runAndReadAll(`DESCRIBE ${plan.sql}`);
    const columns = described.getRowObjectsJS().map((r) => String(r.column_name));
    const provenance = makeProvenance({
      store: root,
      job_id: manifest.job_id,
      manifest_sha256: digest,
      kind: spec.kind,
      format,
      filter_sql: plan.filterSql,
      sort_sql: plan.sortSql,
      filter: JSON.stringify(spec.filter),
      sort: JSON.stringify(spec.sort),
      combined_loss: plan.combined,
      columns: columns.join(','),
      query: plan.sql.replace(/\s+/g, ' ').trim(),
    });
    await fs.writeFile(temp, '', { flag: 'wx' }).catch((e: unknown) => {
      throw explainWriteError(e, out);
    });
    const rows = await copyWithProgress(
      duck.conn,
      plan.sql,
      temp,
      copyOptions(format, provenance),
      onProgress,
      progressMs,
    );
    const sidecar = format === 'parquet' ? null : sidecarPath(out);
    if (sidecar)
      await writeFileAtomic(sidecar, `${JSON.stringify(provenance, null, 2)}\n`).catch((e: unknown) => {
        throw explainWriteError(e, sidecar);
      });
    await commitRename(temp, out).catch((e: unknown) => {
      throw explainWriteError(e, out);
    });
    const { size } = await fs.stat(out);
    return { out, format, rows, bytes: size, sidecar, provenance };
  } catch (e) {
    await fs.rm(temp, { force: true });
    throw e instanceof ExportError ? e : explainWriteError(e, out);
  } finally {
    duck.close();
  }
}

/** Runs the COPY, reporting DuckDB's own progress estimate every `progressMs`; returns the row count. */
async function copyWithProgress(
  conn: Awaited<ReturnType<typeof openDuck>>['conn'],
  sql: string,
  temp: string,
  options: string,
  onProgress: (p: ExportProgress) => void,
  progressMs: number,
): Promise<number> {
  // DuckDB tracks a query's progress only with its progress bar on (printing it stays off).
  await conn.run('SET enable_progress_bar = true');
  await conn.run('SET enable_progress_bar_print = false');
  await conn.run('SET progress_bar_time = 0');
  onProgress({ fraction: null });
  const timer = setInterval(() => {
    const pct = conn.progress.percentage;
    onProgress({ fraction: pct >= 0 ? Math.min(1, pct / 100) : null });
  }, progressMs);
  try {
    const r = await conn.runAndReadAll(`COPY (${sql}) TO ${str(temp)} (${options})`);
    const count = r.getRowObjectsJS()[0]?.Count;
    onProgress({ fraction: 1 });
    return Number(count ?? 0);
  } finally {
    clearInterval(timer);
  }
}
