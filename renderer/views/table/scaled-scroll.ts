// Browsers cap an element's height (Chromium near 33.5 million px), so 10M rows × 28 px cannot be
// laid out 1:1. Past MAX_REAL_PX the scroller is a scaled-down proxy: rows are placed in "virtual"
// pixels (row index × row height), translated to and from the real scrollTop (fixed-rows.ts).
// Below the cap the factor is exactly 1.

export const MAX_REAL_PX = 8_000_000;

export interface ScrollScale {
  /** Virtual px per real px (≥ 1). */
  factor: number;
  /** Height the scroll content really gets. */
  realTotal: number;
}

export function scrollScale(virtualTotal: number, viewport: number): ScrollScale {
  if (virtualTotal <= MAX_REAL_PX) return { factor: 1, realTotal: virtualTotal };
  const factor = (virtualTotal - viewport) / Math.max(1, MAX_REAL_PX - viewport);
  return { factor, realTotal: MAX_REAL_PX };
}
