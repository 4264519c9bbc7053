// Row selection over a virtual grid, as index ranges (Ctrl+A on a million rows is one range, not a
// million entries). Click selects one row, Shift extends from the anchor, Ctrl/Cmd toggles one.

export type IndexRange = readonly [number, number];

export interface Selection {
  /** Disjoint, sorted, inclusive. */
  ranges: readonly IndexRange[];
  anchor: number | null;
  /** The row the keyboard acts on (Enter opens it, arrows move from it). */
  active: number | null;
}

export const EMPTY_SELECTION: Selection = { ranges: [], anchor: null, active: null };

function normalize(ranges: readonly IndexRange[]): IndexRange[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [lo, hi] of sorted) {
    const last = out.at(-1);
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

export function isSelected(sel: Selection, i: number): boolean {
  return sel.ranges.some(([lo, hi]) => i >= lo && i <= hi);
}

export function selectedCount(sel: Selection): number {
  return sel.ranges.reduce((n, [lo, hi]) => n + hi - lo + 1, 0);
}

function without(ranges: readonly IndexRange[], i: number): IndexRange[] {
  return ranges.flatMap(([lo, hi]): IndexRange[] => {
    if (i < lo || i > hi) return [[lo, hi]];
    const parts: IndexRange[] = [];
    if (lo < i) parts.push([lo, i - 1]);
    if (i < hi) parts.push([i + 1, hi]);
    return parts;
  });
}

export function clickRow(sel: Selection, i: number, mods: { shift: boolean; toggle: boolean }): Selection {
  if (mods.shift && sel.anchor !== null) {
    const range: IndexRange = [Math.min(sel.anchor, i), Math.max(sel.anchor, i)];
    const kept = mods.toggle ? sel.ranges : [];
    return { ranges: normalize([...kept, range]), anchor: sel.anchor, active: i };
  }
  if (mods.toggle) {
    const ranges = isSelected(sel, i) ? without(sel.ranges, i) : normalize([...sel.ranges, [i, i]]);
    return { ranges, anchor: i, active: i };
  }
  return { ranges: [[i, i]], anchor: i, active: i };
}

export function selectAll(rowCount: number): Selection {
  return rowCount > 0 ? { ranges: [[0, rowCount - 1]], anchor: 0, active: 0 } : EMPTY_SELECTION;
}

/** Keep only rows that still exist (the count shrank under a new filter or live data). */
export function clampSelection(sel: Selection, rowCount: number): Selection {
  const ranges = sel.ranges
    .filter(([lo]) => lo < rowCount)
    .map(([lo, hi]): IndexRange => [lo, Math.min(hi, rowCount - 1)]);
  const fix = (i: number | null) => (i !== null && i < rowCount ? i : null);
  return { ranges, anchor: fix(sel.anchor), active: fix(sel.active) };
}
