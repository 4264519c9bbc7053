// Pre-aggregates of one opened store, built by the host as shards land: today the sets table of the
// whole store (shared/sets-sql.ts, no filter), the table every Pivot, Best and Trade-offs query of an
// unfiltered view starts from. Built when the store opens and again, after a short quiet, whenever
// its `losses` view changes (a build for older rows is interrupted and its table never handed out),
// so a page opening the Pivot tab reads a table instead of waiting seconds for one (10M rows: the
// build is ~2.4 s of two cores). One table per data version in the instance's own schema, shared by
// every client (sessions only read it; native-statement.ts refuses dropping it); a replaced one is
// dropped after a grace period, so a page still holding its name until it hears of the change keeps
// working.
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { Manifest } from '../../shared/manifest.ts';
import type { SetsPreaggregate } from '../../shared/query-wire.ts';
import { paramColumn } from '../../shared/schema.ts';
import {
  pivotRangesSql,
  setsSelect,
  type TargetRange,
  targetRanges,
  targetRowsSql,
} from '../../shared/sets-sql.ts';
import { ident } from '../../shared/sql.ts';
import { PresetCache } from './preset-cache.ts';

/** Every pre-aggregate's name starts so; clients may read these tables, never drop them. */
export const PRESET_PREFIX = '__losslens_pre_';

export interface PresetTiming {
  /** Quiet after a change before rebuilding (a live collect commits every few hundred ms). */
  debounceMs: number;
  /** How long a replaced table stays readable. */
  graceMs: number;
  /**
   * A rebuild starts once the clients' queries have been quiet this long (or after `maxWaitMs`): a
   * live store's rebuild every few seconds beside the page's queries would halve their speed.
   */
  quietMs: number;
  maxWaitMs: number;
  /**
   * The quiet before saving a finished store's table for the next open (default 2 s): never
   * urgent, and a reload that lands in a save boots beside seconds of both cores.
   */
  saveQuietMs?: number;
}

const DEFAULT_TIMING: PresetTiming = {
  debounceMs: 750,
  graceMs: 60_000,
  quietMs: 300,
  maxWaitMs: 10_000,
  saveQuietMs: 2_000,
};
const POLL_MS = 50;
/** The longest quiet a save stopped by pages waits for before starting again. */
const MAX_SAVE_QUIET_MS = 8_000;

interface Build {
  version: number;
  done: Promise<SetsPreaggregate | null>;
  cancelled: boolean;
}

export class StorePresets {
  private conn: Promise<DuckDBConnection> | null = null;
  private version = 0;
  private seq = 0;
  private build: Build | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Resolves the next build's promise while it waits out the debounce. */
  private scheduled: { version: number; done: Promise<SetsPreaggregate | null>; skip(): void } | null = null;
  private readonly retired = new Set<ReturnType<typeof setTimeout>>();
  /** The save of a finished store's table under way (one at a time, on this connection). */
  private saving: Promise<void> = Promise.resolve();
  private closed = false;
  /** A page has asked since the last change: build without waiting for quiet. */
  private wanted = false;

  constructor(
    private readonly instance: DuckDBInstance,
    /** Whether to hold a rebuild or a save back: a client has a query queued or running. */
    private readonly clientsBusy: () => boolean,
    private readonly timing: PresetTiming = DEFAULT_TIMING,
    /** Where a finished store's table is saved for the next open, or null (not saved). */
    private readonly cache: PresetCache | null = null,
  ) {}

  /**
   * Resolves once clients have been quiet for `quietMs`, or `maxWaitMs` passed, or `stop()` says
   * there is no point waiting any more.
   */
  private async quiet(stop: () => boolean, quietMs = this.timing.quietMs): Promise<void> {
    const until = performance.now() + this.timing.maxWaitMs;
    let quietSince = performance.now();
    while (performance.now() < until && !this.closed && !stop()) {
      if (this.clientsBusy()) quietSince = performance.now();
      else if (performance.now() - quietSince >= quietMs) return;
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  /** The store's `losses` view now shows `manifest`: rebuild (at once for the first view). */
  viewChanged(manifest: Manifest): void {
    if (this.closed) return;
    const version = ++this.version;
    this.wanted = false;
    const previous = this.build;
    if (previous) this.cancel(previous);
    clearTimeout(this.timer);
    const delay = previous || this.scheduled ? this.timing.debounceMs : 0;
    this.scheduled?.skip();
    let go!: (run: boolean) => void;
    const done = new Promise<boolean>((r) => (go = r)).then((run) =>
      run ? this.run(version, manifest) : null,
    );
    const scheduled = { version, done, skip: () => go(false) };
    this.scheduled = scheduled;
    this.timer = setTimeout(() => {
      if (this.scheduled === scheduled) this.scheduled = null;
      go(true);
    }, delay);
  }

  /**
   * The sets table of the current view, waiting for a build under way or due; null when there is
   * none for the current rows (it failed, or the rows changed while waiting).
   */
  async sets(): Promise<SetsPreaggregate | null> {
    // A page waits for it: no point holding the build back for the pages' quiet any more.
    this.wanted = true;
    // Rows that change while waiting are waited for again, a few times (a live store keeps changing).
    for (let tries = 0; tries < 3; tries++) {
      const version = this.version;
      const pending = this.scheduled?.version === version ? this.scheduled : this.build;
      if (!pending || pending.version !== version) return null;
      const got = await pending.done;
      if (this.version === version) return got;
    }
    return null;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.scheduled?.skip();
    for (const t of this.retired) clearTimeout(t);
    if (this.build) this.cancel(this.build);
    await this.build?.done;
    // A save under way stops (its temp file is removed): closing under a running query hangs.
    void this.conn?.then((c) => c.interrupt());
    await this.saving;
    (await this.conn?.catch(() => null))?.closeSync();
  }

  private connection(): Promise<DuckDBConnection> {
    this.conn ??= this.instance.connect();
    return this.conn;
  }

  private run(version: number, manifest: Manifest): Promise<SetsPreaggregate | null> {
    const previous = this.build;
    const build: Build = { version, cancelled: false, done: Promise.resolve(null) };
    build.done = (async () => {
      await previous?.done; // one build at a time: the cancelled one stops first
      await this.saving; // and one statement at a time on this connection
      // The first view's build starts at once: a page busy with its first interactions (Ctrl+End,
      // sorts) otherwise kept the Pivot tab's first click waiting for a build not yet begun (10M
      // rows, 168 shards: 2.2 s → 0.3 s; the table's first rows, Ctrl+End and sort stayed within
      // noise, as the page's first queries are small). Rebuilds for new rows wait for the quiet.
      if (version > 1) await this.quiet(() => build.cancelled || this.wanted);
      if (build.cancelled || this.closed || manifest.shards.length === 0) return null;
      const table = `${PRESET_PREFIX}sets_${++this.seq}`;
      const targets = manifest.targets.map((t) => t.id);
      const params = manifest.params.map((p) => paramColumn(p.name));
      const conn = await this.connection();
      const sql = setsSelect(targets, params, {});
      const cache = this.cache;
      const savedFile = cache?.file(manifest, sql) ?? null;
      let preset: SetsPreaggregate;
      try {
        const reused = cache !== null && savedFile !== null && (await cache.load(conn, table, savedFile));
        if (!reused) await conn.run(`CREATE TABLE ${ident(table)} AS ${sql}`);
        preset = { table, targets, params, ranges: await rangesOf(conn, table, targets), saved: reused };
      } catch {
        // Interrupted for newer rows, or over the memory budget: pages build their own.
        await this.drop(table);
        return null;
      }
      if (build.cancelled) {
        this.retire(table);
        return null;
      }
      // Kept for the next open once the rows are final, after the pages have it and have gone
      // quiet (writing it is seconds of both cores at 10M rows: it slowed the next Ctrl+End); a
      // failed save only costs that open a build.
      if (cache && savedFile && !preset.saved && PresetCache.settled(manifest)) {
        this.saving = this.saving
          .then(() => this.saveWhenQuiet(build, () => cache.save(conn, table, savedFile)))
          .catch(() => {});
      }
      return preset;
    })();
    this.build = build;
    return build.done;
  }

  /**
   * Run `save` while the pages are quiet. A page's query stops it (a 10M-row store's copy is
   * seconds of both cores: it doubled the next Ctrl+End) and it starts again after a longer quiet
   * each time (up to MAX_SAVE_QUIET_MS), until it is written, the rows change or the store closes.
   */
  private async saveWhenQuiet(build: Build, save: () => Promise<void>): Promise<void> {
    let quietMs = this.timing.saveQuietMs ?? DEFAULT_TIMING.saveQuietMs!;
    while (!build.cancelled && !this.closed) {
      await this.quiet(() => build.cancelled, quietMs);
      if (build.cancelled || this.closed) return;
      if (this.clientsBusy()) continue; // waited maxWaitMs and the pages are still busy
      let yielded = false;
      const watch = setInterval(() => {
        if (yielded || !this.clientsBusy()) return;
        yielded = true;
        void this.conn?.then((c) => c.interrupt());
      }, POLL_MS);
      try {
        return await save();
      } catch (e) {
        if (!yielded) throw e;
        quietMs = Math.min(quietMs * 2, MAX_SAVE_QUIET_MS);
      } finally {
        clearInterval(watch);
      }
    }
  }

  private cancel(build: Build): void {
    if (build.cancelled) return;
    build.cancelled = true;
    void this.conn?.then((c) => c.interrupt());
    // A finished table stays readable for the grace period, then goes.
    void build.done.then((p) => p && this.retire(p.table));
  }

  private retire(table: string): void {
    const t = setTimeout(() => {
      this.retired.delete(t);
      void this.drop(table);
    }, this.timing.graceMs);
    this.retired.add(t);
  }

  private async drop(table: string): Promise<void> {
    if (this.closed) return;
    const conn = await this.connection();
    await conn.run(`DROP TABLE IF EXISTS ${ident(table)}`).catch(() => {});
  }
}

/** What the page's sets table carries beside its name (renderer/db/derived.ts), read once here. */
async function rangesOf(conn: DuckDBConnection, table: string, targets: string[]): Promise<TargetRange[]> {
  const read = async (sql: string) => (await conn.runAndReadAll(sql)).getRowObjectsJS();
  return targetRanges(await read(targetRowsSql({})), await read(pivotRangesSql(table, targets)));
}
