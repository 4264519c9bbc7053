// One opened store in the host's native DuckDB: a locked-down instance (native-lockdown.ts) whose
// `losses` view lists the store's readable shards, the same relation the renderer's DuckDB-WASM
// builds (read_parquet over the listed files, union_by_name unless every file has the same columns),
// rebuilt when the manifest changes.
// Each client gets its own connection (native-session.ts); all share the store's memory budget.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Manifest } from '../../shared/manifest.ts';
import type { SetsPreaggregate } from '../../shared/query-wire.ts';
import { lossesSelect } from '../store/losses-view.ts';
import { type LockedInstance, openLockedInstance, type QueryBudget } from './native-lockdown.ts';
import { type PresetTiming, StorePresets } from './native-presets.ts';
import { QuerySession } from './native-session.ts';
import { PresetCache } from './preset-cache.ts';
import { readFooters } from './shard-footers.ts';

/** Connections per store; past this the least recently used idle one is closed. */
const MAX_SESSIONS = 8;
/** Reader connections per client beside its state connection (see native-session.ts). */
const READERS = 2;
const RETRY_MS = 250;
const MAX_RETRIES = 8;

export class NativeStore {
  private readonly sessions = new Map<string, Promise<QuerySession>>();
  /** Shard paths whose footer this instance has read, with their columns (names and types, in order). */
  private readonly readable = new Map<string, string>();
  private view: Promise<void>;
  private manifest: Manifest;
  private retries = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;

  private constructor(
    private readonly db: LockedInstance,
    private readonly shardDir: string,
    manifest: Manifest,
    presetTiming?: PresetTiming,
    presetDir: string | null = null,
  ) {
    this.manifest = manifest;
    // Rebuilds and saves wait while a page has a query queued or running (native-presets.ts).
    this.presets = new StorePresets(
      db.instance,
      () => this.anyBusy(),
      presetTiming,
      presetDir ? new PresetCache(presetDir) : null,
    );
    this.view = this.rebuild();
  }

  private readonly presets: StorePresets;

  /** Why the last view rebuild failed (queries then fail on a missing `losses`), else null. */
  lastError: string | null = null;

  static async open(
    realRoot: string,
    manifest: Manifest,
    budget: QueryBudget,
    presetTiming?: PresetTiming,
    /** Where this store's finished sets table is saved between opens (preset-cache.ts), or null. */
    presetDir: string | null = null,
  ): Promise<NativeStore> {
    // The real folder: DuckDB compares path strings, so a symlinked shards/ must be named as it is.
    const shardDir = await fs
      .realpath(path.join(realRoot, 'shards'))
      .catch(() => path.join(realRoot, 'shards'));
    // A data folder that cannot be written only costs the saved copies, never the queries.
    const saved = presetDir
      ? await fs.mkdir(presetDir, { recursive: true, mode: 0o700 }).then(
          () => presetDir,
          () => null,
        )
      : null;
    return new NativeStore(
      await openLockedInstance(shardDir, budget, saved),
      shardDir,
      manifest,
      presetTiming,
      saved,
    );
  }

  /** The shards in the view now (for tests and the status line). */
  get shardCount(): number {
    return this.readable.size;
  }

  /** Resolves once the view reflects the latest manifest given. */
  ready(): Promise<void> {
    return this.view;
  }

  /** The pre-aggregated sets table of the rows in the view now (waits for its build), or null. */
  async presetSets(): Promise<SetsPreaggregate | null> {
    let view: Promise<void>;
    do {
      view = this.view;
      await view;
    } while (view !== this.view);
    return this.presets.sets();
  }

  update(manifest: Manifest): void {
    this.manifest = manifest;
    this.retries = 0;
    this.view = this.view.then(() => this.rebuild());
  }

  async session(id: string): Promise<QuerySession> {
    let s = this.sessions.get(id);
    if (!s) {
      const connect = () => this.db.instance.connect();
      s = Promise.all([connect(), ...Array.from({ length: READERS }, connect)]).then(
        ([state, ...readers]) => {
          const session = new QuerySession(state, readers, () => this.view);
          this.settled.set(id, session);
          return session;
        },
      );
      this.sessions.set(id, s);
      s.catch(() => this.sessions.delete(id));
      await this.evict();
    }
    return s;
  }

  /** Whether a client has a statement queued or running (settled sessions only: no await). */
  private anyBusy(): boolean {
    return [...this.settled.values()].some((s) => s.busy);
  }

  /** Sessions once connected, for anyBusy. */
  private readonly settled = new Map<string, QuerySession>();

  /** Client sessions with a statement queued or running (tests: a cancelled query stopped). */
  async busySessions(): Promise<number> {
    const all = await Promise.all([...this.sessions.values()].map((p) => p.catch(() => null)));
    return all.filter((s) => s?.busy).length;
  }

  /** The session if it exists (cancel and close never open one). */
  existing(id: string): Promise<QuerySession> | undefined {
    return this.sessions.get(id);
  }

  async closeSession(id: string): Promise<boolean> {
    const s = this.sessions.get(id);
    if (!s) return false;
    this.sessions.delete(id);
    this.settled.delete(id);
    await (await s).close();
    return true;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    await Promise.all([...this.sessions.keys()].map((id) => this.closeSession(id)));
    await this.view.catch(() => {});
    await this.presets.close();
    await this.db.close();
  }

  private async evict(): Promise<void> {
    if (this.sessions.size <= MAX_SESSIONS) return;
    const idle: { id: string; at: number }[] = [];
    for (const [id, p] of this.sessions) {
      const s = await p.catch(() => null);
      if (s && !s.busy) idle.push({ id, at: s.lastUsed });
    }
    idle.sort((a, b) => a.at - b.at);
    for (const { id } of idle.slice(0, this.sessions.size - MAX_SESSIONS)) await this.closeSession(id);
  }

  private async rebuild(): Promise<void> {
    if (this.closed) return;
    try {
      const shown = await this.rebuildView();
      this.lastError = null;
      if (shown) this.presets.viewChanged(shown);
    } catch (e) {
      this.lastError = e instanceof Error ? e.message : String(e);
    }
  }

  /** The manifest the view now shows, or null when nothing in it changed. */
  private async rebuildView(): Promise<Manifest | null> {
    const manifest = this.manifest;
    const listed = manifest.shards.map((s) => s.path);
    for (const p of [...this.readable.keys()]) if (!listed.includes(p)) this.readable.delete(p);
    const fresh = listed.filter((p) => !this.readable.has(p));
    const footers = await readFooters(
      this.db.admin,
      fresh.map((p) => this.file(p)),
    );
    let failed = 0;
    for (const p of fresh) {
      const columns = footers.get(this.file(p));
      if (columns === undefined) failed++;
      else this.readable.set(p, columns);
    }
    const shown = listed.filter((p) => this.readable.has(p));
    const same = new Set(shown.map((p) => this.readable.get(p))).size <= 1;
    const sql = `CREATE OR REPLACE VIEW losses AS ${lossesSelect(
      shown.map((p) => this.file(p)),
      manifest.params,
      same,
    )}`;
    const changed = sql !== this.viewSql;
    await this.db.admin.run(sql);
    this.viewSql = sql;
    if (failed && this.retries < MAX_RETRIES) {
      const delay = RETRY_MS * 2 ** this.retries++;
      this.retryTimer = setTimeout(() => {
        this.view = this.view.then(() => this.rebuild());
      }, delay);
    }
    return changed ? { ...manifest, shards: manifest.shards.filter((s) => this.readable.has(s.path)) } : null;
  }

  private viewSql = '';

  private file(shardPath: string): string {
    return path.join(this.shardDir, path.relative('shards', shardPath));
  }
}
