import { describe, expect, it } from 'vitest';
import { type Row, RowWindows } from './row-windows.ts';

const settle = () => new Promise((r) => setTimeout(r, 0));

function fakeDb(delay = 0) {
  const calls: number[] = [];
  const fetch = async (offset: number, limit: number): Promise<Row[]> => {
    calls.push(offset);
    await new Promise((r) => setTimeout(r, delay));
    return Array.from({ length: limit }, (_, i) => ({ i: offset + i }));
  };
  return { calls, fetch };
}

describe('RowWindows', () => {
  it('fetches only the pages around the visible rows', async () => {
    const db = fakeDb();
    const w = new RowWindows(() => {}, 100);
    w.reset(db.fetch);
    w.request(5000, 5040, 1_000_000, 50);
    await expect.poll(() => w.rowAt(5040)).toEqual({ i: 5040 });
    expect(db.calls.sort((a, b) => a - b)).toEqual([4900, 5000]);
  });

  it('skips pages flown past and drops responses for an old sort', async () => {
    const db = fakeDb(5);
    const w = new RowWindows(() => {}, 100);
    w.reset(db.fetch);
    w.request(0, 20, 1_000_000, 0); // in flight
    for (let r = 100; r < 100_000; r += 1000) w.request(r, r + 20, 1_000_000, 0);
    w.reset(async (o, l) => Array.from({ length: l }, (_, i) => ({ i: -(o + i) })));
    w.request(0, 20, 1_000_000, 0);
    await expect.poll(() => w.rowAt(0)).toEqual({ i: -0 });
    await settle();
    expect(db.calls).toEqual([0]);
  });

  it('keeps old rows visible after invalidate until fresh ones arrive', async () => {
    let gen = 0;
    const w = new RowWindows(() => {}, 10);
    w.reset(async (o, l) => Array.from({ length: l }, (_, i) => ({ i: o + i, gen })));
    w.request(0, 5, 100, 0);
    await expect.poll(() => w.rowAt(0)).toEqual({ i: 0, gen: 0 });
    gen = 1;
    w.invalidate();
    expect(w.rowAt(0)).toEqual({ i: 0, gen: 0 });
    await expect.poll(() => w.rowAt(0)).toEqual({ i: 0, gen: 1 });
  });

  it('reads two visible pages in one query (Ctrl+End shows a short last page and the one before)', async () => {
    const db = fakeDb(5);
    const w = new RowWindows(() => {}, 10);
    w.reset(db.fetch);
    w.request(95, 101, 102, 0); // rows 95–101 of 102: pages 9 and 10 (2 rows) both on screen
    await expect.poll(() => w.rowAt(101)).toEqual({ i: 101 });
    expect(w.rowAt(95)).toEqual({ i: 95 });
    expect(db.calls).toEqual([90]);
  });
});
