// Brushing from the keyboard, over a chart's bins: the arrow keys move the brushed range by one
// bin, Shift+arrows move its upper end (widen / narrow), Home / End move it to either end, Delete,
// Backspace or Escape clear it. The first arrow press with no range selects one bin.
import type { Range } from '../../../shared/query-types.ts';

export interface Bin {
  x0: number;
  x1: number;
}

/** What the brush's accessible description says about its keys. */
export const BRUSH_KEYS_HELP =
  'Arrow keys move the range by one bin, Shift+arrows move its upper end, Home and End move it to either end, Delete clears it.';

/** The bins a snapped range covers, as [first, last] indices (an open end is the chart's end). */
function span(range: Range, bins: readonly Bin[]): [number, number] {
  const [lo, hi] = range;
  const i0 =
    lo === null
      ? 0
      : Math.max(
          0,
          bins.findIndex((b) => b.x1 > lo),
        );
  const f = hi === null ? -1 : bins.findIndex((b) => b.x1 >= hi);
  const i1 = f < 0 ? bins.length - 1 : f;
  return [i0, Math.max(i0, i1)];
}

/**
 * The range after `key` (with Shift held or not): a new range, null to clear it, or undefined
 * when the key is not a brush key (the event is left alone).
 */
export function keyBrush(
  key: string,
  shift: boolean,
  range: Range | null,
  bins: readonly Bin[],
): Range | null | undefined {
  const n = bins.length;
  if (n === 0) return undefined;
  if (key === 'Delete' || key === 'Backspace' || key === 'Escape') return range ? null : undefined;
  if (!['ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(key)) return undefined;
  const of = (i0: number, i1: number): Range => [bins[i0]!.x0, bins[i1]!.x1];
  if (!range) return key === 'ArrowLeft' || key === 'End' ? of(n - 1, n - 1) : of(0, 0);
  const [i0, i1] = span(range, bins);
  const width = i1 - i0;
  if (shift && key === 'ArrowRight') return of(i0, Math.min(n - 1, i1 + 1));
  if (shift && key === 'ArrowLeft') return of(i0, Math.max(i0, i1 - 1));
  if (key === 'Home') return of(0, width);
  if (key === 'End') return of(n - 1 - width, n - 1);
  const d = key === 'ArrowRight' ? Math.min(1, n - 1 - i1) : -Math.min(1, i0);
  return of(i0 + d, i1 + d);
}
