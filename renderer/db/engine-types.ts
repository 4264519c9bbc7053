// The small surface every DuckDB backend offers the query module. The browser uses DuckDB-WASM in
// a Worker (engine.ts); unit tests use DuckDB-WASM's Node build (testing/node-engine.ts), so the
// same SQL builders run against real shards in both places.

/**
 * The part of an Arrow table the app reads. Structural on purpose: DuckDB-WASM 1.28 ships
 * apache-arrow 13, whose types do not resolve under this project's module settings, and nothing
 * here should depend on one Arrow version.
 */
export interface ArrowTable {
  readonly numRows: number;
  readonly schema: { readonly fields: readonly { readonly name: string }[] };
  toArray(): { toJSON(): Record<string, unknown> }[];
  getChild(name: string): ArrowColumn | null;
}

export interface ArrowColumn {
  readonly length: number;
  get(index: number): unknown;
}

export interface SqlEngine {
  /** Which build answered (`coi`, `eh`, `mvp`, `node`), for the status bar and benchmarks. */
  readonly bundle: string;
  query(sql: string): Promise<ArrowTable>;
  /** Make `url` readable under `name` in SQL (HTTP Range reads in the browser). */
  registerFile(name: string, url: string): Promise<void>;
  dropFile(name: string): Promise<void>;
  close(): Promise<void>;
}
