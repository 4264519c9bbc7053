// The Table tab: the loss table over the filtered rows, a column chooser, Ctrl+C to copy the
// selected rows as TSV, and a row's details on double-click or Enter.
import { useMemo, useState } from 'react';
import { NoRows } from '../../components/NoRows.tsx';
import { listSetting, useSetting } from '../../state/useSetting.ts';
import type { ViewProps } from '../view-props.ts';
import { ColumnChooser } from './ColumnChooser.tsx';
import { tableColumns } from './columns.ts';
import { copyRows } from './copy-rows.ts';
import { formatCount } from './format.ts';
import { LossTable } from './LossTable.tsx';
import { RowDetails } from './RowDetails.tsx';
import { useRowCount } from './useRowCount.ts';

const NONE: readonly string[] = [];

export default function TableView({ session, store, dataVersion, view, onMessage }: ViewProps) {
  const { count } = useRowCount(session.queries, view.filter, dataVersion, store.path);
  const [hiddenList, setHiddenList] = useSetting(view, 'table.hidden', NONE, listSetting);
  const hidden = useMemo(() => new Set(hiddenList), [hiddenList]);
  const setHidden = (next: ReadonlySet<string>) => setHiddenList([...next]);
  const [open, setOpen] = useState<{ paramId: string; target: string } | null>(null);
  // Columns change only when the parameter set does, not on every manifest update.
  const paramsKey = JSON.stringify(store.manifest.params);
  // biome-ignore lint/correctness/useExhaustiveDependencies: keyed on the parameter list on purpose
  const all = useMemo(() => tableColumns(store.manifest), [paramsKey]);
  const columns = useMemo(() => all.filter((c) => !hidden.has(c.name)), [all, hidden]);
  const rows = count ?? 0;
  return (
    <div className="table-area">
      <div className="view-toolbar">
        <ColumnChooser columns={all} hidden={hidden} onChange={setHidden} />
        <span className="muted">
          Click, Shift+click or Ctrl+A to select; Ctrl+C copies as TSV; double-click or Enter for details ·{' '}
          {formatCount(rows)} rows
        </span>
      </div>
      <LossTable
        queries={session.queries}
        columns={columns}
        filter={view.filter}
        sort={view.sort}
        onSort={view.setSort}
        rowCount={rows}
        dataVersion={dataVersion}
        onError={onMessage}
        onCopy={(ranges) =>
          copyRows(
            session.queries,
            columns.map((c) => c.name),
            view.filter,
            view.sort,
            ranges,
            rows,
          ).then(
            (m) => onMessage(m, 'info'),
            (e: unknown) => onMessage(`Copy failed: ${e instanceof Error ? e.message : String(e)}`),
          )
        }
        onOpenRow={(r) => setOpen({ paramId: String(r.param_id), target: String(r.target) })}
      />
      {count === 0 ? <NoRows filter={view.filter} onClear={() => view.setFilter({})} /> : null}
      {open ? (
        <RowDetails session={session} manifest={store.manifest} {...open} onClose={() => setOpen(null)} />
      ) : null}
    </div>
  );
}
