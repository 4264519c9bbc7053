import { describe, expect, it } from 'vitest';
import { type Bin, keyBrush } from './brush-keys.ts';

// Ten bins of width 0.5 from 1: [1, 1.5), [1.5, 2), … [5.5, 6].
const bins: Bin[] = Array.from({ length: 10 }, (_, i) => ({ x0: 1 + i / 2, x1: 1.5 + i / 2 }));

describe('keyboard brush', () => {
  it('starts with one bin at the end the key points from', () => {
    expect(keyBrush('ArrowRight', false, null, bins)).toEqual([1, 1.5]);
    expect(keyBrush('ArrowLeft', false, null, bins)).toEqual([5.5, 6]);
    expect(keyBrush('End', false, null, bins)).toEqual([5.5, 6]);
  });

  it('moves a range by one bin, keeping its width, and stops at the ends', () => {
    expect(keyBrush('ArrowRight', false, [2, 3], bins)).toEqual([2.5, 3.5]);
    expect(keyBrush('ArrowLeft', false, [2, 3], bins)).toEqual([1.5, 2.5]);
    expect(keyBrush('ArrowLeft', false, [1, 2], bins)).toEqual([1, 2]);
    expect(keyBrush('ArrowRight', false, [5, 6], bins)).toEqual([5, 6]);
    expect(keyBrush('Home', false, [4, 5], bins)).toEqual([1, 2]);
    expect(keyBrush('End', false, [2, 3], bins)).toEqual([5, 6]);
  });

  it('widens and narrows at the upper end with Shift, never below one bin', () => {
    expect(keyBrush('ArrowRight', true, [2, 3], bins)).toEqual([2, 3.5]);
    expect(keyBrush('ArrowLeft', true, [2, 3], bins)).toEqual([2, 2.5]);
    expect(keyBrush('ArrowLeft', true, [2, 2.5], bins)).toEqual([2, 2.5]);
  });

  it('reads open ends (a range from the URL) as the chart ends', () => {
    expect(keyBrush('ArrowLeft', true, [null, 2], bins)).toEqual([1, 1.5]);
    expect(keyBrush('ArrowLeft', false, [3, null], bins)).toEqual([2.5, 5.5]);
  });

  it('clears with Delete, Backspace or Escape; ignores other keys', () => {
    expect(keyBrush('Delete', false, [2, 3], bins)).toBeNull();
    expect(keyBrush('Escape', false, [2, 3], bins)).toBeNull();
    expect(keyBrush('Escape', false, null, bins)).toBeUndefined();
    expect(keyBrush('a', false, [2, 3], bins)).toBeUndefined();
    expect(keyBrush('ArrowRight', false, null, [])).toBeUndefined();
  });
});
