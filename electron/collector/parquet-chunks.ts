// Reading a parquet input in row ranges, natively in DuckDB: metadata (rows, bytes, columns), a
// deterministic chunk plan, and one pre-pass per file that finds bad rows and duplicate keys so
// every chunk can drop them by file_row_number. Rows never pass through JavaScript.
import type { DuckDBConnection } from '@duckdb/node-api';
import { ident, str } from '../../shared/sql.ts';
import type { Duck } from './duck.ts';
import { CollectError } from './errors.ts';
import type { ProgressTracker } from './progress.ts';

export interface ParquetInfo {
  file: string;
  rows: number;
  /** Uncompressed bytes per row, from the footer: drives the auto batch size. */
  bytesPerRow: number;
  columns: Map<string, string>;
  /** Rows of each row group, in file order: chunks never straddle one (each is decoded once). */
  rowGroups: number[];
  /** Compressed bytes of the largest row group: DuckDB holds a whole column chunk while reading it. */
  maxRowGroupBytes: number;
  /** The footer's `created_by` (which writer, hence how big its data pages are: see maxParts). */
  createdBy: string;
}

export function scan(file: string, rowNumbers = false): string {
  return `read_parquet(${str(file)}${rowNumbers ? ', file_row_number = true' : ''})`;
}

export async function parquetInfo(conn: DuckDBConnection, file: string): Promise<ParquetInfo> {
  try {
    const meta = await conn.runAndReadAll(
      `SELECT row_group_id, any_value(row_group_num_rows)::BIGINT AS rows,
              sum(total_compressed_size)::BIGINT AS packed, sum(total_uncompressed_size)::BIGINT AS raw
       FROM parquet_metadata(${str(file)}) GROUP BY row_group_id ORDER BY row_group_id`,
    );
    const desc = await conn.runAndReadAll(`DESCRIBE SELECT * FROM ${scan(file)}`);
    const made = await conn.runAndReadAll(`SELECT created_by FROM parquet_file_metadata(${str(file)})`);
    const createdBy = String(made.getRowObjectsJS()[0]?.created_by ?? '');
    const groups = meta.getRowObjectsJS();
    const rowGroups = groups.map((g) => Number(g.rows));
    const rows = rowGroups.reduce((n, r) => n + r, 0);
    const total = groups.reduce((n, g) => n + Number(g.raw), 0);
    const maxRowGroupBytes = groups.reduce((m, g) => Math.max(m, Number(g.packed)), 0);
    const columns = new Map<string, string>();
    for (const r of desc.getRowObjectsJS()) columns.set(String(r.column_name), String(r.column_type));
    return {
      file,
      rows,
      bytesPerRow: rows > 0 ? total / rows : 0,
      columns,
      rowGroups,
      maxRowGroupBytes,
      createdBy,
    };
  } catch (e) {
    throw new CollectError(
      file,
      null,
      `not a readable parquet file (${(e as Error).message.split('\n')[0]})`,
      'Re-download or re-export the file; a partially copied file has no footer',
    );
  }
}

/** ~24 MiB of uncompressed input per shard, 16k to 64k rows: a shard is sorted in memory, and the RSS budget (300 MB with Node) allows about that much. */
export function autoChunkRows(info: ParquetInfo, batchRows: number | null): number {
  if (batchRows) return batchRows;
  const per = Math.max(1, info.bytesPerRow);
  const rows = Math.floor((24 * 1024 * 1024) / per);
  return Math.min(65_536, Math.max(16_384, rows - (rows % 1024)));
}

/**
 * DuckDB memory that reading `info` holds: the parquet reader keeps whole pages (compressed and
 * decoded) in flight, up to `readers` at once, and DuckDB writes pages of up to 100 MB. Measured on
 * a 3.3M-row DuckDB-written file of 86 MB row groups: collect failed with "Out of Memory" at every
 * limit up to 680 MB and passed at 768 MB, so: 4 × the largest row group's compressed size per
 * reader. (With 1 MB pages far less is used, but 128 MB still fails: the raised limit stays.)
 */
export function readMemoryBytes(info: ParquetInfo, readers: number): number {
  return readers * 4 * info.maxRowGroupBytes;
}

/**
 * Where reading `info` needs more than DuckDB's limit, raise the limit to that plus 128 MB of
 * headroom (sorting a chunk, writing a shard) and tell the user why, once per file.
 */
export async function fitMemory(duck: Duck, info: ParquetInfo, progress: ProgressTracker, label: string) {
  const need = readMemoryBytes(info, 2);
  if (need <= duck.memoryBytes) return;
  const raised = await duck.ensureMemory(need + 128 * 2 ** 20);
  if (raised !== null) {
    const mb = (n: number) => `${Math.round(n / 2 ** 20)} MB`;
    progress.note(
      `${label}: row groups of up to ${mb(info.maxRowGroupBytes)} compressed; DuckDB's memory limit ` +
        `raised to ${mb(raised)} to read them (rewrite the file with smaller row groups to stay lower)`,
    );
  }
}

/** Parts a DuckDB-written group is cut into at most (see maxParts). */
const DUCKDB_PAGE_PARTS = 4;

/**
 * How many chunks a big row group is cut into. Each chunk sorts its rows in memory, so more, smaller
 * chunks keep the peak down; but a chunk decodes its group's pages from the start up to its end.
 * pyarrow (and most writers) write 1 MB pages: cut to the chunk size, up to 16 parts. DuckDB
 * writes pages of up to 100 MB, each decoded whole by every part: at most 4. Measured 2026-12-08,
 * 3.3M rows in 1M-row groups, the collector's peak RSS / time: 1 MB pages without a page index
 * (as pyarrow writes by default) 358–367 MB / 4.0 s at 4 parts, 216–218 MB / 4.8–5.0 s at 16;
 * DuckDB's pages 746–825 MB / 4.0–4.3 s at 4, 590–624 MB / 5.8–5.9 s at 16 (no cut gets those
 * under the budget, so they keep the speed).
 */
export function maxParts(info: Pick<ParquetInfo, 'createdBy'>): number {
  return /^duckdb\b/i.test(info.createdBy) ? DUCKDB_PAGE_PARTS : 16;
}

/**
 * Row ranges of about `size` rows that never straddle a row group: small groups are joined, a
 * large one is cut into equal parts (at most `partsAtMost`: maxParts of the file; Infinity when the user gave the
 * batch size with --batch-rows). Measured on a 3.3M-row file of 122,880-row groups (2 lanes):
 * every chunk then decodes one row group, not two. (A resumed run subtracts committed ranges, so
 * changing this plan never writes a row twice.)
 */
export function chunks(
  rowGroups: readonly number[],
  size: number,
  partsAtMost = DUCKDB_PAGE_PARTS,
): [number, number][] {
  const out: [number, number][] = [];
  let start = 0;
  let end = 0;
  for (const n of rowGroups) {
    if (end > start && end - start + n > size) {
      out.push([start, end]);
      start = end;
    }
    if (n > size) {
      const parts = Math.min(Math.ceil(n / size), partsAtMost);
      const per = Math.ceil(n / parts);
      for (let a = end; a < end + n; a += per) out.push([a, Math.min(end + n, a + per)]);
      start = end + n;
    }
    end += n;
  }
  if (end > start) out.push([start, end]);
  return out;
}

/** Hashes sorted at once by the duplicate check (see prepass): measured, not tuned. */
export const BUCKET_ROWS = 4_000_000;

function hash32(expr: string): string {
  return `(hash(${expr}) >> 32)::UINTEGER`;
}

export interface Prepass {
  badCount: number;
  badExamples: { row: number; why: string }[];
  /** Temp table of file_row_numbers to drop (later duplicates), or null when there are none. */
  dropTable: string | null;
  dupCount: number;
  dupExamples: { row: number; key: string; first: number }[];
}

export interface PrepassOptions {
  /** Predicates that hold for every bad row (see noneMatch). */
  screens?: readonly string[];
  /** The file's row count: the duplicate check sorts its hashes in ceil(rows / bucketRows) slices. */
  rows?: number;
  bucketRows?: number;
}

/**
 * True when no row matches any of `screens`. Each screen reads one or two columns, and DuckDB
 * skips row groups by their statistics where it can, so on a clean file this is much cheaper
 * than evaluating the full reason expression on every row (measured: 0.11 vs 0.21 s per 3.3M).
 */
async function noneMatch(conn: DuckDBConnection, file: string, screens: readonly string[]): Promise<boolean> {
  for (const screen of screens) {
    const hit = await conn.runAndReadAll(`SELECT 1 FROM ${scan(file)} WHERE ${screen} LIMIT 1`);
    if (hit.currentRowCount > 0) return false;
  }
  return true;
}

/**
 * `name` is the drop table's (unquoted) name; `badWhy` is SQL giving a reason text for a bad row
 * and NULL for a good one; `keyExpr` is the dedupe key. Duplicates are found by hash first (cheap, narrow), then confirmed on the full key.
 * Equal hashes are found by sorting (lag over ORDER BY h), not GROUP BY: measured on 3.3M rows,
 * the sort peaks ~40 MB lower in RSS than the hash aggregate and runs in ~290 vs ~350 ms. The
 * hash is cut to 32 bits (peak 250 → 200 MB); the ~1,000 chance collisions among 3M keys are
 * candidates only, dropped by the full-key check. `screens`, when given, are predicates that
 * hold for every bad row: when none matches, the per-row reasons are not computed at all.
 */
export async function prepass(
  conn: DuckDBConnection,
  file: string,
  badWhy: string,
  keyExpr: string,
  name: string,
  { screens = [], rows = 0, bucketRows = BUCKET_ROWS }: PrepassOptions = {},
): Promise<Prepass> {
  const tableName = ident(name);
  const clean = screens.length > 0 && (await noneMatch(conn, file, screens));
  const badRows = clean
    ? []
    : (
        await conn.runAndReadAll(`
    SELECT file_row_number AS r, why, count(*) OVER () AS n FROM (
      SELECT file_row_number, ${badWhy} AS why FROM ${scan(file, true)}) WHERE why IS NOT NULL
    ORDER BY file_row_number LIMIT 5`)
      ).getRowObjectsJS();
  const good = clean ? 'true' : `(${badWhy}) IS NULL`;
  // Candidates (equal hashes) one slice of the hash space at a time, so the sort holds at most
  // BUCKET_ROWS hashes whatever the file's size (the collector's peak RSS grew with it: 320 MB
  // on 10M-row files in one sort).
  const cand = ident(`${name}_cand`);
  const buckets = Math.max(1, Math.ceil(rows / bucketRows));
  const hs = ident(`${name}_hs`);
  await conn.run(`CREATE OR REPLACE TEMP TABLE ${cand} (h UINTEGER)`);
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE ${hs} AS SELECT ${hash32(keyExpr)} AS h FROM ${scan(file)} WHERE ${good}`,
  );
  for (let i = 0; i < buckets; i++) {
    const slice = buckets > 1 ? ` WHERE h % ${buckets} = ${i}` : '';
    await conn.run(`INSERT INTO ${cand}
      SELECT DISTINCT h FROM (SELECT h FROM ${hs}${slice})
      QUALIFY lag(h) OVER (ORDER BY h) = h`);
  }
  await conn.run(`DROP TABLE ${hs}`);
  // A plain (in-memory) table, not TEMP: every connection (writer lane) filters chunks by it.
  await conn.run(`CREATE OR REPLACE TABLE ${tableName} AS
    WITH hit AS (SELECT file_row_number AS r, ${keyExpr} AS k FROM ${scan(file, true)}
                 WHERE ${good} AND ${hash32(keyExpr)} IN (SELECT h FROM ${cand}))
    SELECT r, k, min(r) OVER (PARTITION BY k) AS first FROM hit QUALIFY r <> first`);
  await conn.run(`DROP TABLE ${cand}`);
  const dups = await conn.runAndReadAll(
    `SELECT r, k, first, count(*) OVER () AS n FROM ${tableName} ORDER BY r LIMIT 5`,
  );
  const dupRows = dups.getRowObjectsJS();
  const dupCount = Number(dupRows[0]?.n ?? 0);
  return {
    badCount: Number(badRows[0]?.n ?? 0),
    badExamples: badRows.map((r) => ({ row: Number(r.r), why: String(r.why) })),
    dropTable: dupCount > 0 ? tableName : null,
    dupCount,
    dupExamples: dupRows.map((r) => ({ row: Number(r.r), key: String(r.k), first: Number(r.first) })),
  };
}

/** WHERE clause for rows [a, b) minus bad rows and dropped duplicates. */
export function chunkFilter(a: number, b: number, badWhy: string, pre: Prepass): string {
  const drop = pre.dropTable ? ` AND file_row_number NOT IN (SELECT r FROM ${pre.dropTable})` : '';
  return `file_row_number >= ${a} AND file_row_number < ${b} AND (${badWhy}) IS NULL${drop}`;
}
