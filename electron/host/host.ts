// The Api in plain Node. Both transports (Electron IPC in main.ts, HTTP in serve/) wrap one Host.
import path from 'node:path';
import type { Readable } from 'node:stream';
import {
  type Api,
  type ApiErrorCode,
  type ApiMethod,
  type ApiRequest,
  type ApiResult,
  apiRequests,
} from '../../shared/api.ts';
import type { ApiEvent } from '../../shared/events.ts';
import { COLLECTOR_VERSION } from '../collector/version.ts';
import { CollectJobs, type CollectorLauncher } from './collect-jobs.ts';
import { resolveInside } from './confine.ts';
import { ExportJobs } from './export-jobs.ts';
import { defaultBudget } from './native-lockdown.ts';
import { NativeQueries, NoSuchStore } from './native-queries.ts';
import { QueryCancelled } from './native-session.ts';
import { SpecialFileError } from './open-file.ts';
import { openFolder } from './open-store.ts';
import { appDataDir } from './paths.ts';
import { RecentJobs } from './recent-jobs.ts';
import { StoreRegistry } from './store-registry.ts';
import { UPLOAD_EXTENSIONS, UploadError, Uploads } from './uploads.ts';

export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: ApiErrorCode,
  ) {
    super(message);
  }
}

export interface HostOptions {
  transport: 'electron' | 'http';
  crossOriginIsolation: boolean;
  /** A native folder picker; absent in the browser host. */
  pickDirectory?: () => Promise<string | null>;
  watch?: boolean;
  pollMs?: number;
  /** A native save dialog for exports (Electron); without it exports are downloaded from the host. */
  pickSavePath?: (suggestedName: string) => Promise<string | null>;
  /** Where collected stores and the recent-jobs list live (default: the app-data folder). */
  dataDir?: string;
  /** How the collector child is started (Electron passes its utilityProcess). */
  launchCollector?: CollectorLauncher;
}

export interface Host {
  api: Api;
  /** Validate an untrusted request and run it: what both transports call. */
  call<M extends ApiMethod>(method: M, rawRequest: unknown): Promise<ApiResult<M>>;
  subscribe(listener: (e: ApiEvent) => void): () => void;
  /** Stream one dropped file into an upload folder (browser host); resolves to its size. */
  writeUpload(uploadId: string, rawSegments: readonly string[], body: Readable): Promise<number>;
  /** Real path of a file inside an opened store, or throws ConfinementError. */
  resolveStoreFile(storeId: string, rawSegments: readonly string[]): Promise<string>;
  /** The file behind a finished export's download URL (browser host), or null. */
  resolveExportFile(exportId: string, name: string): string | null;
  /** The native query engine behind `query` (tests look at its sessions). */
  readonly native: NativeQueries;
  close(): Promise<void>;
}

/** A failed query as the page sees it: DuckDB's own message (the views explain it), or why not run. */
function queryError(e: unknown): never {
  if (e instanceof QueryCancelled) throw new ApiError(e.message, 'cancelled');
  if (e instanceof NoSuchStore) throw new ApiError(e.message, 'not-found');
  throw new ApiError(e instanceof Error ? e.message : String(e), 'bad-request');
}

export function createHost(options: HostOptions): Host {
  const registry = new StoreRegistry({ watch: options.watch ?? true, pollMs: options.pollMs });
  // Before any transport subscribes: a store's native view is rebuilt before the page hears of it.
  const dataDir = options.dataDir ?? appDataDir();
  const native = new NativeQueries(registry, defaultBudget, path.join(dataDir, 'presets'));
  const recents = new RecentJobs(dataDir);
  const uploads = new Uploads(dataDir);
  const events = new Set<(e: ApiEvent) => void>();
  const jobs = new CollectJobs((job) => {
    for (const l of events) l({ type: 'collect-progress', job });
  }, options.launchCollector);

  const exports = new ExportJobs(options.pickSavePath ? null : path.join(dataDir, 'exports'));

  const api: Api = {
    hostInfo: async () => ({
      transport: options.transport,
      version: COLLECTOR_VERSION,
      crossOriginIsolation: options.crossOriginIsolation,
      nativeQuery: true,
    }),
    listStores: async () => registry.list(),
    openStore: async ({ path, beside }) => {
      try {
        return await openFolder({ registry, jobs, recents, dataDir }, path, beside ?? false);
      } catch (e) {
        throw new ApiError((e as Error).message, e instanceof SpecialFileError ? 'bad-request' : 'not-found');
      }
    },
    closeStore: async ({ storeId }) => ({ closed: await registry.close(storeId) }),
    pickStore: async () => {
      if (!options.pickDirectory) {
        throw new ApiError(
          'Choosing a folder needs the desktop app; type the store path instead.',
          'unsupported',
        );
      }
      return { path: await options.pickDirectory() };
    },
    listCollects: async () => jobs.list(),
    cancelCollect: async ({ jobId }) => ({ cancelled: jobs.cancel(jobId) }),
    beginUpload: async () => ({
      ...(await uploads.begin()),
      maxBytes: uploads.maxBytes,
      extensions: UPLOAD_EXTENSIONS,
    }),
    recentJobs: () => recents.list(),
    forgetRecent: async ({ path }) => {
      await recents.forget(path);
      return { forgotten: true };
    },
    exportRows: async (req) => {
      const entry = registry.get(req.storeId);
      if (!entry) throw new ApiError(`no open store ${req.storeId}`, 'not-found');
      try {
        return exports.start(req, { path: entry.realRoot, name: entry.store.name });
      } catch (e) {
        throw new ApiError((e as Error).message, 'bad-request');
      }
    },
    exportStatus: async ({ exportId }) => {
      const job = exports.status(exportId);
      if (!job) throw new ApiError(`no export ${exportId}`, 'not-found');
      return job;
    },
    pickExportPath: async ({ suggestedName }) => {
      if (!options.pickSavePath) {
        throw new ApiError(
          'The browser host downloads exports; there is no save dialog here.',
          'unsupported',
        );
      }
      const chosen = await options.pickSavePath(suggestedName);
      if (chosen) exports.allow(chosen);
      return { path: chosen };
    },
    query: async (req) => ({ ipc: await native.run(req).catch(queryError) }),
    cancelQuery: async (req) => ({ cancelled: await native.cancel(req) }),
    closeQuerySession: async ({ storeId, session }) => ({
      closed: await native.closeSession(storeId, session),
    }),
    preaggregates: async ({ storeId }) => ({ sets: await native.presets(storeId).catch(queryError) }),
  };

  return {
    api,
    async call(method, rawRequest) {
      const parsed = apiRequests[method].safeParse(rawRequest ?? {});
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new ApiError(
          `${method}: ${issue?.path.join('.') || 'request'}: ${issue?.message}`,
          'bad-request',
        );
      }
      const handler = api[method] as (req: ApiRequest<typeof method>) => Promise<ApiResult<typeof method>>;
      return handler(parsed.data as ApiRequest<typeof method>);
    },
    subscribe: (listener) => {
      events.add(listener);
      const off = registry.subscribe(listener);
      return () => {
        events.delete(listener);
        off();
      };
    },
    async writeUpload(uploadId, rawSegments, body) {
      try {
        return await uploads.write(uploadId, rawSegments, body);
      } catch (e) {
        if (e instanceof UploadError) throw new ApiError(e.message, 'bad-request');
        throw e;
      }
    },
    async resolveStoreFile(storeId, rawSegments) {
      const entry = registry.get(storeId);
      if (!entry) throw new ApiError(`no open store ${storeId}`, 'not-found');
      return resolveInside(entry.realRoot, rawSegments);
    },
    resolveExportFile: (exportId, name) => exports.file(exportId, name),
    native,
    close: async () => {
      await jobs.closeAll();
      await native.closeAll();
      await registry.closeAll();
    },
  };
}
