// Browsers cap an element's height (Chromium near 33.5 million px), so 10M rows × 28 px cannot be
// laid out 1:1. Past MAX_REAL_PX the scroller is a scaled-down proxy: the virtualizer works in
// "virtual" pixels (row index × row height) and we translate to and from the real scrollTop.
// Below the cap the factor is exactly 1 and this is the stock behaviour.
import { elementScroll, observeElementOffset, type Virtualizer } from '@tanstack/react-virtual';

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

type V = Virtualizer<HTMLDivElement, Element>;

/** Virtualizer options that read and write the scroll position through the current scale. */
export function scaledScrollOptions(scale: { current: ScrollScale }) {
  return {
    observeElementOffset: (instance: V, cb: (offset: number, isScrolling: boolean) => void) =>
      observeElementOffset(instance, (offset, isScrolling) => cb(offset * scale.current.factor, isScrolling)),
    scrollToFn: (offset: number, options: { adjustments?: number; behavior?: ScrollBehavior }, instance: V) =>
      elementScroll(offset / scale.current.factor, { ...options, adjustments: undefined }, instance),
  };
}

/** Where a virtual item goes in real content coordinates, given the real and virtual scroll offsets. */
export function realTop(itemStart: number, virtualOffset: number, realScrollTop: number): number {
  return realScrollTop + (itemStart - virtualOffset);
}
