// The query Api on the host: SQL from the page runs in the opened store's native DuckDB
// (native-store.ts), created on the first query and closed with the store. Manifest updates
// reach the view before the renderer hears of them: this subscribes to the store registry before
// any transport does, and a query waits for the rebuild its session is queued behind.
import type { ApiEvent } from '../../shared/events.ts';
import type { SetsPreaggregate } from '../../shared/query-wire.ts';
import { defaultBudget, type QueryBudget } from './native-lockdown.ts';
import { NativeStore } from './native-store.ts';
import { presetDir } from './preset-cache.ts';
import type { StoreRegistry } from './store-registry.ts';

export class NoSuchStore extends Error {}

export interface QueryRequest {
  storeId: string;
  session: string;
  queryId: string;
  sql: string;
}

export class NativeQueries {
  private readonly stores = new Map<string, Promise<NativeStore>>();
  private readonly off: () => void;

  constructor(
    private readonly registry: StoreRegistry,
    private readonly budget: (storeId: string) => QueryBudget = defaultBudget,
    /** The folder saved pre-aggregates go in (one subfolder per store), or null: none saved. */
    private readonly presetRoot: string | null = null,
  ) {
    this.off = registry.subscribe((e) => this.onEvent(e));
  }

  async run(req: QueryRequest): Promise<Uint8Array> {
    const store = await this.store(req.storeId);
    const session = await store.session(req.session);
    return session.run(req.queryId, req.sql);
  }

  async cancel(req: Omit<QueryRequest, 'sql'>): Promise<boolean> {
    const session = await (await this.existing(req.storeId))?.existing(req.session);
    return session?.cancel(req.queryId) ?? false;
  }

  /** The store's pre-aggregated sets table for its current rows (native-presets.ts), or null. */
  async presets(storeId: string): Promise<SetsPreaggregate | null> {
    return (await this.store(storeId)).presetSets();
  }

  async closeSession(storeId: string, session: string): Promise<boolean> {
    return (await (await this.existing(storeId))?.closeSession(session)) ?? false;
  }

  /** The store's native instance, for tests. */
  async storeFor(storeId: string): Promise<NativeStore> {
    return this.store(storeId);
  }

  async closeAll(): Promise<void> {
    this.off();
    const all = [...this.stores.values()];
    this.stores.clear();
    await Promise.all(all.map(async (s) => (await s.catch(() => null))?.close()));
  }

  private existing(storeId: string): Promise<NativeStore> | undefined {
    return this.stores.get(storeId)?.catch(() => undefined) as Promise<NativeStore> | undefined;
  }

  private store(storeId: string): Promise<NativeStore> {
    let s = this.stores.get(storeId);
    if (!s) {
      const entry = this.registry.get(storeId);
      if (!entry) return Promise.reject(new NoSuchStore(`no open store ${storeId}`));
      const saved = this.presetRoot ? presetDir(this.presetRoot, entry.realRoot) : null;
      s = NativeStore.open(entry.realRoot, entry.store.manifest, this.budget(storeId), undefined, saved);
      this.stores.set(storeId, s);
      s.catch(() => this.stores.delete(storeId));
    }
    return s;
  }

  private onEvent(e: ApiEvent): void {
    if (e.type === 'store-opened') {
      // Read the footers now, while the page is still loading, not on its first query.
      this.store(e.store.id).catch(() => {});
    } else if (e.type === 'store-updated') {
      void this.stores.get(e.storeId)?.then(
        (s) => s.update(e.manifest),
        () => {},
      );
    } else if (e.type === 'store-closed') {
      const s = this.stores.get(e.storeId);
      this.stores.delete(e.storeId);
      void s?.then(
        (x) => x.close(),
        () => {},
      );
    }
  }
}
