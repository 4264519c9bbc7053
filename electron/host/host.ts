// The Api in plain Node. Both transports (Electron IPC in main.ts, HTTP in serve/) wrap one Host.
import { type Api, type ApiMethod, type ApiRequest, type ApiResult, apiRequests } from '../../shared/api.ts';
import type { ApiEvent } from '../../shared/events.ts';
import { COLLECTOR_VERSION } from '../collector/version.ts';
import { resolveInside } from './confine.ts';
import { SpecialFileError } from './open-file.ts';
import { StoreRegistry } from './store-registry.ts';

export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: 'bad-request' | 'not-found' | 'unsupported' | 'internal',
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
}

export interface Host {
  api: Api;
  /** Validate an untrusted request and run it: what both transports call. */
  call<M extends ApiMethod>(method: M, rawRequest: unknown): Promise<ApiResult<M>>;
  subscribe(listener: (e: ApiEvent) => void): () => void;
  /** Real path of a file inside an opened store, or throws ConfinementError. */
  resolveStoreFile(storeId: string, rawSegments: readonly string[]): Promise<string>;
  close(): Promise<void>;
}

export function createHost(options: HostOptions): Host {
  const registry = new StoreRegistry({ watch: options.watch ?? true, pollMs: options.pollMs });

  const api: Api = {
    hostInfo: async () => ({
      transport: options.transport,
      version: COLLECTOR_VERSION,
      crossOriginIsolation: options.crossOriginIsolation,
    }),
    listStores: async () => registry.list(),
    openStore: async ({ path }) => {
      try {
        return await registry.open(path);
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
    subscribe: (listener) => registry.subscribe(listener),
    async resolveStoreFile(storeId, rawSegments) {
      const entry = registry.get(storeId);
      if (!entry) throw new ApiError(`no open store ${storeId}`, 'not-found');
      return resolveInside(entry.realRoot, rawSegments);
    },
    close: () => registry.closeAll(),
  };
}
