// Reading the footers of shards newly listed in a store's manifest: a footer that reads proves the
// file is whole (a shard can be listed before a network filesystem shows it), and its schema tells
// whether every shard has the same columns (losses-view.ts then reads them without union_by_name).
// One parquet_schema over all of them: 168 shards 81 ms, against 220 ms for a count(*) each.
import type { DuckDBConnection } from '@duckdb/node-api';
import { str } from '../../shared/sql.ts';

const COLUMNS = 'file_name, name, type, converted_type, logical_type, repetition_type, num_children';

/** Each readable file's schema as one text (equal texts: the same columns); unreadable ones left out. */
export async function readFooters(
  conn: DuckDBConnection,
  files: readonly string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (files.length === 0) return out;
  try {
    collect(await schemaRows(conn, files), out);
  } catch {
    // One unreadable file fails the whole list: find which, one by one.
    for (const f of files) {
      try {
        collect(await schemaRows(conn, [f]), out);
      } catch {
        // left out: stays out of the view and is retried
      }
    }
  }
  return out;
}

async function schemaRows(conn: DuckDBConnection, files: readonly string[]): Promise<unknown[][]> {
  const list = files.map(str).join(', ');
  return (await conn.runAndReadAll(`SELECT ${COLUMNS} FROM parquet_schema([${list}])`)).getRowsJS();
}

/** Rows come file by file in schema order (one table function's output, one thread's order). */
function collect(rows: unknown[][], out: Map<string, string>): void {
  const parts = new Map<string, string[]>();
  for (const [file, ...element] of rows) {
    const key = String(file);
    if (!parts.has(key)) parts.set(key, []);
    // Plain text of each field (num_children is a bigint, which JSON cannot write).
    parts.get(key)?.push(element.map((v) => (v === null ? '∅' : String(v))).join(':'));
  }
  for (const [file, list] of parts) out.set(file, list.join(','));
}
