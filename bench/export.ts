// Export (electron/host/export-writer.ts, what the window's Export and `losslens export` run) of
// ~1M filtered rows in the table's order, to Parquet and CSV, beside DuckDB's own COPY of the same
// query over the same shards in the same run. Ours includes everything the export does: reading
// and hashing store.json, binding the filter, temp file, fsync, rename. Median of 3, alternating.
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { writeDemoStore } from '../electron/collector/demo.ts';
import { runExport } from '../electron/host/export-writer.ts';
import { readManifest } from '../electron/store/manifest-io.ts';
import { rowsSql } from '../shared/export-sql.ts';
import type { ExportFormat } from '../shared/export-types.ts';
import { str } from '../shared/sql.ts';
import { median } from './stats.ts';
import { type BenchRow, printTable } from './table.ts';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = 3;
/** Keeps ~1M of the store's 1.08M rows: the ok ones. */
const FILTER = { where: "status = 'ok'" };

async function ensureStore(workDir: string): Promise<string> {
  const dir = path.join(workDir, 'export-store-360k');
  if (existsSync(path.join(dir, 'store.json')) && (await readManifest(dir)).status === 'complete') return dir;
  await fs.rm(dir, { recursive: true, force: true });
  await writeDemoStore({ out: dir, params: 360_000, targets: 3, seed: 11, failRate: 0.05 });
  return dir;
}

/** DuckDB alone: a fresh instance, the same view over the listed shards, the same COPY. */
async function nativeCopy(
  store: string,
  columns: string[],
  format: ExportFormat,
  out: string,
): Promise<number> {
  const m = await readManifest(store);
  const files = m.shards.filter((s) => s.rows > 0).map((s) => str(path.join(store, s.path)));
  const started = performance.now();
  const db = await DuckDBInstance.create(':memory:', { threads: '2' });
  const conn = await db.connect();
  await conn.run(
    `CREATE VIEW losses AS SELECT * FROM read_parquet([${files.join(', ')}], union_by_name = true)`,
  );
  const opts = format === 'parquet' ? 'FORMAT parquet, COMPRESSION zstd' : 'FORMAT csv, HEADER true';
  await conn.run(`COPY (${rowsSql(columns, FILTER, null)}) TO ${str(out)} (${opts})`);
  const seconds = (performance.now() - started) / 1000;
  conn.closeSync();
  db.closeSync();
  return seconds;
}

async function ours(
  store: string,
  format: ExportFormat,
  out: string,
): Promise<{ seconds: number; rows: number; columns: string[] }> {
  const started = performance.now();
  const r = await runExport({
    store,
    out,
    format,
    kind: 'rows',
    filter: FILTER,
    sort: null,
    combined: { method: 'mean', weights: {} },
  });
  return {
    seconds: (performance.now() - started) / 1000,
    rows: r.rows,
    columns: r.provenance.columns.split(','),
  };
}

const span = (xs: number[]) => `${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)} s`;

export async function benchExport(workDir: string): Promise<BenchRow[]> {
  await fs.mkdir(workDir, { recursive: true });
  const store = await ensureStore(workDir);
  const rows: BenchRow[] = [];
  for (const format of ['parquet', 'csv'] as const) {
    const mine: number[] = [];
    const theirs: number[] = [];
    let n = 0;
    let bytes = [0, 0];
    for (let i = 0; i < RUNS; i++) {
      const a = path.join(workDir, `export-ours.${format}`);
      const b = path.join(workDir, `export-native.${format}`);
      const r = await ours(store, format, a);
      mine.push(r.seconds);
      n = r.rows;
      theirs.push(await nativeCopy(store, r.columns, format, b));
      bytes = [(await fs.stat(a)).size, (await fs.stat(b)).size];
    }
    const ratio = median(mine) / median(theirs);
    rows.push({
      name: `export ${n.toLocaleString('en-US')} filtered rows (table order, 20 columns) to ${format}`,
      value: median(mine),
      unit: 's',
      baseline: median(theirs),
      baselineName: 'DuckDB COPY of the same query',
      ratio,
      target: 'ratio ≤ 1.3',
      met: ratio <= 1.3,
      note: `median of ${RUNS}; ours ${span(mine)}, DuckDB ${span(theirs)}; ${(bytes[0]! / 2 ** 20).toFixed(0)} vs ${(bytes[1]! / 2 ** 20).toFixed(0)} MB`,
    });
  }
  return rows;
}

// Run when `npm run bench` imports this module (bench/index.ts: one import line) unless `--suites`
// leaves out `export`, or when run directly (`node --import tsx bench/export.ts`).
const suitesArg = process.argv.indexOf('--suites');
const wanted = suitesArg < 0 || (process.argv[suitesArg + 1] ?? '').split(',').includes('export');
if (wanted) printTable('Export', await benchExport(path.resolve(REPO, '.tmp', 'bench')));
