// The fixed-height window: the same rows and positions TanStack Virtual gave (header padding,
// overscan, scaled scroll past the browser's height cap), computed for 10M rows without a walk.
import { describe, expect, it } from 'vitest';
import { type FixedRows, scrollTopFor, totalHeight, visibleRows } from './fixed-rows.ts';
import { scrollScale } from './scaled-scroll.ts';

const G: FixedRows = { rowHeight: 28, headerHeight: 32, overscan: 8 };
const VIEW = 600;

describe('fixed-height rows', () => {
  it('shows the first rows below the header at the top, with overscan after them', () => {
    const scale = scrollScale(totalHeight(1000, G), VIEW);
    const rows = visibleRows(0, VIEW, 1000, scale, G);
    expect(rows[0]).toEqual({ index: 0, top: 32 });
    // (600 − 32) / 28 = 20.3 rows on screen → rows 0…20, then 8 more.
    expect(rows.at(-1)?.index).toBe(20 + 8);
    expect(rows.every((r, i) => r.top === 32 + i * 28)).toBe(true);
  });

  it('has no rows for an empty grid and stops at the last row', () => {
    const scale = scrollScale(totalHeight(5, G), VIEW);
    expect(visibleRows(0, VIEW, 0, scale, G)).toEqual([]);
    expect(visibleRows(0, VIEW, 5, scale, G).map((r) => r.index)).toEqual([0, 1, 2, 3, 4]);
  });

  it('at the end of a 10M-row grid (scaled scroll), puts the last row at the bottom of the view', () => {
    const n = 10_000_000;
    const scale = scrollScale(totalHeight(n, G), VIEW);
    expect(scale.factor).toBeGreaterThan(1);
    const maxScrollTop = scale.realTotal - VIEW;
    const rows = visibleRows(maxScrollTop, VIEW, n, scale, G);
    const last = rows.at(-1)!;
    expect(last.index).toBe(n - 1);
    // Its bottom edge is the view's bottom edge, in the content's real pixels.
    expect(last.top + G.rowHeight).toBeCloseTo(maxScrollTop + VIEW, 3);
    expect(rows[1]!.top - rows[0]!.top).toBe(G.rowHeight);
  });

  it('scrolls just enough to show a row below or above the view, and not at all when it shows', () => {
    const scale = scrollScale(totalHeight(1000, G), VIEW);
    expect(scrollTopFor(5, 0, VIEW, scale, G)).toBeNull();
    // Row 30 ends at 32 + 31 × 28 = 900: scroll so 900 is the view's bottom.
    expect(scrollTopFor(30, 0, VIEW, scale, G)).toBe(900 - VIEW);
    // Row 10 starts at 312: above a view scrolled to 1000, it goes just under the header.
    expect(scrollTopFor(10, 1000, VIEW, scale, G)).toBe(312 - 32);
  });

  it('scrolls a 10M-row grid to a row through the scale factor', () => {
    const n = 10_000_000;
    const scale = scrollScale(totalHeight(n, G), VIEW);
    const top = scrollTopFor(n - 1, 0, VIEW, scale, G)!;
    const rows = visibleRows(top, VIEW, n, scale, G);
    expect(rows.some((r) => r.index === n - 1)).toBe(true);
  });
});
