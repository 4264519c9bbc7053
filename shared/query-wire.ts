// The query Api's wire shapes: SQL from the page runs in the host's native DuckDB over one opened
// store and the result comes back as Arrow IPC stream bytes. Bytes, not Arrow objects: the host
// and DuckDB-WASM 1.28 share no Arrow instance (and over HTTP there is no object to share).
import { z } from 'zod';

/** Content type of a query result over HTTP (`POST /api/query`). */
import type { TargetRange } from './sets-sql.ts';

export const ARROW_STREAM_TYPE = 'application/vnd.apache.arrow.stream';

/** One client's queries (a renderer session): its own connection, so its temp tables are its own. */
export const querySessionSchema = z.string().regex(/^[a-f0-9]{32}$/, 'query session must be 32 hex digits');
/** Names one query so it can be cancelled while queued or running. */
export const queryIdSchema = z
  .string()
  .regex(/^[a-z0-9]{1,24}$/, 'query id must be 1-24 lowercase letters or digits');

/** SQL text longer than this is refused (the HTTP body limit is 1 MiB too). */
export const MAX_SQL_CHARS = 256 * 1024;

/** One result: the Arrow IPC stream (schema, then record batches) of a single statement. */
export interface ArrowIpcResult {
  ipc: Uint8Array;
}

/** The host said the query was dropped (cancelled by the client, or its session closed). */
export const CANCELLED_MESSAGE = 'query cancelled';

/**
 * A table the host pre-aggregated for an opened store (electron/host/native-presets.ts): the sets
 * query of shared/sets-sql.ts over the whole store, for these targets and parameter columns.
 * Readable by name in that store's `query`, until the host has told the page the rows changed.
 */
export interface SetsPreaggregate {
  table: string;
  targets: string[];
  params: string[];
  /** Per target: its rows in the store and the ok-loss ranges in the table (pivotRangesSql). */
  ranges: TargetRange[];
  /** Read from the host's saved copy of these rows (preset-cache.ts) rather than built now. */
  saved: boolean;
}
