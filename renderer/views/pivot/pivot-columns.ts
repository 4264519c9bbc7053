// The Pivot's columns: param_id (frozen), one loss per target, n_ok, the combined loss and its
// rank, then the parameters.
import type { Manifest } from '../../../shared/manifest.ts';
import type { CombinedLoss } from '../../../shared/query-types.ts';
import { paramColumn } from '../../../shared/schema.ts';
import type { TableColumn } from '../table/columns.ts';
import { isNumericType } from '../table/format.ts';
import { METHOD_SHORT } from './combined-text.ts';

const width = (label: string, min = 110) => Math.max(min, Math.min(290, 36 + 8.5 * label.length));

export function pivotColumns(m: Manifest, combined: CombinedLoss): TableColumn[] {
  const label = `combined (${METHOD_SHORT[combined.method]})`;
  return [
    { name: 'param_id', type: 'VARCHAR', width: 96, numeric: false, frozen: true },
    ...m.targets.map((t) => ({
      name: t.id,
      type: 'DOUBLE',
      width: width(t.id),
      numeric: true,
      title: `Sort by ${t.id}'s loss`,
    })),
    { name: 'n_ok', type: 'INTEGER', width: 70, numeric: true, title: 'Targets with an ok loss' },
    { name: 'combined', label, type: 'DOUBLE', width: width(label, 150), numeric: true },
    { name: 'rank', type: 'BIGINT', width: 80, numeric: true, title: 'Rank by the combined loss' },
    ...m.params.map((p) => ({
      name: paramColumn(p.name),
      type: p.type,
      width: width(paramColumn(p.name), 96),
      numeric: isNumericType(p.type),
    })),
  ];
}
