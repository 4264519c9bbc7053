import { describe, expect, it } from 'vitest';
import {
  clampSelection,
  clickRow,
  EMPTY_SELECTION,
  isSelected,
  selectAll,
  selectedCount,
} from './selection.ts';
import { toTsv } from './tsv.ts';

describe('row selection', () => {
  it('click selects one, shift extends from the anchor, ctrl toggles', () => {
    let s = clickRow(EMPTY_SELECTION, 5, { shift: false, toggle: false });
    s = clickRow(s, 2, { shift: true, toggle: false });
    expect(s.ranges).toEqual([[2, 5]]);
    s = clickRow(s, 9, { shift: false, toggle: true });
    expect(s.ranges).toEqual([
      [2, 5],
      [9, 9],
    ]);
    s = clickRow(s, 3, { shift: false, toggle: true });
    expect(s.ranges).toEqual([
      [2, 2],
      [4, 5],
      [9, 9],
    ]);
    expect(selectedCount(s)).toBe(4);
    expect(isSelected(s, 3)).toBe(false);
    expect(selectedCount(selectAll(1_000_000))).toBe(1_000_000);
    expect(clampSelection(selectAll(100), 10).ranges).toEqual([[0, 9]]);
  });
});

describe('TSV', () => {
  it('keeps full precision and quotes tabs, newlines and quotes', () => {
    const text = toTsv(
      ['a', 'b'],
      [
        { a: 0.1 + 0.2, b: 'x\ty "q"' },
        { a: null, b: 12n },
      ],
    );
    expect(text).toBe('a\tb\n0.30000000000000004\t"x\ty ""q"""\n\t12\n');
  });
});
