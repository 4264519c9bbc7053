// A pivot cell. A target's loss is tinted by its decile among the filtered sets (10 % best:
// strongest cool tint, 10 % worst: strongest warm tint); a missing loss says why: `failed`,
// `missing`, or — when the set has no row for that target under the filter.

import { ParamId } from '../../components/ParamId.tsx';
import { statusColumn } from '../../db/analysis-sql.ts';
import type { TableColumn } from '../table/columns.ts';
import { formatCell, formatNumber } from '../table/format.ts';
import type { Row } from '../table/row-windows.ts';

export function decileOf(deciles: readonly number[] | undefined, v: number): number | null {
  if (!deciles?.length) return null;
  let k = 0;
  while (k < deciles.length && v > (deciles[k] as number)) k++;
  return k;
}

interface Props {
  column: TableColumn;
  row: Row;
  deciles: ReadonlyMap<string, readonly number[]>;
  isTarget: boolean;
}

export function PivotCell({ column, row, deciles, isTarget }: Props) {
  const v = row[column.name];
  if (column.name === 'param_id') return <ParamId id={String(v)} />;
  if (isTarget) {
    if (v === null || v === undefined) {
      const status = row[statusColumn(column.name)];
      if (status === 'failed' || status === 'missing')
        return <span className={`status-${status}`}>{status}</span>;
      return (
        <span className="muted" title="No row for this target under the filter">
          —
        </span>
      );
    }
    const k = decileOf(deciles.get(column.name), v as number);
    return (
      <span
        className={`pct pct-${k ?? 'x'}`}
        title={`${String(v)}${k === null ? '' : ` · decile ${k + 1} of 10`}`}
      >
        {formatNumber(v as number)}
      </span>
    );
  }
  if (column.name === 'combined' && (v === null || v === undefined))
    return (
      <span className="muted" title="Missing an ok loss for a combined target: ranked after complete sets">
        incomplete
      </span>
    );
  const text = formatCell(v, column.type);
  return <span title={typeof v === 'number' ? String(v) : undefined}>{text}</span>;
}
