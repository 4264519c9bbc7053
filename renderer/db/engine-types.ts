// The small surface every DuckDB backend offers the query module. The browser uses DuckDB-WASM in
// a Worker (engine.ts) and the host's native DuckDB (host-engine.ts), chosen per store by
// engine-router.ts; unit tests use DuckDB-WASM's Node build (testing/node-engine.ts), so the same
// SQL builders run against real shards in every place.
import type { SetsPreaggregate } from '../../shared/query-wire.ts';

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

export interface QueryOptions {
  /**
   * Aborted when the caller no longer wants the answer (a page scrolled past): the host engine
   * stops the query there; DuckDB-WASM cannot, and the answer is just dropped.
   */
  signal?: AbortSignal;
  /**
   * Run on the host's native DuckDB whenever there is one, even while WASM answers the views:
   * derived tables (derived.ts) are built there once and outlive the switch to WASM.
   */
  preferHost?: boolean;
}

export interface SqlEngine {
  /** Which engine answered (`native`, or the WASM build `coi`/`eh`/`mvp`; `node` in tests). */
  readonly bundle: string;
  query(sql: string, options?: QueryOptions): Promise<ArrowTable>;
  /** Make `url` readable under `name` in SQL (HTTP Range reads in the browser). */
  registerFile(name: string, url: string): Promise<void>;
  dropFile(name: string): Promise<void>;
  /** Make `bytes` readable under `name` (DuckDB-WASM; dropFile frees them). */
  registerBuffer?(name: string, bytes: Uint8Array): Promise<void>;
  close(): Promise<void>;
  /**
   * The host's pre-aggregates of the shown store's current rows (readable by name through this
   * engine), when a host answers for it; absent or null otherwise.
   */
  hostPresets?(): Promise<SetsPreaggregate | null>;
}
