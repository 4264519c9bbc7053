// Derived tables: the per-parameter-set pivot (pivot-sql.ts) materialised in DuckDB once per
// (data version, filter, targets, params), with its per-target loss ranges kept here. It is built in
// two steps: the sets table (a row per set, no ranks: served as soon as it exists to the views that
// only pair targets per set), then the ranked pivot from it. A few filters
// are kept (least recently used dropped first). A table is only served while the data version it
// was built at is current: the registry bumps the version before it changes the rows behind the
// `losses` view, so a table built from older rows is dropped and rebuilt, never shown.

import { whereClause } from '../../shared/filter-sql.ts';
import type { LossFilter, Range } from '../../shared/query-types.ts';
import type { SetsPreaggregate } from '../../shared/query-wire.ts';
import { targetRanges } from '../../shared/sets-sql.ts';
import { ident } from '../../shared/sql.ts';
import { plainRows } from './arrow-rows.ts';
import type { SqlEngine } from './engine-types.ts';
import {
  createPivotSql,
  createSetsSql,
  pivotRangesSql,
  type TargetRange,
  targetRowsSql,
} from './pivot-sql.ts';

export interface PivotTable {
  /** Table name in DuckDB. */
  name: string;
  /** The data version the table was built at. */
  version: number;
  ranges: Map<string, TargetRange>;
  /** The statements that built it, in order (the benchmark replays them on native DuckDB). */
  statements: string[];
  /** The host's pre-aggregate, shared with other pages: read here, never dropped. */
  shared?: boolean;
}

export interface DerivedSource {
  /** Bumped before the rows behind the `losses` view change. */
  version(): number;
  /** False while derived tables would cost more than they save (store not in memory). */
  enabled(): boolean;
}

interface Entry {
  version: number;
  /** The sets table (no ranks), then the ranked pivot built from it. */
  sets: Promise<PivotTable>;
  table?: Promise<PivotTable>;
  /** Set once each step has finished. */
  builtSets?: PivotTable;
  built?: PivotTable;
}

export class DerivedTables {
  private readonly entries = new Map<string, Entry>();
  private pending: Promise<unknown> = Promise.resolve();
  /**
   * Use the host's pre-aggregated sets table for the unfiltered store when it has one (built as
   * shards land: native-presets.ts). Off only for the benchmark that times a build.
   */
  adoptPresets = true;

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

  /** The ranked pivot for `filter`, built now if missing or built at an older data version. */
  pivot(targets: readonly string[], params: readonly string[], filter: LossFilter): Promise<PivotTable> {
    const key = keyOf(targets, params, filter);
    const entry = this.entry(key, targets, params, filter);
    if (entry.table) return entry.table;
    // Built only on request: views that read the sets table alone must not queue behind the ranks
    // (one connection holds a client's tables on the host; 10M rows: ~4 s of ranking).
    const table = entry.sets.then((s) => this.buildPivot(s.name.replace(SETS, PIVOT), s, targets));
    entry.table = table;
    table.then(
      (t) => (entry.built = t),
      () => {},
    );
    table.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    this.pending = table.catch(() => {});
    return table;
  }

  /**
   * The sets table for `filter` (a row per set, its parameters and per-target loss and status; no
   * ranks), built now if missing: it is ready well before the ranked pivot.
   */
  sets(targets: readonly string[], params: readonly string[], filter: LossFilter): Promise<PivotTable> {
    return this.entry(keyOf(targets, params, filter), targets, params, filter).sets;
  }

  private entry(
    key: string,
    targets: readonly string[],
    params: readonly string[],
    filter: LossFilter,
  ): Entry {
    const version = this.source.version();
    const hit = this.entries.get(key);
    if (hit && hit.version === version) {
      this.entries.delete(key); // re-insert: Map order is the LRU order
      this.entries.set(key, hit);
      return hit;
    }
    this.dropStale(version);
    const sets = this.buildSets(`${SETS}${++seq}`, version, targets, params, filter);
    const entry: Entry = { version, sets };
    this.entries.set(key, entry);
    sets.then(
      (t) => (entry.builtSets = t),
      () => {},
    );
    sets.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    while (this.entries.size > this.maxFilters) {
      const [oldest, old] = this.entries.entries().next().value as [string, Entry];
      this.entries.delete(oldest);
      void this.drop(old);
    }
    this.pending = sets.catch(() => {});
    return entry;
  }

  /** The ranked pivot for `filter` when already built at the current data version; never builds. */
  ready(targets: readonly string[], params: readonly string[], filter: LossFilter): PivotTable | null {
    const hit = this.entries.get(keyOf(targets, params, filter));
    return hit?.built && hit.version === this.source.version() ? hit.built : null;
  }

  /** The sets table for `filter` when already built at the current data version; never builds. */
  setsReady(targets: readonly string[], params: readonly string[], filter: LossFilter): PivotTable | null {
    const hit = this.entries.get(keyOf(targets, params, filter));
    return hit?.builtSets && hit.version === this.source.version() ? hit.builtSets : null;
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
    // The sets table lives as long as its pivot: views holding its name keep working until then.
    for (const step of [entry.table, entry.sets]) {
      const t = await step?.catch(() => null);
      if (t && !t.shared) await this.engine.query(`DROP TABLE IF EXISTS ${ident(t.name)}`).catch(() => {});
    }
  }

  private async buildSets(
    name: string,
    version: number,
    targets: readonly string[],
    params: readonly string[],
    filter: LossFilter,
  ): Promise<PivotTable> {
    const statements = [
      createSetsSql(name, targets, params, filter),
      targetRowsSql(filter),
      pivotRangesSql(name, targets),
    ];
    const [create, rowsSql, rangesSql] = statements as [string, string, string];
    const preset = await this.preset(targets, params, filter);
    if (preset) {
      // The host's own table of these rows, with its ranges: read, never dropped from here (other
      // pages read it).
      const ranges = new Map(preset.ranges.map((r) => [r.target, r]));
      return { name: preset.table, version, ranges, statements: [], shared: true };
    }
    // On the host when there is one (engine-router.ts): built once, natively, whichever engine
    // answers the views.
    await this.engine.query(create, HOST);
    // Both read only finished tables: side by side on the host's reader connections.
    const [rowsTable, rangesTable] = await Promise.all([
      this.engine.query(rowsSql, HOST),
      this.engine.query(rangesSql, HOST),
    ]);
    const ranges = new Map(
      targetRanges(plainRows(rowsTable), plainRows(rangesTable)).map((r) => [r.target, r]),
    );
    return { name, version, ranges, statements };
  }

  /** The host's pre-aggregate when it is exactly this sets table (no filter, same columns). */
  private async preset(
    targets: readonly string[],
    params: readonly string[],
    filter: LossFilter,
  ): Promise<SetsPreaggregate | null> {
    if (!this.adoptPresets || !this.engine.hostPresets || whereClause(filter) !== '') return null;
    const p = await this.engine.hostPresets().catch(() => null);
    const same = (a: readonly string[], b: readonly string[]) =>
      a.length === b.length && a.every((x, i) => x === b[i]);
    return p && same(p.targets, targets) && same(p.params, params) ? p : null;
  }

  private async buildPivot(name: string, sets: PivotTable, targets: readonly string[]): Promise<PivotTable> {
    const create = createPivotSql(name, targets, sets.name);
    await this.engine.query(create, HOST);
    return { name, version: sets.version, ranges: sets.ranges, statements: [...sets.statements, create] };
  }
}

const HOST = { preferHost: true };
const SETS = '__losslens_sets_';
/** Names are unique per page, not per instance: tables on one engine never collide. */
let seq = 0;
const PIVOT = '__losslens_pivot_';

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
