// The host's native DuckDB behind SqlEngine: SQL goes over the Api (`query`), Arrow IPC bytes come
// back and are read with the apache-arrow that DuckDB-WASM uses, so rows look the same whichever
// engine answered. One engine per opened store and renderer session: its own host connection, so
// the temp tables it builds (derived.ts) are its own. An aborted query is cancelled on the host.
import type { ApiClient } from '../../shared/api.ts';
import { arrow } from '../../shared/arrow.ts';
import type { SetsPreaggregate } from '../../shared/query-wire.ts';
import { ApiError } from '../api/build.ts';
import type { ArrowTable, QueryOptions, SqlEngine } from './engine-types.ts';

/** Thrown for a query its caller aborted (or the host dropped): not an error to show. */
export class QueryAborted extends Error {
  override readonly name = 'AbortError';
  constructor() {
    super('query aborted');
  }
}

function sessionId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export class HostEngine implements SqlEngine {
  readonly bundle = 'native';
  private readonly session = sessionId();
  private seq = 0;
  private closed = false;

  constructor(
    private readonly api: Pick<ApiClient, 'query' | 'cancelQuery' | 'closeQuerySession' | 'preaggregates'>,
    readonly storeId: string,
  ) {}

  async query(sql: string, options: QueryOptions = {}): Promise<ArrowTable> {
    const { signal } = options;
    if (this.closed) throw new Error('the host engine for this store was closed');
    if (signal?.aborted) throw new QueryAborted();
    const ids = { storeId: this.storeId, session: this.session, queryId: (++this.seq).toString(36) };
    let onAbort = () => {};
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => {
        void this.api.cancelQuery(ids).catch(() => {});
        reject(new QueryAborted());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    try {
      const answer = this.api.query({ ...ids, sql }).then(({ ipc }) => arrow.tableFromIPC(ipc) as ArrowTable);
      return await (signal ? Promise.race([answer, aborted]) : answer);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'cancelled') throw new QueryAborted();
      throw e;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  async hostPresets(): Promise<SetsPreaggregate | null> {
    if (this.closed) return null;
    return (await this.api.preaggregates({ storeId: this.storeId })).sets;
  }

  registerFile(): Promise<void> {
    return Promise.reject(new Error('the host engine reads the store’s own shards; nothing to register'));
  }

  dropFile(): Promise<void> {
    return Promise.resolve();
  }

  /** Close the host connection (and with it the temp tables built through this engine). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.api.closeQuerySession({ storeId: this.storeId, session: this.session }).catch(() => {});
  }
}
