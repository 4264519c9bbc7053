// Native DuckDB behind the renderer's SqlEngine surface, so the chart views' own query classes run
// their exact SQL natively for the baseline (bench/app-charts.ts).
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { ArrowTable, SqlEngine } from '../renderer/db/engine-types.ts';
import { LOSSES } from '../renderer/db/sql.ts';
import type { Manifest } from '../shared/manifest.ts';
import { ident, listLiteral } from '../shared/sql.ts';

function table(rows: Record<string, unknown>[], names: string[]): ArrowTable {
  return {
    numRows: rows.length,
    schema: { fields: names.map((name) => ({ name })) },
    toArray: () => rows.map((r) => ({ toJSON: () => ({ ...r }) })),
    getChild: (name) => (names.includes(name) ? { length: rows.length, get: (i) => rows[i]?.[name] } : null),
  };
}

export async function nativeEngine(storeDir: string, manifest: Manifest): Promise<SqlEngine> {
  const db = await DuckDBInstance.create(':memory:', { threads: '2' });
  const conn = await db.connect();
  const files = manifest.shards.map((s) => path.join(storeDir, s.path));
  // In memory like the app's copy (memory-cache.ts), so both sides read the same kind of table.
  await conn.run(
    `CREATE TABLE ${ident(LOSSES)} AS SELECT * EXCLUDE (diagnostics, seeds) FROM read_parquet(${listLiteral(files)})`,
  );
  return {
    bundle: 'native',
    async query(sql) {
      const r = await conn.runAndReadAll(sql);
      return table(r.getRowObjectsJS() as Record<string, unknown>[], r.columnNames());
    },
    async registerFile() {},
    async dropFile() {},
    async close() {
      conn.closeSync();
      db.closeSync();
    },
  };
}
