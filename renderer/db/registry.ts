// Keeps DuckDB's view of a store in step with its manifest: each listed shard is registered by
// URL (so DuckDB reads only the byte ranges a query needs) and the `losses` view is rebuilt over
// the readable ones. A shard that cannot be read yet (host still renaming it, a flaky read) is
// left out of the view and retried, so a live store never shows an error or an empty table.
import type { OpenStore } from '../../shared/api.ts';
import type { Manifest, ShardEntry } from '../../shared/manifest.ts';
import { storeColumns } from '../../shared/schema.ts';
import { ident, str } from '../../shared/sql.ts';
import type { EarlySource } from './early-window.ts';
import type { SqlEngine } from './engine-types.ts';
import { MemoryCache } from './memory-cache.ts';
import { cleanDuckError } from './queries.ts';
import { LOSSES } from './sql.ts';

/** Shards up to this size are copied into memory from their whole bytes (copyShard). */
const WHOLE_SHARD_MAX = 64 * 2 ** 20;

export interface RegistryOptions {
  /** URL (or local path in tests) of a shard's bytes. */
  shardUrl: (storeId: string, shardPath: string) => string;
  retryDelayMs?: number;
  maxRetries?: number;
  /** Called after the view changed (new shards readable, or shards dropped, or moved to memory). */
  onChange?: () => void;
  /** Copy stores up to this many rows into memory (see memory-cache.ts); 0 = never. */
  memoryRows?: number;
  /**
   * Asked before DuckDB is given a shard: DuckDB-WASM's read of a URL that answers 404 never
   * settles, which froze the whole app on one deleted file. Defaults to an HTTP HEAD.
   */
  probe?: (url: string) => Promise<ProbeResult>;
  /** The view this registry keeps (default `losses`; a compared store has its own). */
  viewName?: string;
  /** Called when the list of shards that cannot be read changes. */
  onProblems?: (problems: readonly ShardProblem[]) => void;
}

export type ProbeResult = { ok: true } | { ok: false; status: number };

/** A listed shard the view leaves out, and why. */
export interface ShardProblem {
  path: string;
  rows: number;
  reason: string;
}

/** Failures before a shard is reported (a first failed read can be a rename in flight). */
const REPORT_AFTER = 2;

async function headProbe(url: string): Promise<ProbeResult> {
  if (!/^(https?|losslens):/.test(url)) return { ok: true }; // a local path (Node tests)
  const res = await fetch(url, { method: 'HEAD', cache: 'no-store' });
  return res.ok ? { ok: true } : { ok: false, status: res.status };
}

export class ShardRegistry {
  /** shard path → name registered in DuckDB's virtual file system. */
  private readonly readable = new Map<string, string>();
  private readonly pending = new Map<string, number>();
  /** path → why it failed; `sure` = the host answered that it is not there (no need to wait). */
  private readonly failing = new Map<string, { reason: string; sure: boolean }>();
  private storeId = '';
  private manifest: Manifest | null = null;
  /** `manifest` once the view has been rebuilt over it (apply() sets `manifest` first). */
  private applied: Manifest | null = null;
  private chain: Promise<void> = Promise.resolve();
  private closed = false;
  private hasView = false;
  private fillHeld = false;
  private fillQueued = false;
  private rowsVersion = 0;
  private readonly cache: MemoryCache;

  constructor(
    private readonly engine: SqlEngine,
    private readonly opts: RegistryOptions,
  ) {
    const view = opts.viewName ?? LOSSES;
    this.cache = new MemoryCache(
      engine,
      opts.memoryRows ?? 3_000_000,
      view === LOSSES ? undefined : `${view}_mem`,
    );
  }

  /**
   * Bumped before the rows behind the view change (a shard in or out, the switch to memory), so
   * anything derived from the view can tell it is stale (derived.ts).
   */
  get version(): number {
    return this.rowsVersion;
  }

  /** Listed shards left out of the view after repeated failures, with the reason. */
  get problems(): ShardProblem[] {
    const rows = new Map(this.manifest?.shards.map((s) => [s.path, s.rows]) ?? []);
    return [...this.failing]
      .filter(([path, f]) => rows.has(path) && (f.sure || (this.pending.get(path) ?? 0) >= REPORT_AFTER))
      .map(([path, f]) => ({ path, rows: rows.get(path) ?? 0, reason: f.reason }));
  }

  get shardCount(): number {
    return this.readable.size;
  }

  /** The manifest the view was last brought in line with (null before the first sync). */
  get appliedManifest(): Manifest | null {
    return this.applied;
  }

  /** The store whose shards the view holds ('' before the first sync, or after forget()). */
  get currentStore(): string {
    return this.storeId;
  }

  /**
   * Let go of the store's shards and memory copy: the host's native engine answers for a store
   * too big for memory, so WASM need not read a footer per shard (the opening cost).
   */
  forget(): Promise<void> {
    this.chain = this.chain
      .then(async () => {
        if (!this.storeId && !this.readable.size) return;
        await this.dropAll();
        this.storeId = '';
        this.manifest = null;
      })
      .catch(() => {});
    return this.chain;
  }

  /** Bring the view in line with `store`'s manifest; serialised so updates apply in order. */
  sync(store: Pick<OpenStore, 'id' | 'manifest'>): Promise<void> {
    this.chain = this.chain.then(() => this.apply(store)).catch(() => {});
    return this.chain;
  }

  close(): void {
    this.closed = true;
  }

  /** Resolves when queued work (registration, copying into memory) is done. */
  async idle(): Promise<void> {
    for (let seen = this.chain; ; seen = this.chain) {
      await seen;
      if (seen === this.chain) return;
    }
  }

  /**
   * Hold the copy into memory until `releaseFill`: DuckDB runs one query at a time, so the first
   * page must be asked for before a shard copy (~0.5 s each at 1M rows) occupies the worker.
   */
  holdFill(): void {
    this.fillHeld = true;
  }

  releaseFill(): void {
    if (!this.fillHeld) return;
    this.fillHeld = false;
    this.chain = this.chain.then(() => this.queueFill());
  }

  /** While the view reads shards: which, with their manifest entries (see early-window.ts). */
  earlySource(): EarlySource | null {
    if (this.mode === 'memory' || !this.manifest) return null;
    const entries = new Map(this.manifest.shards.map((s) => [s.path, s]));
    const shards: { name: string; entry: ShardEntry }[] = [];
    for (const [path, name] of this.readable) {
      const entry = entries.get(path);
      if (entry) shards.push({ name, entry });
    }
    return { shards };
  }

  /** `memory` once every readable shard is copied into the in-memory table. */
  get mode(): 'memory' | 'shards' {
    return this.readable.size > 0 && this.cache.covers([...this.readable.values()]) ? 'memory' : 'shards';
  }

  private async apply(store: Pick<OpenStore, 'id' | 'manifest'>): Promise<void> {
    if (this.closed) return;
    if (store.id !== this.storeId) await this.dropAll();
    this.storeId = store.id;
    this.manifest = store.manifest;
    const listed = new Set(store.manifest.shards.map((s) => s.path));
    let changed = false;
    let unlisted = false;
    for (const path of this.failing.keys()) {
      if (listed.has(path)) continue;
      this.failing.delete(path);
      this.pending.delete(path);
      unlisted = true;
    }
    if (unlisted) this.reportProblems();
    // Shards no longer listed (a compaction swapped them for one) leave the view only when it is
    // rebuilt over their replacements, and their rows and files go after that: removed first, the
    // view showed none of their rows until the new shard was registered.
    const removed: string[] = [];
    for (const [path, name] of this.readable) {
      if (listed.has(path)) continue;
      this.readable.delete(path);
      this.rowsVersion++;
      removed.push(name);
      changed = true;
    }
    for (const path of listed) {
      if (this.readable.has(path)) continue;
      if (await this.tryRegister(path)) changed = true;
    }
    if (this.cache.size > 0 && !this.cache.enabledFor(store.manifest)) {
      this.rowsVersion++;
      await this.cache.clear(); // grew past the memory budget: back to reading shards
      changed = true;
    }
    if (changed || !this.hasView) await this.rebuildView();
    for (const name of removed) {
      await this.cache.unload(name);
      await this.engine.dropFile(name).catch(() => {});
    }
    this.applied = store.manifest;
    if (changed) this.opts.onChange?.();
    this.queueFill();
  }

  /**
   * Copy readable shards into memory one per chain step, so interactive queries interleave with
   * the copying; switch the view over once all are in.
   */
  private queueFill(): void {
    const manifest = this.manifest;
    // One copy step queued at a time: every manifest update calls this, and two steps picking the
    // same not-yet-copied shard would insert its rows twice (issue 8.1: `660 of 456 rows`).
    if (this.fillQueued || this.fillHeld) return;
    if (!manifest || !this.cache.enabledFor(manifest)) return;
    const next = [...this.readable.values()].find((n) => !this.cache.has(n));
    if (next === undefined) return;
    this.fillQueued = true;
    this.chain = this.chain
      .then(async () => {
        this.fillQueued = false;
        if (this.closed) return;
        if (this.cache.has(next) || ![...this.readable.values()].includes(next)) return this.queueFill();
        await this.copyShard(next, manifest);
        if (this.mode === 'memory') {
          await this.rebuildView();
          this.opts.onChange?.();
        } else this.queueFill();
      })
      .catch(() => {
        this.rowsVersion++;
        return this.cache.clear().catch(() => {});
      });
  }

  /**
   * Copy one shard into the memory table. Where the engine takes buffers (DuckDB-WASM) the shard's
   * bytes are fetched whole, read from memory and dropped: reading it by HTTP ranges left ~200 MB
   * more in WASM's heap for 1M rows (731 → 521 MB of renderer memory) and took longer (8.2 → 5.8 s).
   */
  private async copyShard(name: string, manifest: Manifest): Promise<void> {
    const register = this.engine.registerBuffer?.bind(this.engine);
    const path = name.slice(this.storeId.length + 1);
    const listed = manifest.shards.find((s) => s.path === path)?.bytes ?? 0;
    // A shard of unknown or large size by ranges: its whole bytes would be one big spike in memory.
    if (!register || listed <= 0 || listed > WHOLE_SHARD_MAX) return this.cache.load(name, manifest);
    const res = await fetch(this.opts.shardUrl(this.storeId, path));
    if (!res.ok) throw new Error(`${path}: HTTP ${res.status} while copying it into memory`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    if (bytes.length !== listed)
      throw new Error(`${path}: read ${bytes.length} bytes while copying it, the manifest lists ${listed}`);
    const copy = `${name}#copy`;
    await register(copy, bytes);
    try {
      await this.cache.load(name, manifest, copy);
    } finally {
      await this.engine.dropFile(copy).catch(() => {});
    }
  }

  private async tryRegister(path: string): Promise<boolean> {
    const name = `${this.storeId}/${path}`;
    const url = this.opts.shardUrl(this.storeId, path);
    try {
      const probed = await (this.opts.probe ?? headProbe)(url);
      if (!probed.ok) {
        const why = probed.status === 404 ? 'missing from the store folder' : 'not served';
        return this.failed(path, `${why} (HTTP ${probed.status})`, true);
      }
      await this.engine.registerFile(name, url);
      // Reading the footer proves the bytes are there and complete.
      await this.engine.query(`SELECT count(*) FROM read_parquet(${str(name)})`);
      this.readable.set(path, name);
      this.pending.delete(path);
      if (this.failing.delete(path)) this.reportProblems();
      return true;
    } catch (e) {
      await this.engine.dropFile(name).catch(() => {});
      return this.failed(path, `cannot be read (${cleanDuckError(e)})`);
    }
  }

  private failed(path: string, reason: string, sure = false): false {
    const before = this.failing.get(path);
    this.failing.set(path, { reason, sure });
    this.scheduleRetry(path);
    const tries = this.pending.get(path);
    if (before?.reason !== reason || (sure ? tries === 1 : tries === REPORT_AFTER)) this.reportProblems();
    return false;
  }

  private reportProblems(): void {
    this.opts.onProblems?.(this.problems);
  }

  private scheduleRetry(path: string): void {
    const tries = (this.pending.get(path) ?? 0) + 1;
    this.pending.set(path, tries);
    if (tries > (this.opts.maxRetries ?? 8)) return;
    const delay = (this.opts.retryDelayMs ?? 250) * 2 ** (tries - 1);
    const storeId = this.storeId;
    setTimeout(() => {
      if (this.closed || storeId !== this.storeId || !this.manifest) return;
      void this.sync({ id: storeId, manifest: this.manifest });
    }, delay);
  }

  private async rebuildView(): Promise<void> {
    this.rowsVersion++;
    const names = [...this.readable.values()].sort();
    let body = emptyRelation(this.manifest);
    if (names.length && this.cache.covers(names)) body = this.cache.viewBody();
    else if (names.length)
      body = `SELECT * FROM read_parquet([${names.map(str).join(', ')}], union_by_name = true)`;
    await this.engine.query(`CREATE OR REPLACE VIEW ${ident(this.opts.viewName ?? LOSSES)} AS ${body}`);
    this.hasView = true;
  }

  private async dropAll(): Promise<void> {
    this.rowsVersion++;
    this.applied = null;
    await this.cache.clear();
    for (const name of this.readable.values()) await this.engine.dropFile(name).catch(() => {});
    this.readable.clear();
    this.pending.clear();
    if (this.failing.size) {
      this.failing.clear();
      this.reportProblems();
    }
    this.hasView = false;
  }
}

/** Before the first shard lands the view still has the store's columns, and zero rows. */
function emptyRelation(manifest: Manifest | null): string {
  const cols = storeColumns(manifest?.params ?? []).map((c) => `NULL::${c.type} AS ${ident(c.name)}`);
  return `SELECT ${cols.join(', ')} WHERE false`;
}
