// A whole process doing the collector's baseline work in native DuckDB (default threads and
// memory, as a modeler would run it): `plain` copies the views job's three target files into one
// parquet file as is; `sorted` does what the collector does to them (sorted by target, i.e. by
// file, and loss; zstd; 16k-row groups). Prints its wall seconds; the parent samples its RSS.
import { DuckDBInstance } from '@duckdb/node-api';

const [mode, out, ...files] = process.argv.slice(2);
const q = (s) => `'${s.replaceAll("'", "''")}'`;
const db = await DuckDBInstance.create(':memory:');
const conn = await db.connect();
const src = `read_parquet([${files.map(q).join(', ')}], filename = true)`;
const started = performance.now();
await conn.run(
  mode === 'sorted'
    ? `COPY (SELECT * EXCLUDE (filename) FROM ${src} ORDER BY filename, loss NULLS LAST) TO ${q(out)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 16384)`
    : `COPY (SELECT * EXCLUDE (filename) FROM ${src}) TO ${q(out)} (FORMAT parquet, COMPRESSION zstd)`,
);
process.stdout.write(`${(performance.now() - started) / 1000}\n`);
conn.closeSync();
db.closeSync();
