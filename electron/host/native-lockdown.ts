// A native DuckDB instance that may run SQL written by the page. DuckDB can read and write any
// file the process can, so before the first query: only this store's shard folder is readable
// (`allowed_directories` + `enable_external_access=false`), no extension is installed or loaded,
// and the configuration is locked so no statement can undo any of it. Writes *inside* the shard
// folder are still possible for DuckDB (COPY TO), so native-statement.ts refuses every statement
// kind but SELECT/EXPLAIN/CREATE/DROP. Tests: native-security.test.ts (over real HTTP).
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { str } from '../../shared/sql.ts';

export interface QueryBudget {
  /** DuckDB `memory_limit` for one store's instance, e.g. `2GiB`. */
  memoryLimit: string;
  threads: number;
  /** Spill folder for sorts beyond the memory limit (removed when the store closes). */
  tempDirectory: string;
  /** Cap on that folder, so a runaway query cannot fill the disk. */
  maxTempSize: string;
}

/**
 * A quarter of the machine's memory per store, between 512 MiB and 4 GiB: enough for a 10M-row
 * sort in memory, and several open stores still leave room for the rest of the app.
 */
export function defaultBudget(storeId: string): QueryBudget {
  const mib = Math.min(4096, Math.max(512, Math.floor(os.totalmem() / 4 / 2 ** 20)));
  return {
    memoryLimit: `${mib}MiB`,
    threads: Math.max(1, Math.min(4, os.availableParallelism())),
    tempDirectory: path.join(os.tmpdir(), `losslens-query-${process.pid}-${storeId}`),
    maxTempSize: '8GiB',
  };
}

export interface LockedInstance {
  instance: DuckDBInstance;
  /** The connection the host itself uses (view rebuilds); never given to the page. */
  admin: DuckDBConnection;
  close(): Promise<void>;
}

/**
 * Open an in-memory instance that can read `shardDir` (a real path) and nothing else, and read and
 * write `presetDir` (this store's saved pre-aggregates, preset-cache.ts) when given.
 */
export async function openLockedInstance(
  shardDir: string,
  budget: QueryBudget,
  presetDir: string | null = null,
): Promise<LockedInstance> {
  await fs.mkdir(budget.tempDirectory, { recursive: true, mode: 0o700 });
  const instance = await DuckDBInstance.create(':memory:', {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
  const admin = await instance.connect();
  const asDir = (d: string) => (d.endsWith(path.sep) ? d : d + path.sep);
  const dirs = [shardDir, ...(presetDir ? [presetDir] : [])].map((d) => str(asDir(d)));
  // Order matters: the temp folder and the allow list can only be set while external access is
  // on, and lock_configuration must come last.
  const settings = [
    `SET temp_directory = ${str(budget.tempDirectory)}`,
    `SET max_temp_directory_size = ${str(budget.maxTempSize)}`,
    `SET memory_limit = ${str(budget.memoryLimit)}`,
    `SET threads = ${Math.floor(budget.threads)}`,
    // Footers parsed once per shard, not per query: a 168-shard store re-read 168 footers a query.
    'SET parquet_metadata_cache = true',
    'SET allow_community_extensions = false',
    'SET allow_unsigned_extensions = false',
    'SET allow_persistent_secrets = false',
    `SET allowed_directories = [${dirs.join(', ')}]`,
    'SET enable_external_access = false',
    'SET lock_configuration = true',
  ];
  try {
    for (const sql of settings) await admin.run(sql);
  } catch (e) {
    admin.closeSync();
    instance.closeSync();
    throw e;
  }
  return {
    instance,
    admin,
    async close() {
      admin.closeSync();
      instance.closeSync();
      await fs.rm(budget.tempDirectory, { recursive: true, force: true });
    },
  };
}
