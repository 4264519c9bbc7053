// Native DuckDB over a store's listed shards: the reference the UI is checked against.

import { promises as fs } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { listLiteral } from '../shared/sql.ts';

export async function queryStore<T extends Record<string, unknown>>(
  storeDir: string,
  sql: (rel: string) => string,
) {
  const manifest = JSON.parse(await fs.readFile(path.join(storeDir, 'store.json'), 'utf8')) as {
    shards: { path: string }[];
  };
  const files = manifest.shards.map((s) => path.join(storeDir, s.path));
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    const reader = await conn.runAndReadAll(sql(`read_parquet(${listLiteral(files)})`));
    return reader.getRowObjectsJS() as T[];
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}
