// Native DuckDB for the collector: one in-memory instance per writer process. Chosen over
// hyparquet-writer by measurement (see ARCHITECTURE.md): same zstd output, native-speed reads of
// the job's own parquet, and N-API so the same binary loads in Electron's main process.
import os from 'node:os';
import path from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

export interface Duck {
  instance: DuckDBInstance;
  conn: DuckDBConnection;
  close(): void;
}

export interface DuckOptions {
  memoryLimit?: string;
  threads?: number;
  /** Where sorts and aggregates spill beyond the memory limit (default: the OS temp dir). */
  tempDirectory?: string;
}

export async function openDuck(options: DuckOptions = {}): Promise<Duck> {
  const instance = await DuckDBInstance.create(':memory:', {
    // The collector's RSS budget is 300 MB including Node itself (~90 MB with DuckDB loaded) and
    // buffers DuckDB does not count (parquet reader/writer pages): keep the managed part small
    // and let sorts spill to disk instead.
    memory_limit: options.memoryLimit ?? process.env.LOSSLENS_DUCKDB_MEMORY ?? '128MB',
    threads: String(options.threads ?? Number(process.env.LOSSLENS_DUCKDB_THREADS ?? 2)),
    // Shard rows are sorted explicitly; insertion order costs memory for nothing.
    preserve_insertion_order: 'false',
    temp_directory: options.tempDirectory ?? path.join(os.tmpdir(), `losslens-duckdb-${process.pid}`),
    // A collector must never reach for the network to load an extension.
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
  const conn = await instance.connect();
  return {
    instance,
    conn,
    close() {
      conn.closeSync();
      instance.closeSync();
    },
  };
}
