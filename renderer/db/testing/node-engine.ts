// DuckDB-WASM 1.28's Node blocking build behind SqlEngine, for unit tests: the same engine
// version and SQL dialect as the browser, reading local shard files instead of URLs.
import { createRequire } from 'node:module';
import type { ArrowTable, SqlEngine } from '../engine-types.ts';

// The few members of the CommonJS Node build used here (its own typings need `node` conditions).
interface Bundles {
  mvp: { mainModule: string; mainWorker: string };
  eh: { mainModule: string; mainWorker: string };
}
interface NodeConnection {
  query(sql: string): unknown;
  close(): void;
}
interface NodeDb {
  instantiate(): Promise<unknown>;
  open(config: object): void;
  connect(): NodeConnection;
  registerFileURL(name: string, url: string, proto: number, directIO: boolean): void;
  registerFileBuffer(name: string, buffer: Uint8Array): void;
  dropFile(name: string): void;
  reset(): void;
}
interface NodeBlocking {
  createDuckDB(bundles: Bundles, logger: object, runtime: object): Promise<NodeDb>;
  VoidLogger: new () => object;
  NODE_RUNTIME: object;
  DuckDBDataProtocol: { NODE_FS: number };
}

/** `buffers`: take shard bytes as buffers too, as the browser's DuckDB-WASM (registry.ts copyShard). */
export async function createNodeEngine(opts: { buffers?: boolean } = {}): Promise<SqlEngine> {
  const require = createRequire(import.meta.url);
  const duck = require('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs') as NodeBlocking;
  const dist = (f: string) => require.resolve(`@duckdb/duckdb-wasm/dist/${f}`);
  const db = await duck.createDuckDB(
    {
      mvp: { mainModule: dist('duckdb-mvp.wasm'), mainWorker: dist('duckdb-node-mvp.worker.cjs') },
      eh: { mainModule: dist('duckdb-eh.wasm'), mainWorker: dist('duckdb-node-eh.worker.cjs') },
    },
    new duck.VoidLogger(),
    duck.NODE_RUNTIME,
  );
  await db.instantiate();
  db.open({});
  const conn = db.connect();
  // A missing extension must fail fast, not hang trying to download it.
  conn.query('SET autoload_known_extensions = false');
  return {
    bundle: 'node',
    query: async (sql) => conn.query(sql) as ArrowTable,
    registerFile: async (name, path) => db.registerFileURL(name, path, duck.DuckDBDataProtocol.NODE_FS, true),
    dropFile: async (name) => db.dropFile(name),
    ...(opts.buffers
      ? { registerBuffer: async (name: string, bytes: Uint8Array) => db.registerFileBuffer(name, bytes) }
      : {}),
    close: async () => {
      conn.close();
      db.reset();
    },
  };
}
