// Native DuckDB over a store's listed shards: the baseline for the app's DuckDB-WASM queries.
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Manifest } from '../shared/manifest.ts';
import { ident, listLiteral } from '../shared/sql.ts';
import type { NamedQuery } from './app-queries.ts';
import { LOSSES } from './app-queries.ts';
import { median } from './stats.ts';

export interface NativeTimes {
  /** Median ms per query name. */
  queries: Map<string, number>;
  /** ms to run the derived-table statements once (null when there were none). */
  buildMs: number | null;
  /** ms of each of those statements, in order. */
  buildSteps: number[];
}

/**
 * Median of `runs` timed runs after one warm-up, per query, in ms. `build` (the app's derived-table
 * statements) runs first, outside the timed queries, and is timed on its own.
 */
export async function timeNative(
  storeDir: string,
  manifest: Manifest,
  queries: NamedQuery[],
  build: readonly string[] = [],
  runs = 3,
): Promise<NativeTimes> {
  const db = await DuckDBInstance.create(':memory:', { threads: '2' });
  const conn = await db.connect();
  const files = manifest.shards.map((s) => path.join(storeDir, s.path));
  await conn.run(`CREATE VIEW ${ident(LOSSES)} AS SELECT * FROM read_parquet(${listLiteral(files)})`);
  const out = new Map<string, number>();
  let buildMs: number | null = null;
  const buildSteps: number[] = [];
  try {
    if (build.length) {
      // Warm the parquet reads the way the app's memory copy is warm, then time the build alone.
      await conn.run(`SELECT count(*) FROM ${ident(LOSSES)}`);
      for (const sql of build) {
        const t = performance.now();
        await conn.runAndReadAll(sql);
        buildSteps.push(performance.now() - t);
      }
      buildMs = buildSteps.reduce((a, b) => a + b, 0);
    }
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
  return { queries: out, buildMs, buildSteps };
}
