// A views job as pyarrow writes it by default: 1M-row groups of 1 MB data pages, snappy, no page
// index. DuckDB (which writes the bench's other inputs) makes pages of up to 100 MB, and the
// reader's memory follows the page, so the 1M-row-group input of DuckDB alone overstated a pyarrow
// file ~2×. There is no pyarrow here: hyparquet-writer writes the same rows with pyarrow's
// defaults. Cached beside the DuckDB-written input it is made from.
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { fileWriter, ParquetWriter, schemaFromColumnData } from 'hyparquet-writer';
import { str } from '../shared/sql.ts';

/** Parquet types of the views fixture's scalar columns (DuckDB's names). */
const SCALAR: Record<string, string> = {
  VARCHAR: 'STRING',
  DOUBLE: 'DOUBLE',
  BIGINT: 'INT64',
  BOOLEAN: 'BOOLEAN',
};

/** The pyarrow-style copy of the views input `src` (same rows, files and manifest). */
export async function ensurePyarrowStyle(src: string, rowGroupSize: number): Promise<string> {
  const dst = `${src}-pyarrow`;
  if (existsSync(path.join(dst, 'manifest.json'))) return dst;
  await fs.rm(dst, { recursive: true, force: true });
  const db = await DuckDBInstance.create(':memory:', { threads: '2' });
  const conn = await db.connect();
  try {
    for (const t of await fs.readdir(path.join(src, 'targets'))) {
      const file = path.join(src, 'targets', t, 'data.parquet');
      const out = path.join(dst, 'targets', t, 'data.parquet');
      await fs.mkdir(path.dirname(out), { recursive: true });
      let pq: ParquetWriter | null = null;
      // One row group in JavaScript at a time (a 3.3M-row file whole is over Node's 4 GB heap).
      for (let at = 0; ; at += rowGroupSize) {
        const reader = await conn.runAndReadAll(
          `SELECT * EXCLUDE (file_row_number) FROM read_parquet(${str(file)}, file_row_number = true)
           WHERE file_row_number >= ${at} AND file_row_number < ${at + rowGroupSize} ORDER BY file_row_number`,
        );
        if (reader.currentRowCount === 0) break;
        const types = reader.columnTypes().map((x) => x.toString());
        const values = reader.getColumnsJS();
        const big = (v: unknown) => (v === null ? null : BigInt(v as number));
        const columnData = reader.columnNames().map((name, i) => ({
          name,
          data: values[i]!.map((v) => (Array.isArray(v) ? v.map(big) : types[i] === 'BIGINT' ? big(v) : v)),
          offsetIndex: false, // pyarrow writes no page index by default
        }));
        pq ??= new ParquetWriter({ writer: fileWriter(out), schema: schemaOf(columnData, types) as never });
        pq.write({ columnData: columnData as never, rowGroupSize });
      }
      pq?.finish();
    }
  } finally {
    conn.closeSync();
    db.closeSync();
  }
  // The manifest last: its presence marks the copy complete.
  await fs.copyFile(path.join(src, 'manifest.json'), path.join(dst, 'manifest.json'));
  return dst;
}

/** The parquet schema pyarrow gives these columns: scalars, and BIGINT[] as a list of INT64. */
function schemaOf(columns: readonly { name: string }[], types: readonly string[]): unknown[] {
  const schema: unknown[] = [{ name: 'root', num_children: columns.length }];
  columns.forEach((c, i) => {
    const type = SCALAR[types[i]!];
    if (type) {
      schema.push(
        ...schemaFromColumnData({ columnData: [{ name: c.name, data: [], type } as never] }).slice(1),
      );
    } else if (types[i] === 'BIGINT[]') {
      schema.push(
        {
          name: c.name,
          repetition_type: 'OPTIONAL',
          num_children: 1,
          converted_type: 'LIST',
          logical_type: { type: 'LIST' },
        },
        { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
        { name: 'element', type: 'INT64', repetition_type: 'OPTIONAL' },
      );
    } else throw new Error(`pyarrow-style input: no parquet type for ${c.name} ${types[i]}`);
  });
  return schema;
}
