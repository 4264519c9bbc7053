// The one SqlEngine the views get. It sends each query where it runs fastest: DuckDB-WASM once the
// open store is in its memory copy (no round trip), the host's native DuckDB otherwise — stores
// above the memory limit, and every store until WASM has booted and copied it (so first rows come
// from the host at once instead of per-shard HTTP reads). The session decides the switch
// (session.ts) and bumps the data version with it, so derived tables are rebuilt on the new
// engine. A temp table stays with the engine that built it: a query naming one goes there, even
// after a switch, so a table built on one engine is never looked for on the other. Derived tables
// ask for the host (`preferHost`): the store's host engine is kept while WASM answers, so a pivot
// built natively at open serves the Pivot tab without a second build in WASM.
import type { ApiClient } from '../../shared/api.ts';
import type { SetsPreaggregate } from '../../shared/query-wire.ts';
import { ident } from '../../shared/sql.ts';
import type { ArrowTable, QueryOptions, SqlEngine } from './engine-types.ts';
import { HostEngine } from './host-engine.ts';

const CREATE_TEMP =
  /^\s*CREATE\s+(?:OR\s+REPLACE\s+)?TEMP(?:ORARY)?\s+TABLE\s+("(?:[^"]|"")+"|[A-Za-z_][\w$]*)/i;
/** A replaced host engine is closed this long after the switch, so queries in flight finish. */
const CLOSE_AFTER_MS = 10_000;

export type HostApi = Pick<ApiClient, 'query' | 'cancelQuery' | 'closeQuerySession' | 'preaggregates'>;

export class EngineRouter implements SqlEngine {
  private host: HostEngine | null = null;
  /** The shown store's host engine, kept while WASM answers (derived tables live there). */
  private pinned: HostEngine | null = null;
  /** Temp table name (as written in SQL) → the engine that built it. */
  private readonly owners = new Map<string, SqlEngine>();

  constructor(
    /** DuckDB-WASM (possibly still booting: lazy-engine.ts). */
    readonly wasm: SqlEngine,
    /** The host's query Api, or null when the host has none (an older host: WASM only). */
    private readonly hostApi: HostApi | null,
  ) {}

  get bundle(): string {
    return this.host ? this.host.bundle : this.wasm.bundle;
  }

  /** Whether the host has a query Api at all. */
  get hostAvailable(): boolean {
    return this.hostApi !== null;
  }

  get onHost(): boolean {
    return this.host !== null;
  }

  /** Route to the host for `storeId`; true when that changed the engine. */
  routeToHost(storeId: string): boolean {
    if (!this.hostApi || this.host?.storeId === storeId) return false;
    this.pin(storeId);
    this.host = this.pinned;
    return true;
  }

  /**
   * Route to DuckDB-WASM; true when that changed the engine. With `storeId`, the store's host
   * engine stays pinned for derived tables (another store's is let go).
   */
  routeToWasm(storeId?: string): boolean {
    if (storeId && this.hostApi) this.pin(storeId);
    else {
      this.retire(this.pinned);
      this.pinned = null;
    }
    if (!this.host) return false;
    this.host = null;
    return true;
  }

  /**
   * Resolves once no query has been in flight for `quietMs`: background work (the default pivot's
   * build, seconds of the host's CPU) waits for the user's first interactions to finish.
   */
  async whenQuiet(quietMs: number, pollMs = 100): Promise<void> {
    while (this.inFlight > 0 || performance.now() - this.lastDone < quietMs) {
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }

  private inFlight = 0;
  private lastDone = 0;

  async query(sql: string, options?: QueryOptions): Promise<ArrowTable> {
    this.inFlight++;
    try {
      return await this.route(sql, options);
    } finally {
      this.inFlight--;
      this.lastDone = performance.now();
    }
  }

  private async route(sql: string, options?: QueryOptions): Promise<ArrowTable> {
    const created = CREATE_TEMP.exec(sql)?.[1];
    // A table built from another goes where that one lives; a new one where the store is now, or
    // on the store's host engine when asked for.
    const preferred = options?.preferHost ? this.pinned : null;
    const engine = this.ownerOf(sql, created) ?? preferred ?? this.host ?? this.wasm;
    const table = await engine.query(sql, options);
    if (created) this.owners.set(created, engine);
    return table;
  }

  /** The pinned store's host pre-aggregates; queries naming them go to that host engine. */
  async hostPresets(): Promise<SetsPreaggregate | null> {
    const host = this.pinned;
    if (!host) return null;
    // A view waiting for the host's build is busy too (whenQuiet): nothing in the background may
    // take the CPU from that build.
    this.inFlight++;
    try {
      const p = await host.hostPresets();
      if (p) this.owners.set(ident(p.table), host);
      return p;
    } finally {
      this.inFlight--;
      this.lastDone = performance.now();
    }
  }

  registerFile(name: string, url: string): Promise<void> {
    return this.wasm.registerFile(name, url);
  }

  dropFile(name: string): Promise<void> {
    return this.wasm.dropFile(name);
  }

  /**
   * The page is going away: close its host connections now (not after the grace period), so a
   * pivot build it started does not hold the host's CPU for the next page (a reload).
   */
  async closeHost(): Promise<void> {
    const pinned = this.pinned;
    this.pinned = null;
    this.host = null;
    for (const [name, engine] of this.owners) if (engine === pinned) this.owners.delete(name);
    await pinned?.close();
  }

  async close(): Promise<void> {
    await this.pinned?.close();
    await this.wasm.close();
  }

  private ownerOf(sql: string, except?: string): SqlEngine | undefined {
    for (const [name, engine] of this.owners) {
      if (name === except || !sql.includes(name)) continue;
      if (/^\s*DROP\s/i.test(sql)) this.owners.delete(name);
      return engine;
    }
    return undefined;
  }

  /** Make `storeId`'s host engine the pinned one (a new one for another store). */
  private pin(storeId: string): void {
    if (!this.hostApi || this.pinned?.storeId === storeId) return;
    this.retire(this.pinned);
    this.pinned = new HostEngine(this.hostApi, storeId);
  }

  private retire(host: HostEngine | null): void {
    if (!host) return;
    setTimeout(() => {
      for (const [name, engine] of this.owners) if (engine === host) this.owners.delete(name);
      void host.close();
    }, CLOSE_AFTER_MS);
  }
}
