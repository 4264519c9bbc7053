// Names of the channels between host and renderer (routes, cookie, IPC, scheme). Kept free of
// runtime dependencies so Electron's sandboxed preload can bundle it small.

/** URL layout shared by the browser host and the renderer's HTTP client. */
export const HTTP_ROUTES = {
  api: '/api/',
  events: '/api/events',
  /** WebSocket: `query` and `cancelQuery` for the views, without a fetch per query (query-socket.ts). */
  querySocket: '/api/socket',
  shards: '/store/',
  /** Browser host: `/export/<exportId>/<fileName>` downloads a finished export. */
  exports: '/export/',
  /** `PUT /upload/<uploadId>/<relative path>`: a file dropped in the browser, streamed to the host. */
  upload: '/upload/',
} as const;
/**
 * The browser host's token cookie, named per port: cookies do not separate ports, so two hosts in
 * one browser would otherwise overwrite each other's cookie and log each other out.
 */
export function tokenCookieName(port: number): string {
  return `losslens_token_${port}`;
}
export const ELECTRON_SCHEME = 'losslens';
export const IPC_CHANNEL = { invoke: 'losslens:api', event: 'losslens:event' } as const;

/** Path of a shard under a store, for both transports: `<prefix><storeId>/<shardPath>`. */
export function shardRoute(storeId: string, shardPath: string): string {
  return `${storeId}/${shardPath.split('/').map(encodeURIComponent).join('/')}`;
}

/**
 * Shard URL prefix in Electron: `losslens://app/store/<storeId>/<shardPath>`. Same origin as the
 * page (`losslens://app`), so DuckDB's worker reads shards without CORS under COEP.
 */
export const ELECTRON_SHARD_PREFIX = `${ELECTRON_SCHEME}://app/store/`;
