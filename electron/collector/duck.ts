// Native DuckDB for the collector: one in-memory instance per writer process. Chosen over
// hyparquet-writer by measurement (see ARCHITECTURE.md): same zstd output, native-speed reads of
// the job's own parquet, and N-API so the same binary loads in Electron's main process.
import os from 'node:os';
import path from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

export interface Duck {
  instance: DuckDBInstance;
  conn: DuckDBConnection;
  /** DuckDB's current memory limit in bytes. */
  readonly memoryBytes: number;
  /**
   * Raise the memory limit to at least `bytes` (never lowers it); returns the new limit in bytes
   * when it was raised, else null.
   */
  ensureMemory(bytes: number): Promise<number | null>;
  close(): void;
}

const UNITS: Record<string, number> = {
  '': 1,
  B: 1,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
  KIB: 1024,
  MIB: 1024 ** 2,
  GIB: 1024 ** 3,
  TIB: 1024 ** 4,
};

/** '128MB', '1.5 GiB' → bytes (DuckDB's units: KB/MB/GB are powers of 1000, KiB… of 1024). */
export function parseBytes(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = UNITS[(m?.[2] ?? '').toUpperCase()];
  if (!m || unit === undefined) throw new Error(`not a memory size: "${text}" (e.g. 128MB, 1GB)`);
  return Number(m[1]) * unit;
}

export interface DuckOptions {
  memoryLimit?: string;
  threads?: number;
  /** Where sorts and aggregates spill beyond the memory limit (default: the OS temp dir). */
  tempDirectory?: string;
}

export async function openDuck(options: DuckOptions = {}): Promise<Duck> {
  // The collector's RSS budget is 300 MB including Node itself (~90 MB with DuckDB loaded) and
  // buffers DuckDB does not count (parquet reader/writer pages): keep the managed part small
  // and let sorts spill to disk instead.
  const memory = options.memoryLimit ?? process.env.LOSSLENS_DUCKDB_MEMORY ?? '128MB';
  let memoryBytes = parseBytes(memory);
  const instance = await DuckDBInstance.create(':memory:', {
    memory_limit: memory,
    threads: String(options.threads ?? Number(process.env.LOSSLENS_DUCKDB_THREADS ?? 2)),
    // Shard rows are sorted explicitly; insertion order costs memory for nothing.
    preserve_insertion_order: 'false',
    temp_directory: options.tempDirectory ?? path.join(os.tmpdir(), `losslens-duckdb-${process.pid}`),
    // A collector must never reach for the network to load an extension.
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
  const conn = await instance.connect();
  // Chunks of one input file are read by many COPYs: parse its footer once. (A parquet setting,
  // so it cannot be given to create().)
  await conn.run('SET parquet_metadata_cache = true');
  return {
    instance,
    conn,
    get memoryBytes() {
      return memoryBytes;
    },
    async ensureMemory(bytes: number) {
      if (bytes <= memoryBytes) return null;
      memoryBytes = Math.ceil(bytes / 2 ** 20) * 2 ** 20;
      await conn.run(`SET memory_limit = '${memoryBytes / 2 ** 20}MiB'`);
      return memoryBytes;
    },
    close() {
      conn.closeSync();
      instance.closeSync();
    },
  };
}
