// The queries the app's views run, built by the renderer's own SQL builders, so the browser
// (DuckDB-WASM) and the native baseline execute exactly the same text.

import { histogramSql, paretoSql, pivotSql, topTargetSql } from '../renderer/db/analysis-sql.ts';
import { LOSSES, selectCount, selectWindow } from '../renderer/db/sql.ts';
import type { Manifest } from '../shared/manifest.ts';
import { paramColumn, storeColumns } from '../shared/schema.ts';

export interface NamedQuery {
  name: string;
  sql: string;
}

export function appQueries(manifest: Manifest): NamedQuery[] {
  const targets = manifest.targets.map((t) => t.id);
  const params = manifest.params.map((p) => paramColumn(p.name));
  const visible = storeColumns(manifest.params)
    .map((c) => c.name)
    .filter((c) => c !== 'diagnostics' && c !== 'seeds');
  const total = manifest.counts.rows;
  const bySort = { column: 'loss', desc: false };
  return [
    { name: 'count(*)', sql: selectCount({}) },
    { name: 'sort by loss (first 100 rows)', sql: selectWindow(visible, {}, bySort, 0, 100, total).sql },
    // The app reads a deep window from the far end (reversed order, small OFFSET): same SQL here.
    {
      name: 'jump to last page (100 rows)',
      sql: selectWindow(visible, {}, bySort, Math.max(0, total - 100), 100, total).sql,
    },
    { name: 'histogram (50 bins, one target)', sql: histogramSql(targets[0]!, 50, {}, false) },
    { name: 'pivot first page (100 param sets)', sql: pivotSql(targets, params, {}, null, 0, 100) },
    { name: 'top-50 (one target)', sql: topTargetSql(targets[0]!, params, {}, 50) },
  ].concat(
    targets.length > 1
      ? [{ name: 'Pareto front (two targets)', sql: paretoSql(targets[0]!, targets[1]!, {}) }]
      : [],
  );
}

export { LOSSES };
