// Native DuckDB over a store's listed shards: the baseline for the app's DuckDB-WASM queries.
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Manifest } from '../shared/manifest.ts';
import { ident, listLiteral } from '../shared/sql.ts';
import type { NamedQuery } from './app-queries.ts';
import { LOSSES } from './app-queries.ts';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Median of `runs` timed runs after one warm-up, per query, in ms. */
export async function timeNative(storeDir: string, manifest: Manifest, queries: NamedQuery[], runs = 3) {
  const db = await DuckDBInstance.create(':memory:', { threads: '2' });
  const conn = await db.connect();
  const files = manifest.shards.map((s) => path.join(storeDir, s.path));
  await conn.run(`CREATE VIEW ${ident(LOSSES)} AS SELECT * FROM read_parquet(${listLiteral(files)})`);
  const out = new Map<string, number>();
  try {
    for (const q of queries) {
      await conn.run(q.sql);
      const times: number[] = [];
      for (let i = 0; i < runs; i++) {
        const t = performance.now();
        await conn.runAndReadAll(q.sql);
        times.push(performance.now() - t);
      }
      out.set(q.name, median(times));
    }
  } finally {
    conn.closeSync();
    db.closeSync();
  }
  return out;
}
