// Which rows of a fixed-height grid are on screen, and where to scroll to show one: arithmetic on
// the scroll position, whatever the row count. (TanStack Virtual walked every row at each count
// change — a Float64Array of 2 × rows and a key per row: 432 ms of the page's main thread before a
// 10M-row table's first rows, and again at each commit of a live store.) Past MAX_REAL_PX the
// scroller is a scaled-down proxy (scaled-scroll.ts): offsets here are virtual px (row index × row
// height); the element's real scrollTop is the virtual offset ÷ the scale factor.
import type { ScrollScale } from './scaled-scroll.ts';

export interface FixedRows {
  rowHeight: number;
  /** Height of the sticky header above the first row. */
  headerHeight: number;
  overscan: number;
}

/** Virtual height of the whole grid: the header and every row. */
export function totalHeight(rowCount: number, g: FixedRows): number {
  return g.headerHeight + rowCount * g.rowHeight;
}

/** The rows to render for a real scrollTop, each with its top in the content's real pixels. */
export function visibleRows(
  realScrollTop: number,
  viewport: number,
  rowCount: number,
  scale: ScrollScale,
  g: FixedRows,
): { index: number; top: number }[] {
  if (rowCount <= 0) return [];
  const offset = realScrollTop * scale.factor;
  const first = Math.max(0, Math.floor((offset - g.headerHeight) / g.rowHeight) - g.overscan);
  const last = Math.min(
    rowCount - 1,
    Math.ceil((offset + viewport - g.headerHeight) / g.rowHeight) + g.overscan - 1,
  );
  const out: { index: number; top: number }[] = [];
  for (let i = first; i <= last; i++) {
    const start = g.headerHeight + i * g.rowHeight;
    out.push({ index: i, top: scale.factor === 1 ? start : realScrollTop + (start - offset) });
  }
  return out;
}

/** The real scrollTop that brings row `index` fully into view (below the header), or null if it is. */
export function scrollTopFor(
  index: number,
  realScrollTop: number,
  viewport: number,
  scale: ScrollScale,
  g: FixedRows,
): number | null {
  const offset = realScrollTop * scale.factor;
  const start = g.headerHeight + index * g.rowHeight;
  const end = start + g.rowHeight;
  if (start < offset + g.headerHeight) return Math.max(0, start - g.headerHeight) / scale.factor;
  if (end > offset + viewport) return (end - viewport) / scale.factor;
  return null;
}
