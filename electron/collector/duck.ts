// Native DuckDB for the collector: one in-memory instance per writer process. Chosen over
// hyparquet-writer by measurement (see ARCHITECTURE.md): same zstd output, native-speed reads of
// the job's own parquet, and N-API so the same binary loads in Electron's main process.
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

export interface Duck {
  instance: DuckDBInstance;
  conn: DuckDBConnection;
  close(): void;
}

export async function openDuck(options: { memoryLimit?: string; threads?: number } = {}): Promise<Duck> {
  const instance = await DuckDBInstance.create(':memory:', {
    memory_limit: options.memoryLimit ?? '256MB',
    threads: String(options.threads ?? 2),
    // Spill to the system temp dir rather than failing when a sort exceeds the memory limit.
    preserve_insertion_order: 'false',
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
