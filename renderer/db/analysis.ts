// The queries behind the analysis views (issue 4): pivot, histogram, top-N, Pareto, slices.
// Same rules as queries.ts: pushed down to DuckDB, small results out. With derived tables enabled
// (the store is in memory), the pivot, combined top-N, Pareto front and histogram read the
// per-filter pivot table (derived.ts) and return exactly what the direct queries return.
import type { LossFilter, LossSortState } from '../../shared/query-types.ts';
import * as q from './analysis-sql.ts';
import { num, type Plain, plainRows } from './arrow-rows.ts';
import type { DerivedTables, PivotTable } from './derived.ts';
import type { ArrowTable, SqlEngine } from './engine-types.ts';
import * as p from './pivot-sql.ts';

/** The store's targets and parameter columns: what the shared pivot table holds. */
export interface PivotLayout {
  targets: readonly string[];
  params: readonly string[];
}

export interface HistogramBin {
  x0: number;
  x1: number;
  count: number;
}
export interface Histogram {
  target: string;
  log: boolean;
  bins: HistogramBin[];
  /** Rows left out: failed/missing, or non-positive losses on a log scale. */
  excluded: number;
}

export interface ParetoPoint {
  param_id: string;
  a: number;
  b: number;
}

export interface SlicePoint {
  param_id: string;
  x: number | string | boolean | null;
  y: number;
}
export interface ParamSlice {
  points: SlicePoint[];
  /** Rows matching before sampling. */
  total: number;
}

export class AnalysisQueries {
  constructor(
    readonly engine: SqlEngine,
    readonly derived: DerivedTables | null = null,
    private readonly layout: () => PivotLayout | null = () => null,
  ) {}

  /**
   * The derived pivot table for this filter, or null when derived tables are off. A table whose
   * build started before the rows changed is not used: the current rows are pivoted instead.
   */
  pivotTable(filter: LossFilter, layout = this.layout()): Promise<PivotTable | null> {
    return this.current('pivot', filter, layout);
  }

  /**
   * The sets table for this filter (a row per set, per-target losses and statuses, no ranks: the
   * first step of the pivot's build), or null when derived tables are off.
   */
  setsTable(filter: LossFilter, layout = this.layout()): Promise<PivotTable | null> {
    return this.current('sets', filter, layout);
  }

  private async current(
    step: 'pivot' | 'sets',
    filter: LossFilter,
    layout: PivotLayout | null,
  ): Promise<PivotTable | null> {
    const d = this.derived;
    if (!d || !layout || !d.enabled) return null;
    for (let tries = 0; tries < 3; tries++) {
      const t = await d[step](layout.targets, layout.params, filter);
      if (t.version === d.currentVersion) return t;
    }
    return null;
  }

  /** The sets table for `filter` if it is built and current; never builds one. */
  setsReady(filter: LossFilter, layout = this.layout()): PivotTable | null {
    if (!this.derived || !layout || !this.derived.enabled) return null;
    return this.derived.setsReady(layout.targets, layout.params, filter);
  }

  /**
   * The default filter's sets table ahead of the first analysis view: every default answer reads
   * it (the host's own when it has one: nothing is built). Not the ranked pivot, which only the mean
   * of ranks needs: at 10M rows its build is 7–11 s of the host's two cores.
   */
  async warm(): Promise<void> {
    await this.setsTable({}).catch(() => null);
  }

  async pivotPage(
    targets: readonly string[],
    params: readonly string[],
    filter: LossFilter,
    sort: LossSortState,
    offset: number,
    limit: number,
  ): Promise<ArrowTable> {
    const t = await this.pivotTable(filter, { targets, params });
    if (t) return this.engine.query(p.pivotPageSql(t.name, sort, offset, limit));
    return this.engine.query(q.pivotSql(targets, params, filter, sort, offset, limit));
  }

  async histogram(target: string, bins: number, filter: LossFilter, log = false): Promise<Histogram> {
    return this.histogramFrom(await this.histogramRows(target, bins, filter, log), target, bins, log);
  }

  private async histogramRows(
    target: string,
    bins: number,
    filter: LossFilter,
    log: boolean,
  ): Promise<Plain[]> {
    const t = this.layout()?.targets.includes(target) ? await this.setsTable(filter) : null;
    const range = t?.ranges.get(target);
    if (t && range) {
      const sql = p.pivotHistogramSql(t.name, range, bins, log);
      if (!sql) return [{ lo: null, hi: null, excluded: range.rows - (log ? range.nPos : range.n) }];
      return plainRows(await this.engine.query(sql));
    }
    return plainRows(await this.engine.query(q.histogramSql(target, bins, filter, log)));
  }

  private histogramFrom(rows: Plain[], target: string, bins: number, log: boolean): Histogram {
    const first = rows[0];
    const lo = num(first?.lo);
    const hi = num(first?.hi);
    const excluded = num(first?.excluded) ?? 0;
    if (lo === null || hi === null) return { target, log, bins: [], excluded };
    const width = (hi - lo) / bins || 1;
    const counts = new Map<number, number>();
    for (const r of rows) if (r.bin !== null) counts.set(num(r.bin) ?? 0, num(r.n) ?? 0);
    const out: HistogramBin[] = [];
    for (let i = 0; i < bins; i++) {
      const x0 = lo + i * width;
      const x1 = lo + (i + 1) * width;
      out.push(
        log
          ? { x0: 10 ** x0, x1: 10 ** x1, count: counts.get(i) ?? 0 }
          : { x0, x1, count: counts.get(i) ?? 0 },
      );
    }
    return { target, log, bins: out, excluded };
  }

  /** Best `n` rows of one target, or with `'combined'` the best parameter sets by mean rank. */
  async topN(
    target: string | 'combined',
    n: number,
    filter: LossFilter,
    targets: readonly string[],
    params: readonly string[],
  ): Promise<ArrowTable> {
    if (target === 'combined') {
      const t = await this.pivotTable(filter, { targets, params });
      if (t) return this.engine.query(p.pivotTopCombinedSql(t.name, targets, n));
      return this.engine.query(q.topCombinedSql(targets, params, filter, n));
    }
    return this.engine.query(q.topTargetSql(target, params, filter, n));
  }

  async paretoFront(targetA: string, targetB: string, filter: LossFilter): Promise<ParetoPoint[]> {
    const known = this.layout()?.targets;
    const t = known?.includes(targetA) && known.includes(targetB) ? await this.setsTable(filter) : null;
    const sql = t ? p.pivotParetoSql(t.name, targetA, targetB) : q.paretoSql(targetA, targetB, filter);
    return plainRows(await this.engine.query(sql)) as unknown as ParetoPoint[];
  }

  async paramSlice(param: string, target: string, filter: LossFilter, maxPoints = 5000): Promise<ParamSlice> {
    const rows = plainRows(await this.engine.query(q.sliceSql(param, target, filter, maxPoints)));
    const total = num(rows[0]?.total) ?? 0;
    return {
      total,
      points: rows.map((r) => ({
        param_id: String(r.param_id),
        x: r.x as SlicePoint['x'],
        y: r.y as number,
      })),
    };
  }
}
