// Reading a parquet input in row ranges, natively in DuckDB: metadata (rows, bytes, columns), a
// deterministic chunk plan, and one pre-pass per file that finds bad rows and duplicate keys so
// every chunk can drop them by file_row_number. Rows never pass through JavaScript.
import type { DuckDBConnection } from '@duckdb/node-api';
import { str } from '../../shared/sql.ts';
import { CollectError } from './errors.ts';

export interface ParquetInfo {
  file: string;
  rows: number;
  /** Uncompressed bytes per row, from the footer: drives the auto batch size. */
  bytesPerRow: number;
  columns: Map<string, string>;
}

export function scan(file: string, rowNumbers = false): string {
  return `read_parquet(${str(file)}${rowNumbers ? ', file_row_number = true' : ''})`;
}

export async function parquetInfo(conn: DuckDBConnection, file: string): Promise<ParquetInfo> {
  try {
    const meta = await conn.runAndReadAll(
      `SELECT coalesce(sum(num_rows), 0)::BIGINT AS rows FROM (SELECT DISTINCT row_group_id, row_group_num_rows AS num_rows FROM parquet_metadata(${str(file)}))`,
    );
    const bytes = await conn.runAndReadAll(
      `SELECT coalesce(sum(total_uncompressed_size), 0)::BIGINT AS b FROM parquet_metadata(${str(file)})`,
    );
    const desc = await conn.runAndReadAll(`DESCRIBE SELECT * FROM ${scan(file)}`);
    const rows = Number(meta.getRowObjectsJS()[0]?.rows ?? 0);
    const total = Number(bytes.getRowObjectsJS()[0]?.b ?? 0);
    const columns = new Map<string, string>();
    for (const r of desc.getRowObjectsJS()) columns.set(String(r.column_name), String(r.column_type));
    return { file, rows, bytesPerRow: rows > 0 ? total / rows : 0, columns };
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

export function chunks(rows: number, size: number): [number, number][] {
  const out: [number, number][] = [];
  for (let a = 0; a < rows; a += size) out.push([a, Math.min(rows, a + size)]);
  return out;
}

export interface Prepass {
  badCount: number;
  badExamples: { row: number; why: string }[];
  /** Temp table of file_row_numbers to drop (later duplicates), or null when there are none. */
  dropTable: string | null;
  dupCount: number;
  dupExamples: { row: number; key: string; first: number }[];
}

/**
 * `badWhy` is SQL giving a reason text for a bad row and NULL for a good one; `keyExpr` is the
 * dedupe key. Duplicates are found by hash first (cheap, narrow), then confirmed on the full key.
 * Equal hashes are found by sorting (lag over ORDER BY h), not GROUP BY: measured on 3.3M rows,
 * the sort peaks ~40 MB lower in RSS than the hash aggregate and runs in ~290 vs ~350 ms.
 */
export async function prepass(
  conn: DuckDBConnection,
  file: string,
  badWhy: string,
  keyExpr: string,
  tableName: string,
): Promise<Prepass> {
  const bad = await conn.runAndReadAll(`
    SELECT file_row_number AS r, why, count(*) OVER () AS n FROM (
      SELECT file_row_number, ${badWhy} AS why FROM ${scan(file, true)}) WHERE why IS NOT NULL
    ORDER BY file_row_number LIMIT 5`);
  const badRows = bad.getRowObjectsJS();
  // A plain (in-memory) table, not TEMP: every connection (writer lane) filters chunks by it.
  await conn.run(`CREATE OR REPLACE TABLE ${tableName} AS
    WITH hs AS (SELECT hash(${keyExpr}) AS h FROM ${scan(file)} WHERE (${badWhy}) IS NULL),
         cand AS (SELECT DISTINCT h FROM hs QUALIFY lag(h) OVER (ORDER BY h) = h),
         hit AS (SELECT file_row_number AS r, ${keyExpr} AS k FROM ${scan(file, true)}
                 WHERE (${badWhy}) IS NULL AND hash(${keyExpr}) IN (SELECT h FROM cand))
    SELECT r, k, min(r) OVER (PARTITION BY k) AS first FROM hit QUALIFY r <> first`);
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
