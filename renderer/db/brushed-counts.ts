// The row count and the job header's summary under brushes, answered from the derived pivot when
// it is already built for the filter's non-brush part and answers exactly (brushed-counts-sql.ts);
// null otherwise, and the caller counts the loss rows. Never starts a pivot build: a count must
// not wait seconds for a table it can do without.
import type { Manifest } from '../../shared/manifest.ts';
import type { LossFilter } from '../../shared/query-types.ts';
import type { PivotLayout } from './analysis.ts';
import { num, plainRows } from './arrow-rows.ts';
import type { BrushCube } from './brush-cube.ts';
import { baseFilter, pivotBrushPredicates } from './brush-sql.ts';
import { brushedCountSql, brushedCountsApply, brushedSummarySql } from './brushed-counts-sql.ts';
import type { DerivedTables } from './derived.ts';
import type { SqlEngine } from './engine-types.ts';
import { emptyHeadline, headlineOf, type TargetHeadline } from './job-summary.ts';

export class BrushedCounts {
  constructor(
    private readonly engine: SqlEngine,
    private readonly derived: DerivedTables,
    private readonly layout: () => PivotLayout | null,
    private readonly manifest: () => Manifest | null,
    /** Sums over the brush cube, when one was prepared for this filter (brush-cube.ts). */
    private readonly cube: BrushCube | null = null,
  ) {}

  private source(filter: LossFilter): { table: string; layout: PivotLayout; preds: string[] } | null {
    const layout = this.layout();
    // A store still collecting may have rows on the host the memory copy has not (yet): the
    // table would count those, so its count must come from the same rows.
    if (!layout || !this.derived.enabled || this.manifest()?.status === 'collecting') return null;
    if (!brushedCountsApply(filter, layout)) return null;
    const t = this.derived.setsReady(layout.targets, layout.params, baseFilter(filter));
    return t ? { table: t.name, layout, preds: pivotBrushPredicates(filter, layout) } : null;
  }

  async count(filter: LossFilter): Promise<number | null> {
    const s = this.source(filter);
    if (!s) return null;
    const c = await this.cube?.counts(filter, s.table);
    if (c) return s.layout.targets.reduce((n, t) => n + (c.get(t)?.rows ?? 0), 0);
    const [row] = plainRows(await this.engine.query(brushedCountSql(s.table, s.layout.targets, s.preds)));
    return num(row?.n) ?? 0;
  }

  /** Per pivot target (unticked ones zero), or null when the loss rows must be asked. */
  async summary(filter: LossFilter): Promise<TargetHeadline[] | null> {
    const s = this.source(filter);
    if (!s) return null;
    const c = await this.cube?.counts(filter, s.table);
    if (c)
      return s.layout.targets.map((target) => {
        const { rows: _, ...line } = c.get(target) ?? { ...emptyHeadline(target), rows: 0 };
        return line;
      });
    const rows = plainRows(await this.engine.query(brushedSummarySql(s.table, s.layout.targets, s.preds)));
    return rows.map((r) => headlineOf(String(r.target), r));
  }
}
