// Derived tables: the per-parameter-set pivot (pivot-sql.ts) materialised in DuckDB once per
// (data version, filter, targets, params), with its per-target loss ranges kept here. A few filters
// are kept (least recently used dropped first). A table is only served while the data version it
// was built at is current: the registry bumps the version before it changes the rows behind the
// `losses` view, so a table built from older rows is dropped and rebuilt, never shown.
import type { LossFilter, Range } from '../../shared/query-types.ts';
import { ident } from '../../shared/sql.ts';
import { num, plainRows } from './arrow-rows.ts';
import type { SqlEngine } from './engine-types.ts';
import { createPivotSql, pivotRangesSql, type TargetRange, targetRowsSql } from './pivot-sql.ts';

export interface PivotTable {
  /** Table name in DuckDB. */
  name: string;
  /** The data version the table was built at. */
  version: number;
  ranges: Map<string, TargetRange>;
  /** The statements that built it, in order (the benchmark replays them on native DuckDB). */
  statements: string[];
}

export interface DerivedSource {
  /** Bumped before the rows behind the `losses` view change. */
  version(): number;
  /** False while derived tables would cost more than they save (store not in memory). */
  enabled(): boolean;
}

interface Entry {
  version: number;
  table: Promise<PivotTable>;
  /** Set once the build has finished. */
  built?: PivotTable;
}

export class DerivedTables {
  private readonly entries = new Map<string, Entry>();
  private seq = 0;
  private pending: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly engine: SqlEngine,
    private readonly source: DerivedSource,
    readonly maxFilters = 4,
  ) {}

  get enabled(): boolean {
    return this.source.enabled();
  }

  get currentVersion(): number {
    return this.source.version();
  }

  /** The pivot for `filter`, built now if missing or built at an older data version. */
  pivot(targets: readonly string[], params: readonly string[], filter: LossFilter): Promise<PivotTable> {
    const key = keyOf(targets, params, filter);
    const version = this.source.version();
    const hit = this.entries.get(key);
    if (hit && hit.version === version) {
      this.entries.delete(key); // re-insert: Map order is the LRU order
      this.entries.set(key, hit);
      return hit.table;
    }
    this.dropStale(version);
    const table = this.build(`__losslens_pivot_${++this.seq}`, version, targets, params, filter);
    const entry: Entry = { version, table };
    this.entries.set(key, entry);
    table.then(
      (t) => {
        entry.built = t;
      },
      () => {},
    );
    table.catch(() => {
      if (this.entries.get(key)?.table === table) this.entries.delete(key);
    });
    while (this.entries.size > this.maxFilters) {
      const [oldest, entry] = this.entries.entries().next().value as [string, Entry];
      this.entries.delete(oldest);
      void this.drop(entry);
    }
    this.pending = table.catch(() => {});
    return table;
  }

  /** The pivot for `filter` when it is already built at the current data version; never builds. */
  ready(targets: readonly string[], params: readonly string[], filter: LossFilter): PivotTable | null {
    const hit = this.entries.get(keyOf(targets, params, filter));
    return hit?.built && hit.version === this.source.version() ? hit.built : null;
  }

  /** Resolves once the latest requested build has finished (benchmarks wait on it). */
  async idle(): Promise<void> {
    await this.pending;
  }

  /** Drop every table (e.g. the store changed). */
  async clear(): Promise<void> {
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(all.map((e) => this.drop(e)));
  }

  private dropStale(version: number): void {
    for (const [key, entry] of this.entries) {
      if (entry.version === version) continue;
      this.entries.delete(key);
      void this.drop(entry);
    }
  }

  private async drop(entry: Entry): Promise<void> {
    const t = await entry.table.catch(() => null);
    if (t) await this.engine.query(`DROP TABLE IF EXISTS ${ident(t.name)}`).catch(() => {});
  }

  private async build(
    name: string,
    version: number,
    targets: readonly string[],
    params: readonly string[],
    filter: LossFilter,
  ): Promise<PivotTable> {
    const statements = [
      createPivotSql(name, targets, params, filter),
      targetRowsSql(filter),
      pivotRangesSql(name, targets),
    ];
    const [create, rowsSql, rangesSql] = statements as [string, string, string];
    // On the host when there is one (engine-router.ts): built once, natively, whichever engine
    // answers the views.
    const host = { preferHost: true };
    await this.engine.query(create, host);
    const rows = new Map(
      plainRows(await this.engine.query(rowsSql, host)).map((r) => [String(r.target), num(r.rows) ?? 0]),
    );
    const ranges = new Map<string, TargetRange>();
    for (const r of plainRows(await this.engine.query(rangesSql, host))) {
      const target = String(r.target);
      ranges.set(target, {
        target,
        rows: rows.get(target) ?? 0,
        n: num(r.n) ?? 0,
        lo: num(r.lo),
        hi: num(r.hi),
        nPos: num(r.n_pos) ?? 0,
        loPos: num(r.lo_pos),
        hiPos: num(r.hi_pos),
      });
    }
    return { name, version, ranges, statements };
  }
}

function keyOf(targets: readonly string[], params: readonly string[], filter: LossFilter): string {
  return JSON.stringify([
    targets,
    params,
    [...(filter.targets ?? [])].sort(),
    [...(filter.statuses ?? [])].sort(),
    filter.where?.trim() ?? '',
    sortedEntries(filter.lossRanges),
    sortedEntries(filter.paramRanges),
  ]);
}

/** Brushed ranges in a stable order, so the same brushes in another order hit the same table. */
function sortedEntries(ranges: LossFilter['lossRanges']): [string, Range][] {
  return Object.entries(ranges ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
