// The Pivot tab: one row per parameter set with its loss under each target, n_ok, the combined
// loss and its rank; sortable by any column, virtualized, cells tinted by per-target decile.
import { useCallback, useMemo } from 'react';
import { paramColumn } from '../../../shared/schema.ts';
import { copyText } from '../../components/clipboard.ts';
import { Elapsed } from '../../components/Elapsed.tsx';
import { statusColumn } from '../../db/analysis-sql.ts';
import { activeTargets } from '../../db/combined-sql.ts';
import { pivotQueriesFor } from '../../db/pivot-queries.ts';
import { DataGrid } from '../table/DataGrid.tsx';
import { formatCount } from '../table/format.ts';
import type { Row } from '../table/row-windows.ts';
import type { IndexRange } from '../table/selection.ts';
import { toTsv } from '../table/tsv.ts';
import type { ViewProps } from '../view-props.ts';
import { CombinedControls } from './CombinedControls.tsx';
import { PivotCell } from './PivotCell.tsx';
import { pivotColumns } from './pivot-columns.ts';
import { usePivotMeta } from './usePivotMeta.ts';

export function usePivotLayout(store: ViewProps['store']) {
  const m = store.manifest;
  const key = JSON.stringify([m.targets.map((t) => t.id), m.params.map((p) => p.name)]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: keyed on the targets and parameters
  return useMemo(
    () => ({ targets: m.targets.map((t) => t.id), params: m.params.map((p) => paramColumn(p.name)) }),
    [key],
  );
}

export default function PivotView({ session, store, dataVersion, view, onMessage }: ViewProps) {
  const q = useMemo(() => pivotQueriesFor(session.engine, session.analysis), [session]);
  const layout = usePivotLayout(store);
  const { filter, combined, pivotSort } = view;
  const { count, deciles } = usePivotMeta(q, layout, filter, dataVersion, onMessage);
  const columns = useMemo(() => pivotColumns(store.manifest, combined), [store.manifest, combined]);
  const targets = useMemo(() => new Set(layout.targets), [layout]);
  const active = activeTargets(layout.targets, filter, combined);
  const key = JSON.stringify([layout, filter, combined, pivotSort]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` holds everything the page depends on
  const fetchPage = useCallback(
    (offset: number, limit: number) => q.page(layout, filter, combined, pivotSort, offset, limit),
    [q, key],
  );
  const onCopy = (ranges: readonly IndexRange[]) => {
    void (async () => {
      const rows: Row[] = [];
      for (const [lo, hi] of ranges)
        rows.push(...(await q.page(layout, filter, combined, pivotSort, lo, hi - lo + 1)));
      // A missing loss is copied as its status, so a spreadsheet shows why.
      for (const r of rows) for (const t of layout.targets) r[t] ??= r[statusColumn(t)] ?? '';
      await copyText(
        toTsv(
          columns.map((c) => c.name),
          rows,
        ),
      );
      onMessage(
        `Copied ${formatCount(rows.length)} parameter sets as TSV (combined: ${combined.method})`,
        'info',
      );
    })().catch((e: unknown) => onMessage(`Copy failed: ${e instanceof Error ? e.message : String(e)}`));
  };
  return (
    <div className="table-area">
      <div className="view-toolbar">
        <CombinedControls
          targets={layout.targets}
          active={active}
          combined={combined}
          onChange={view.setCombined}
        />
        <span className="spacer" />
        <span className="muted">{count === null ? '…' : `${formatCount(count)} parameter sets`}</span>
      </div>
      {count === null ? <PivotBuilding filterKey={JSON.stringify([filter, dataVersion])} /> : null}
      <DataGrid
        label="Pivot"
        columns={columns}
        rowCount={count ?? 0}
        fetchPage={fetchPage}
        fetchKey={key}
        dataVersion={dataVersion}
        sort={pivotSort}
        onSort={view.setPivotSort}
        renderCell={(c, r) => (
          <PivotCell column={c} row={r} deciles={deciles} isTarget={targets.has(c.name)} />
        )}
        onError={onMessage}
        onCopy={onCopy}
      />
    </div>
  );
}

/** While the pivot is built: what is happening, and for how long (the grid is empty meanwhile). */
function PivotBuilding({ filterKey }: { filterKey: string }) {
  // biome-ignore lint/correctness/useExhaustiveDependencies: restart the clock when the filter changes
  const since = useMemo(() => Date.now(), [filterKey]);
  return (
    <p className="pivot-building muted" role="status">
      Building one row per parameter set (each target's loss and rank) from every row under the filter…
      <Elapsed since={since} />
    </p>
  );
}
