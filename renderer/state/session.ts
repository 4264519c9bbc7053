// Everything the app holds outside React: the Api client, DuckDB, the shard registry and the open
// store. It follows the host's change events, so a store that is still being collected keeps
// growing on screen. Views subscribe and re-query when `dataVersion` moves.
//
// Which engine answers (engine-router.ts) is decided here. With a host that runs queries: the
// host's native DuckDB from the moment a store is shown, and DuckDB-WASM once the store (if it
// fits, `memoryRows`) is copied into WASM memory; a store above the limit is never registered in
// WASM at all. Without one (an older host): WASM only, as before. Every switch bumps the data
// version, so views re-query and derived tables are rebuilt on the engine that now answers.
import type { ApiClient, OpenStore } from '../../shared/api.ts';
import type { CollectJob } from '../../shared/collect-job.ts';
import type { ApiEvent } from '../../shared/events.ts';
import type { Manifest } from '../../shared/manifest.ts';
import { paramColumn } from '../../shared/schema.ts';
import { AnalysisQueries, type PivotLayout } from '../db/analysis.ts';
import { BrushCube } from '../db/brush-cube.ts';
import { BrushedCounts } from '../db/brushed-counts.ts';
import { CompareQueries } from '../db/compare.ts';
import { LOSSES_B } from '../db/compare-sql.ts';
import { DerivedTables } from '../db/derived.ts';
import type { EarlySource } from '../db/early-window.ts';
import { EngineRouter } from '../db/engine-router.ts';
import type { SqlEngine } from '../db/engine-types.ts';
import { DEFAULT_HIST_BINS, HistogramQueries } from '../db/histograms.ts';
import { pivotQueriesFor } from '../db/pivot-queries.ts';
import { DEFAULT_BEST_N, profileQueriesFor } from '../db/profile.ts';
import { LossQueries } from '../db/queries.ts';
import { type ShardProblem, ShardRegistry } from '../db/registry.ts';
import { DEFAULT_COMBINED } from './url-state.ts';

/** The copy starts at the latest this long after the store is shown, even if no page was asked for. */
const RELEASE_FILL_MS = 1500;
/**
 * The default pivot is built this long after the rows reach memory: the open views re-fetch
 * first (DuckDB runs one query at a time and the build holds it for ~1.5 s at 1M rows).
 */
const WARM_PIVOT_MS = 300;
/** How long the views must have asked nothing before the default pivot is built on the host. */
const WARM_QUIET_MS = 1500;

export interface SessionSnapshot {
  phase: 'booting' | 'no-store' | 'ready' | 'error';
  error: string | null;
  store: OpenStore | null;
  /** Bumps whenever the rows behind the `losses` view change. */
  dataVersion: number;
  engine: string;
  shards: number;
  /** Listed shards that cannot be read: the view shows the rest, marked partial. */
  problems: readonly ShardProblem[];
  /**
   * The manifest the rows behind `losses` reflect, which `store.manifest` can be ahead of while
   * WASM registers a new shard: the status bar's totals come from it, never ahead of the count.
   */
  view: Manifest | null;
  /** Every store the host has open (the switcher). */
  stores: readonly OpenStore[];
  /** Collections the app runs for opened folders, newest first. */
  collects: readonly CollectJob[];
  /** The job compared with the open one (`losses_b`), and when its rows last changed. */
  compare: { store: OpenStore; version: number } | null;
  /** A folder the page's link names that the host has not opened: waits for the user's yes. */
  linkedPath: string | null;
}

export interface SessionOptions {
  /** The host runs queries in native DuckDB (`hostInfo().nativeQuery`). */
  hostQuery?: boolean;
  /** Stores up to this many rows are copied into WASM memory (`?memrows=`; default 3M). */
  memoryRows?: number;
}

const MEMORY_ROWS = 3_000_000;

export class Session {
  /** What the views query: the router over DuckDB-WASM and the host. */
  readonly engine: EngineRouter;
  readonly queries: LossQueries;
  readonly analysis: AnalysisQueries;
  readonly derived: DerivedTables;
  /** Counts under brushes from the derived pivot, when it answers them exactly. */
  readonly brushed: BrushedCounts;
  /** The active histogram's brush answered by sums, once prepared (brush-cube.ts). */
  readonly cube: BrushCube;
  readonly compareQueries: CompareQueries;
  private readonly registry: ShardRegistry;
  /** A second registry for the compared job: its own view and memory table, no memory copy. */
  private readonly compareRegistry: ShardRegistry;
  private warmTimer: ReturnType<typeof setTimeout> | undefined;
  private snap: SessionSnapshot = {
    phase: 'booting',
    error: null,
    store: null,
    dataVersion: 0,
    engine: '',
    shards: 0,
    problems: [],
    view: null,
    stores: [],
    collects: [],
    compare: null,
    linkedPath: null,
  };
  private readonly listeners = new Set<() => void>();
  /** The newest manifest each store's events carried (see show()). */
  private readonly latest = new Map<string, Manifest>();
  /** The store being registered, before it becomes current. */
  private showing: string | null = null;
  /** openPath calls in flight. */
  private opening = 0;
  private unsubscribe: () => void = () => {};
  private markFirstRows: () => void = () => {};
  /** Resolves when the first page of rows has been read (main.tsx boots WASM after it). */
  readonly firstRows = new Promise<void>((resolve) => {
    this.markFirstRows = resolve;
  });
  /**
   * Resolves once the first rows are shown and the views have been quiet for a moment: when work
   * the user did not ask for (the other views' code) may take the CPU.
   */
  readonly backgroundReady: Promise<void> = this.firstRows.then(() => this.engine.whenQuiet(WARM_QUIET_MS));
  private readonly memoryRows: number;
  /** Bumped when the rows behind `losses` change on any engine, or the engine changes. */
  private rowsEpoch = 0;
  private seenRegistryVersion = -1;
  /** Bumped when the host's rows for the shown store change (derived tables live there). */
  private hostEpoch = 0;

  constructor(
    readonly api: ApiClient,
    /** DuckDB-WASM (possibly still booting). */
    readonly wasm: SqlEngine,
    options: SessionOptions = {},
  ) {
    this.memoryRows = options.memoryRows ?? MEMORY_ROWS;
    const engine = new EngineRouter(wasm, options.hostQuery ? api : null);
    this.engine = engine;
    this.queries = new LossQueries(
      engine,
      () => this.earlyShards(),
      () => {
        this.markFirstRows();
        this.registry.releaseFill();
      },
      (filter) => this.brushed.count(filter),
    );
    this.derived = new DerivedTables(engine, {
      // With a host, derived tables are built there (engine-router.ts `preferHost`) once per host
      // data version, whichever engine answers the views: the switch to WASM does not rebuild them
      // (1M rows: the Pivot tab waited for the memory copy, then a 3.9 s WASM build).
      version: () => (engine.hostAvailable ? this.hostEpoch : this.rowsVersion()),
      enabled: () => engine.hostAvailable || this.registry.mode === 'memory',
    });
    this.analysis = new AnalysisQueries(engine, this.derived, () => this.layout());
    this.cube = new BrushCube(engine);
    this.brushed = new BrushedCounts(
      engine,
      this.derived,
      () => this.layout(),
      () => this.snap.store?.manifest ?? null,
      this.cube,
    );
    this.registry = new ShardRegistry(wasm, {
      shardUrl: (id, path) => api.shardUrl(id, path),
      memoryRows: this.memoryRows,
      onChange: () => this.onRegistryChange(),
      onProblems: (problems) => this.set({ problems }),
    });
    this.compareQueries = new CompareQueries(wasm);
    this.compareRegistry = new ShardRegistry(wasm, {
      shardUrl: (id, path) => api.shardUrl(id, path),
      viewName: LOSSES_B,
      memoryRows: 0,
      onChange: () => {
        const c = this.snap.compare;
        if (c) this.set({ compare: { ...c, version: c.version + 1 } });
      },
    });
    this.snap = { ...this.snap, engine: engine.bundle };
  }

  private onRegistryChange(): void {
    const inMemory = this.registry.mode === 'memory';
    if (inMemory) performance.mark('losslens:rows-in-memory');
    if (this.engine.hostAvailable) this.route();
    else if (inMemory) this.scheduleWarm();
    this.set({ dataVersion: this.snap.dataVersion + 1, shards: this.shardsShown() });
  }

  /**
   * With a host: WASM when the shown store is all in WASM memory, else the host. A switch bumps
   * the rows epoch (derived tables rebuild) and warms the default pivot on the new engine.
   */
  private route(): void {
    const store = this.snap.store ?? null;
    const id = this.showing ?? store?.id ?? null;
    if (!id) return;
    // The host answers with the newest manifest: a memory copy of an older one (a commit landed
    // while it was copied) would take rows off the screen, so the host answers until it catches up.
    const newest = this.latest.get(id) ?? (store?.id === id ? store.manifest : undefined);
    const synced = this.registry.appliedManifest;
    const inMemory =
      this.registry.mode === 'memory' &&
      this.registry.currentStore === id &&
      synced !== null &&
      !(newest && newer(newest, synced));
    const switched = inMemory ? this.engine.routeToWasm(id) : this.engine.routeToHost(id);
    if (!switched) return;
    this.rowsEpoch++;
    performance.mark(inMemory ? 'losslens:engine-wasm' : 'losslens:engine-host');
    this.set({ engine: this.engine.bundle });
    if (inMemory) this.scheduleWarm();
  }

  /** The data version derived tables are built at: any engine's rows, or the engine, changed. */
  private rowsVersion(): number {
    const v = this.registry.version;
    if (v !== this.seenRegistryVersion) {
      this.seenRegistryVersion = v;
      this.rowsEpoch++;
    }
    return this.rowsEpoch;
  }

  /**
   * The early windows (early-window.ts) on the host: the count from the manifest, the first pages
   * from the shards' heads, by their paths on the host (its DuckDB may read exactly those).
   */
  /** The store's shards one by one while it is not read from memory (early-window.ts), else null. */
  earlyShards(): EarlySource | null {
    return this.engine.onHost ? this.hostEarlySource() : this.registry.earlySource();
  }

  private hostEarlySource(): EarlySource | null {
    const store = this.snap.store;
    if (!store) return null;
    const root = store.path.replace(/[/\\]+$/, '');
    return { shards: store.manifest.shards.map((entry) => ({ name: `${root}/${entry.path}`, entry })) };
  }

  /** Shards behind the view: all listed ones on the host (it reads them locally), else WASM's. */
  private shardsShown(): number {
    if (this.engine.onHost) return this.snap.store?.manifest.shards.length ?? 0;
    return this.registry.shardCount;
  }

  /** Rows copied into WASM memory at most (`?memrows=`). */
  get memoryLimit(): number {
    return this.memoryRows;
  }

  /**
   * DuckDB-WASM reads this store's shards over HTTP Range for every query: no host engine answers
   * and it is beyond the memory copy. A chart over every row then takes a minute, not a moment.
   */
  readsShardsOverHttp(manifest: Manifest): boolean {
    return !this.engine.hostAvailable && !(this.memoryRows > 0 && manifest.counts.rows <= this.memoryRows);
  }

  /** Whether WASM should hold this store: it fits the memory copy (or there is no host). */
  private wasmWants(manifest: Manifest): boolean {
    return !this.engine.hostAvailable || (this.memoryRows > 0 && manifest.counts.rows <= this.memoryRows);
  }

  /** Bring WASM's view of `store` up to date in the background, or let it go. */
  private syncWasm(store: OpenStore): Promise<void> {
    // While comparing, WASM keeps the open job's shards (read in place) for Compare's joins.
    if (this.wasmWants(store.manifest) || this.snap.compare) return this.registry.sync(store);
    const held = this.registry.currentStore !== '';
    // Grown past the memory limit while WASM answered: back to the host, and say the rows moved.
    return this.registry.forget().then(() => (held ? this.onRegistryChange() : undefined));
  }

  /**
   * Open the store the URL names (its path on the host: a reload or a shared link shows the same
   * job), else the first the host has open. A named store the host has not opened is opened; if
   * that fails the message is shown over the first store.
   */
  async start(wantedPath: string | null): Promise<void> {
    this.unsubscribe = this.api.subscribe((e) => this.onEvent(e));
    const [stores, collects] = await Promise.all([this.api.listStores({}), this.api.listCollects({})]);
    this.set({ stores, collects: [...collects].reverse() });
    let store = stores.find((s) => s.path === wantedPath) ?? null;
    // A link may name a folder the host has not opened: any page can open such a link, so the
    // folder is opened (or, for job output, collected) only once the user says so.
    if (!store && wantedPath) this.set({ linkedPath: wantedPath });
    store ??= stores[0] ?? null;
    if (store) await this.show(store);
    else this.set({ phase: 'no-store' });
  }

  /** The user's answer to a link naming a folder that is not open. */
  async answerLink(open: boolean): Promise<void> {
    const path = this.snap.linkedPath;
    this.set({ linkedPath: null });
    if (open && path) {
      await this.openPath(path).catch((e: unknown) =>
        this.set({
          error: `Could not open ${path} from the link: ${e instanceof Error ? e.message : String(e)}`,
        }),
      );
    }
  }

  /** Open a store or any job folder (collected first, with progress in `collects`). */
  async openPath(path: string): Promise<void> {
    // The host announces the store (store-opened) before the call returns: that event must not
    // start a second, racing show() of the same store.
    this.opening++;
    try {
      await this.show(await this.api.openStore({ path }));
    } finally {
      this.opening--;
    }
  }

  /** Switch to a store the host already has open. */
  async switchTo(storeId: string): Promise<void> {
    const store = this.snap.stores.find((s) => s.id === storeId);
    if (store && store.id !== this.snap.store?.id) await this.show(store);
  }

  /** Compare the open job with another open one (null: stop comparing). */
  async compareWith(storeId: string | null): Promise<void> {
    const store = storeId === null ? null : (this.snap.stores.find((s) => s.id === storeId) ?? null);
    if (!store) {
      this.set({ compare: null });
      return;
    }
    // Compare joins WASM's `losses` (the open job) with `losses_b`: with a host answering the
    // views, WASM may still hold the job shown before, or none (a store too big for its memory),
    // so bring it up to date first or Compare reads the wrong job.
    const current = this.snap.store;
    if (current) await this.registry.sync(current);
    await this.compareRegistry.sync(store);
    this.set({ compare: { store, version: (this.snap.compare?.version ?? 0) + 1 } });
  }

  /** A message about the open store for the status bar (cleared when another store is shown). */
  say(message: string): void {
    this.set({ error: message });
  }

  cancelCollect(jobId: string): Promise<unknown> {
    return this.api.cancelCollect({ jobId });
  }

  get snapshot(): SessionSnapshot {
    return this.snap;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Resolves once queued shard work (registration, copies into memory) is done. */
  idle(): Promise<void> {
    return this.registry.idle();
  }

  /** Resolves once the shard work and the background warm-up are done (benchmarks). */
  async settled(): Promise<void> {
    await this.registry.idle();
    // A warm-up still due (waiting for the first rows and a quiet, or on its timer) runs now.
    const due = this.warmAwaited !== null && this.warmAwaited === this.snap.store?.id;
    if (due || this.warmTimer !== undefined) {
      this.warmAwaited = null;
      await this.warmNow();
    }
    await this.warming; // one already under way, too
    await this.derived.idle();
  }

  /** The page is being unloaded: stop what it asked the host for (engine-router.ts closeHost). */
  leave(): void {
    void this.engine.closeHost();
  }

  dispose(): void {
    clearTimeout(this.warmTimer);
    this.unsubscribe();
    this.registry.close();
    void this.engine.routeToWasm();
  }

  /** The open store's targets and parameter columns: the layout of the shared pivot table. */
  private layout(): PivotLayout | null {
    const m = this.snap.store?.manifest;
    return m
      ? { targets: m.targets.map((t) => t.id), params: m.params.map((p) => paramColumn(p.name)) }
      : null;
  }

  private scheduleWarm(): void {
    clearTimeout(this.warmTimer);
    this.warmTimer = setTimeout(() => void this.warmNow(), WARM_PIVOT_MS);
  }

  private warmNow(): Promise<void> {
    clearTimeout(this.warmTimer);
    this.warmTimer = undefined;
    const warming = this.warmViews().catch(() => {});
    this.warming = warming;
    void warming.then(() => {
      if (this.warming === warming) this.warming = null;
    });
    return warming;
  }

  /** The store shown on the host whose warm-up waits for its first rows and a quiet. */
  private warmAwaited: string | null = null;
  /** The background warm-up under way, if any (settled() waits for it). */
  private warming: Promise<void> | null = null;

  /**
   * In the background: the default sets table, the Pivot tab's default ranking over it, and the
   * Parameters tab's default answer (its first target, no filter), so a first click reads what
   * is ready (benchmarks call this too).
   */
  async warmViews(): Promise<void> {
    await this.analysis.warm();
    const layout = this.layout();
    if (layout)
      await pivotQueriesFor(this.engine, this.analysis)
        .warm(layout, DEFAULT_COMBINED)
        .catch(() => {});
    const m = this.snap.store?.manifest;
    const target = m?.targets[0]?.id;
    if (!m || !target) return;
    const params = m.params.map((p) => ({ column: paramColumn(p.name), name: p.name, type: p.type }));
    const pq = profileQueriesFor(this.engine, () => this.snap.dataVersion);
    // Every target's stats in one scan first: the default target's profile reads its row, and
    // another target chosen later needs only its own profile query.
    if (m.targets.length > 1) await pq.prefetchStats(params, {}).catch(() => {});
    await Promise.all([pq.profiles(target, params, {}), pq.best(target, params, {}, DEFAULT_BEST_N)]).catch(
      () => {},
    );
    await this.warmBrushes(m).catch(() => {});
  }

  /** The Histograms tab's brush cubes at its default bins, so a first brush is answered by sums. */
  private async warmBrushes(m: Manifest): Promise<void> {
    const h = new HistogramQueries(
      this.engine,
      this.analysis,
      () => this.layout(),
      () => m,
      this.cube,
    );
    const none = new Set<string>();
    const ov = await h.overview({});
    const set = await h.histograms({}, ov, DEFAULT_HIST_BINS, none);
    for (const hist of set.histograms) {
      if (this.snap.store?.manifest !== m) return; // the data changed: the views will ask anew
      await h.prepareBrush({}, ov, DEFAULT_HIST_BINS, none, hist);
    }
  }

  private async show(store: OpenStore): Promise<void> {
    if (this.engine.hostAvailable) return this.showOnHost(store);
    // Shown as soon as the shards are registered: the count comes from the manifest and the first
    // pages from bounded shard reads (early-window.ts). The copy into memory waits for the first
    // page (DuckDB runs one query at a time), then proceeds; when it is done the view switches to
    // memory and dataVersion bumps, which re-fetches the same rows from there.
    this.showing = store.id;
    this.registry.holdFill();
    void this.derived.clear();
    await this.registry.sync(store);
    // A manifest update that arrived while this store was being registered was not applied to
    // the view (it was not the current store yet): the store's own last collector commit must
    // never be lost, so the newest manifest seen wins.
    const latest = this.latest.get(store.id);
    if (latest && latest !== store.manifest && newer(latest, store.manifest)) {
      store = { ...store, manifest: latest };
      await this.registry.sync(store);
    }
    if (this.showing === store.id) this.showing = null;
    setTimeout(() => this.registry.releaseFill(), RELEASE_FILL_MS);
    this.set({
      store,
      stores: withStore(this.snap.stores, store),
      phase: 'ready',
      error: null,
      dataVersion: this.snap.dataVersion + 1,
      shards: this.registry.shardCount,
    });
  }

  /**
   * With a host, a store is shown at once: the host answers its first queries from its native
   * view (no shard is registered in WASM first), and WASM copies it in the background when it
   * fits in memory, taking over when that is done (route()).
   */
  private async showOnHost(store: OpenStore): Promise<void> {
    const latest = this.latest.get(store.id);
    if (latest && latest !== store.manifest && newer(latest, store.manifest))
      store = { ...store, manifest: latest };
    this.showing = store.id;
    this.hostEpoch++;
    void this.derived.clear();
    this.route();
    this.showing = null;
    // The warm-up, on the host once the first rows are on screen and the user's first
    // interactions are answered (4M rows: a pivot build at once made Ctrl+End 0.7 → 2.1 s).
    // (Waited for per store shown: after a switch, the new store's first interactions come first.)
    this.warmAwaited = store.id;
    void this.firstRows
      .then(() => this.engine.whenQuiet(WARM_QUIET_MS))
      .then(() => {
        if (this.snap.store?.id !== store.id || this.warmAwaited !== store.id) return;
        this.warmAwaited = null;
        this.scheduleWarm();
      });
    this.set({
      store,
      stores: withStore(this.snap.stores, store),
      phase: 'ready',
      error: null,
      problems: [],
      dataVersion: this.snap.dataVersion + 1,
      shards: store.manifest.shards.length,
    });
    void this.syncWasm(store);
  }

  private onEvent(e: ApiEvent): void {
    this.track(e);
    if (e.type === 'store-updated') this.latest.set(e.storeId, e.manifest);
    const compared = this.snap.compare;
    if (e.type === 'store-updated' && compared?.store.id === e.storeId) {
      const store = { ...compared.store, manifest: e.manifest };
      this.set({ compare: { ...compared, store } });
      void this.compareRegistry.sync(store);
    }
    const current = this.snap.store;
    if (e.type === 'store-updated' && current?.id === e.storeId) {
      const store = { ...current, manifest: e.manifest };
      this.set({ store });
      this.hostEpoch++;
      if (this.engine.onHost) {
        // The host rebuilt its view before sending this event: the rows changed now.
        this.rowsEpoch++;
        this.set({ dataVersion: this.snap.dataVersion + 1, shards: store.manifest.shards.length });
      }
      // Then the view's manifest is the new one even when no shard changed (a status, a count).
      void (this.engine.hostAvailable ? this.syncWasm(store) : this.registry.sync(store)).then(() =>
        this.set({}),
      );
    } else if (e.type === 'store-opened' && !current && this.showing === null && this.opening === 0) {
      void this.show(e.store);
    } else if (e.type === 'store-closed' && current?.id === e.storeId) {
      this.set({ store: null, phase: 'no-store' });
    } else if (e.type === 'store-error' && current?.id === e.storeId) {
      // The host keeps the last good manifest; the message is worth showing, not fatal.
      this.set({ error: e.message });
    }
  }

  /** The switcher's list and the collections, kept from the host's events. */
  private track(e: ApiEvent): void {
    const { stores, collects } = this.snap;
    if (e.type === 'collect-progress') {
      this.set({ collects: [e.job, ...collects.filter((j) => j.id !== e.job.id)] });
    } else if (e.type === 'store-opened') {
      this.set({ stores: withStore(stores, e.store) });
    } else if (e.type === 'store-updated') {
      this.set({ stores: stores.map((s) => (s.id === e.storeId ? { ...s, manifest: e.manifest } : s)) });
    } else if (e.type === 'store-closed') {
      this.set({ stores: stores.filter((s) => s.id !== e.storeId) });
    }
  }

  private set(patch: Partial<SessionSnapshot>): void {
    const next = { ...this.snap, ...patch };
    this.snap = { ...next, view: this.viewOf(next.store) };
    for (const l of this.listeners) l();
  }

  /** The host's view is rebuilt before it tells of a manifest; WASM's once the registry applied it. */
  private viewOf(store: OpenStore | null): Manifest | null {
    if (!store) return null;
    if (this.engine.onHost || this.registry.currentStore !== store.id) return store.manifest;
    return this.registry.appliedManifest ?? store.manifest;
  }
}

/** The list with `store` in it: replaced where it was, else appended (the switcher keeps order). */
function withStore(list: readonly OpenStore[], store: OpenStore): OpenStore[] {
  return list.some((s) => s.id === store.id)
    ? list.map((s) => (s.id === store.id ? store : s))
    : [...list, store];
}

/** Whether manifest `a` was written after `b` (updated_at, then more shards listed). */
function newer(a: Manifest, b: Manifest): boolean {
  return a.updated_at > b.updated_at || (a.updated_at === b.updated_at && a.shards.length > b.shards.length);
}
