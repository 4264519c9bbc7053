// The one Api contract. Both transports (Electron IPC, loopback HTTP) and the renderer client
// derive their types from `apiRequests` (request validation) and `ApiResults` (responses), the way
// optuna-dashboard keeps one request→result map that both ends of a channel share.
import { z } from 'zod';
import type { CollectJob } from './collect-job.ts';
import type { ApiEvent } from './events.ts';
import { type ExportJob, exportRequestSchema } from './export-types.ts';
import type { Manifest } from './manifest.ts';
import {
  type ArrowIpcResult,
  MAX_SQL_CHARS,
  queryIdSchema,
  querySessionSchema,
  type SetsPreaggregate,
} from './query-wire.ts';

export const storeIdSchema = z.string().regex(/^[a-z0-9]{1,32}$/, 'store id must be lowercase hex');

/** A store the user opened: `id` names it in shard URLs so no filesystem path crosses the wire twice. */
export interface OpenStore {
  id: string;
  /** Absolute path of the store directory on the host. */
  path: string;
  /** Display name: the directory's base name. */
  name: string;
  manifest: Manifest;
}

/** A job the user opened before: the folder they chose (a store or job output), newest first. */
export interface RecentJob {
  path: string;
  name: string;
  jobId: string | null;
  openedAt: string;
}

export interface HostInfo {
  transport: 'electron' | 'http';
  version: string;
  /** Whether the host sends COOP/COEP so the page can be cross-origin isolated. */
  crossOriginIsolation: boolean;
  /** Whether `query` runs SQL in the host's native DuckDB (absent from hosts before it existed). */
  nativeQuery?: boolean;
}

/** Request shapes, validated on the host side before any handler runs. */
export const apiRequests = {
  hostInfo: z.object({}),
  listStores: z.object({}),
  /**
   * Open a folder: a loss store as is; any job output the collector understands (a modelops job
   * view, a provenance store, NDJSON, parquet) is collected into a store first (`beside`: next to
   * the source, as `<folder>.losslens`, instead of in the app-data folder).
   */
  openStore: z.object({ path: z.string().min(1), beside: z.boolean().optional() }),
  closeStore: z.object({ storeId: storeIdSchema }),
  /** Ask the user for a store directory (a native dialog in Electron; unsupported over HTTP). */
  pickStore: z.object({}),
  /** Collections the app runs (or ran) for opened folders, with their progress. */
  listCollects: z.object({}),
  /** Stop a collection before its next shard; what is committed stays and opens. */
  cancelCollect: z.object({ jobId: z.string().regex(/^[a-f0-9]{16}$/) }),
  /**
   * Start an upload of dropped files (the browser host cannot see the user's paths): a new folder
   * in the app-data folder that `PUT /upload/<id>/<path>` fills and `openStore` then opens.
   */
  beginUpload: z.object({}),
  recentJobs: z.object({}),
  forgetRecent: z.object({ path: z.string().min(1) }),
  /** Write the view's rows / best N / summary with native DuckDB on the host; poll exportStatus. */
  exportRows: exportRequestSchema,
  exportStatus: z.object({ exportId: z.string().regex(/^[a-f0-9]{16}$/) }),
  /** Ask the user where to save an export (a native dialog in Electron; unsupported over HTTP). */
  pickExportPath: z.object({ suggestedName: z.string().min(1).max(255) }),
  /**
   * One SQL statement over an opened store's `losses` view in the host's native DuckDB (locked
   * down: only that store's shards readable, no writes; see SECURITY.md); Arrow IPC bytes back.
   */
  query: z.object({
    storeId: storeIdSchema,
    session: querySessionSchema,
    queryId: queryIdSchema,
    sql: z.string().min(1).max(MAX_SQL_CHARS),
  }),
  /** Stop a query the view no longer wants (queued: dropped; running: interrupted). */
  cancelQuery: z.object({ storeId: storeIdSchema, session: querySessionSchema, queryId: queryIdSchema }),
  /** Close a client's query connection (its temp tables go with it). */
  closeQuerySession: z.object({ storeId: storeIdSchema, session: querySessionSchema }),
  /**
   * The host's pre-aggregates of the store's current rows (waits for one being built): the sets
   * table of the unfiltered store, or null (none yet for these rows, or it could not be built).
   */
  preaggregates: z.object({ storeId: storeIdSchema }),
} as const;

export interface ApiResults {
  hostInfo: HostInfo;
  listStores: OpenStore[];
  openStore: OpenStore;
  closeStore: { closed: boolean };
  pickStore: { path: string | null };
  listCollects: CollectJob[];
  cancelCollect: { cancelled: boolean };
  beginUpload: { uploadId: string; folder: string; maxBytes: number; extensions: string[] };
  recentJobs: RecentJob[];
  forgetRecent: { forgotten: boolean };
  exportRows: ExportJob;
  exportStatus: ExportJob;
  pickExportPath: { path: string | null };
  query: ArrowIpcResult;
  cancelQuery: { cancelled: boolean };
  closeQuerySession: { closed: boolean };
  preaggregates: { sets: SetsPreaggregate | null };
}

export type ApiMethod = keyof typeof apiRequests & keyof ApiResults;
export type ApiRequest<M extends ApiMethod> = z.input<(typeof apiRequests)[M]>;
export type ApiResult<M extends ApiMethod> = ApiResults[M];

/** What both hosts implement. */
export type Api = { [M in ApiMethod]: (req: ApiRequest<M>) => Promise<ApiResult<M>> };

/** What the renderer holds: the Api plus change events and the transport's shard URLs. */
export interface ApiClient extends Api {
  subscribe(listener: (event: ApiEvent) => void): () => void;
  /** URL from which DuckDB-WASM reads a shard's bytes (HTTP Range). */
  shardUrl(storeId: string, shardPath: string): string;
}

export const API_METHODS = Object.keys(apiRequests) as ApiMethod[];

export function isApiMethod(name: string): name is ApiMethod {
  return Object.hasOwn(apiRequests, name);
}

/** `cancelled`: a query dropped because the client cancelled it (not a failure to show). */
export type ApiErrorCode = 'bad-request' | 'not-found' | 'unsupported' | 'internal' | 'cancelled';

/** The error shape both transports send back; `message` is meant for the user. */
export interface ApiErrorBody {
  error: { message: string; code: ApiErrorCode };
}

export {
  ELECTRON_SCHEME,
  ELECTRON_SHARD_PREFIX,
  HTTP_ROUTES,
  IPC_CHANNEL,
  shardRoute,
  tokenCookieName,
} from './channels.ts';

/** What a transport returns for one call: a value or a user-facing error. */
export type ApiEnvelope<T> = { ok: true; value: T } | ({ ok: false } & ApiErrorBody);

/** What Electron's preload exposes as `window.losslens` through contextBridge. */
export interface PreloadBridge {
  invoke<M extends ApiMethod>(method: M, req: ApiRequest<M>): Promise<ApiEnvelope<ApiResult<M>>>;
  onEvent(listener: (event: ApiEvent) => void): () => void;
  /** The filesystem path of a dropped file or folder (Electron's webUtils), '' when it has none. */
  pathForFile(file: File): string;
}
