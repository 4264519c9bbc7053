// Ctrl+C on the table: the selected index ranges are read again by query, in the table's order
// (not from the few pages the grid holds), and put on the clipboard as TSV with a header row.
import type { LossFilter, LossSortState } from '../../../shared/query-types.ts';
import { copyText } from '../../components/clipboard.ts';
import type { LossQueries } from '../../db/queries.ts';
import { formatCount } from './format.ts';
import type { Row } from './row-windows.ts';
import type { IndexRange } from './selection.ts';
import { toTsv } from './tsv.ts';

/** More than this and the copy is refused: a clipboard is no export (use Export for the whole set). */
export const COPY_MAX_ROWS = 100_000;

export async function copyRows(
  queries: LossQueries,
  columns: readonly string[],
  filter: LossFilter,
  sort: LossSortState,
  ranges: readonly IndexRange[],
  total: number,
): Promise<string> {
  const n = ranges.reduce((s, [lo, hi]) => s + hi - lo + 1, 0);
  if (n > COPY_MAX_ROWS)
    throw new Error(`${formatCount(n)} rows selected; copy takes at most ${formatCount(COPY_MAX_ROWS)}`);
  const rows: Row[] = [];
  for (const [lo, hi] of ranges)
    rows.push(...(await queries.rowWindow(columns, filter, sort, lo, hi - lo + 1, total)));
  await copyText(toTsv(columns, rows));
  return `Copied ${formatCount(rows.length)} row${rows.length === 1 ? '' : 's'} (${columns.length} columns) as TSV`;
}
