// The queries the app's views run, built by the renderer's own SQL builders, so the browser
// (DuckDB-WASM) and the native baseline execute exactly the same text. The analysis queries read
// the derived pivot table the app builds once per (data version, filter) (renderer/db/derived.ts);
// the native baseline builds the same table with the same statements before its timed runs, and
// the build itself is a row of its own.

import { histogramSql, paretoSql, pivotSql, topTargetSql } from '../renderer/db/analysis-sql.ts';
import {
  pivotHistogramSql,
  pivotPageSql,
  pivotParetoSql,
  pivotTopCombinedSql,
} from '../renderer/db/pivot-sql.ts';
import { LOSSES, selectCount, selectWindow } from '../renderer/db/sql.ts';
import type { BenchPivot } from '../renderer/state/bench-hook.ts';
import type { Manifest } from '../shared/manifest.ts';
import { paramColumn, storeColumns } from '../shared/schema.ts';

export interface NamedQuery {
  name: string;
  sql: string;
}

export function appQueries(manifest: Manifest, pivot: BenchPivot | null): NamedQuery[] {
  const targets = manifest.targets.map((t) => t.id);
  const params = manifest.params.map((p) => paramColumn(p.name));
  const visible = storeColumns(manifest.params)
    .map((c) => c.name)
    .filter((c) => c !== 'diagnostics' && c !== 'seeds');
  const total = manifest.counts.rows;
  const bySort = { column: 'loss', desc: false };
  const [a, b] = targets as [string, string | undefined];
  const range = pivot?.ranges.find((r) => r.target === a);
  const hist = pivot && range ? pivotHistogramSql(pivot.name, range, 50, false) : null;
  const out: NamedQuery[] = [
    { name: 'count(*)', sql: selectCount({}) },
    { name: 'sort by loss (first 100 rows)', sql: selectWindow(visible, {}, bySort, 0, 100, total).sql },
    // The app reads a deep window from the far end (reversed order, small OFFSET): same SQL here.
    {
      name: 'jump to last page (100 rows)',
      sql: selectWindow(visible, {}, bySort, Math.max(0, total - 100), 100, total).sql,
    },
    { name: 'histogram (50 bins, one target)', sql: hist ?? histogramSql(a, 50, {}, false) },
    {
      name: 'pivot first page (100 param sets)',
      sql: pivot ? pivotPageSql(pivot.name, null, 0, 100) : pivotSql(targets, params, {}, null, 0, 100),
    },
    { name: 'top-50 (one target)', sql: topTargetSql(a, params, {}, 50) },
  ];
  if (pivot) {
    out.push(
      {
        name: 'pivot page sorted by a target',
        sql: pivotPageSql(pivot.name, { column: a, desc: false }, 0, 100),
      },
      { name: 'top-50 combined (mean rank)', sql: pivotTopCombinedSql(pivot.name, targets, 50) },
    );
  }
  if (b !== undefined)
    out.push({
      name: 'Pareto front (two targets)',
      sql: pivot ? pivotParetoSql(pivot.name, a, b) : paretoSql(a, b, {}),
    });
  return out;
}

export { LOSSES };
