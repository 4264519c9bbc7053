// The queries behind the analysis views (issue 4): pivot, histogram, top-N, Pareto, slices.
// Same rules as queries.ts: pushed down to DuckDB, small results out.
import type { LossFilter, LossSortState } from '../../shared/query-types.ts';
import * as q from './analysis-sql.ts';
import { num, plainRows } from './arrow-rows.ts';
import type { ArrowTable, SqlEngine } from './engine-types.ts';

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
  constructor(readonly engine: SqlEngine) {}

  pivotPage(
    targets: readonly string[],
    params: readonly string[],
    filter: LossFilter,
    sort: LossSortState,
    offset: number,
    limit: number,
  ): Promise<ArrowTable> {
    return this.engine.query(q.pivotSql(targets, params, filter, sort, offset, limit));
  }

  async histogram(target: string, bins: number, filter: LossFilter, log = false): Promise<Histogram> {
    const rows = plainRows(await this.engine.query(q.histogramSql(target, bins, filter, log)));
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
  topN(
    target: string | 'combined',
    n: number,
    filter: LossFilter,
    targets: readonly string[],
    params: readonly string[],
  ): Promise<ArrowTable> {
    if (target === 'combined') return this.engine.query(q.topCombinedSql(targets, params, filter, n));
    return this.engine.query(q.topTargetSql(target, params, filter, n));
  }

  async paretoFront(targetA: string, targetB: string, filter: LossFilter): Promise<ParetoPoint[]> {
    return plainRows(
      await this.engine.query(q.paretoSql(targetA, targetB, filter)),
    ) as unknown as ParetoPoint[];
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
