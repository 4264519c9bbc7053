// How one cell renders: numbers right-aligned and formatted, failed/missing marked, param_id
// shown short but kept whole in the DOM so hover and copy give the full id.
import type { TableColumn } from './columns.ts';
import { formatCell } from './format.ts';
import type { Row } from './row-windows.ts';

export function CellValue({ column, row }: { column: TableColumn; row: Row }) {
  const v = row[column.name];
  if (column.name === 'param_id') {
    return (
      <span className="id" title={String(v)}>
        {String(v)}
      </span>
    );
  }
  if (column.name === 'status') return <span className={`status status-${String(v)}`}>{String(v)}</span>;
  if (column.name === 'loss' && (v === null || v === undefined)) {
    const why = row.error_type ? `${row.status}: ${String(row.error_type)}` : String(row.status ?? '');
    return (
      <span className="muted" title={why}>
        —
      </span>
    );
  }
  // A number the row does not have (a failed row's n_replicates) reads as absent, not as a gap.
  if (column.numeric && (v === null || v === undefined)) return <span className="muted">—</span>;
  const text = formatCell(v, column.type);
  const full =
    typeof v === 'number' && text !== String(v) ? String(v) : typeof v === 'string' ? v : undefined;
  return <span title={full}>{text}</span>;
}
