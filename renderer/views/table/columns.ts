// Which store columns the loss table shows, in which order, how wide and how aligned.
import type { Manifest } from '../../../shared/manifest.ts';
import { paramColumn } from '../../../shared/schema.ts';
import { isNumericType } from './format.ts';

export interface TableColumn {
  name: string;
  /** DuckDB type, for formatting. */
  type: string;
  width: number;
  numeric: boolean;
  /** Header text when it differs from the name (the pivot's target columns). */
  label?: string;
  /** Header tooltip. */
  title?: string;
  /** Stays at the left while scrolling right. */
  frozen?: boolean;
}

const FIXED: readonly { name: string; type: string; width: number }[] = [
  // Wide enough for 8 monospace characters; the full id is in the cell for hover and copy.
  { name: 'param_id', type: 'VARCHAR', width: 96 },
  { name: 'target', type: 'VARCHAR', width: 230 },
  { name: 'status', type: 'VARCHAR', width: 84 },
  { name: 'loss', type: 'DOUBLE', width: 120 },
  { name: 'n_replicates', type: 'INTEGER', width: 116 },
];

/** Room for the bold header text and the sort arrow; values are shorter than most names. */
const headerWidth = (name: string) => Math.max(96, Math.min(260, 40 + 9.5 * name.length));

export function tableColumns(manifest: Manifest): TableColumn[] {
  const params = manifest.params.map((p) => ({
    name: paramColumn(p.name),
    type: p.type,
    width: headerWidth(paramColumn(p.name)),
  }));
  // Why a row failed, readable without leaving the table (long messages: hover for the whole text).
  const tail = [
    { name: 'error_type', type: 'VARCHAR', width: 150 },
    { name: 'error_message', type: 'VARCHAR', width: 420 },
  ];
  return [...FIXED, ...params, ...tail].map((c) => ({
    ...c,
    numeric: isNumericType(c.type),
    frozen: c.name === 'param_id' || c.name === 'target',
  }));
}
