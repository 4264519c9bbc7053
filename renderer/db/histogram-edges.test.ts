// A log histogram's outer edges are the losses themselves: 10 ** log10(13) is 12.999999999999998,
// so an edge computed back from the log scale left the largest loss outside a brush over the last
// bin (the readout counted it, the table did not). Checked with DuckDB comparing like the filter.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rangeSql } from './brush-sql.ts';
import type { SqlEngine } from './engine-types.ts';
import { binSpec, type TargetOverview, toHistogram } from './histograms.ts';
import { createNodeEngine } from './testing/node-engine.ts';

let engine: SqlEngine;
beforeAll(async () => {
  engine = await createNodeEngine();
});
afterAll(async () => {
  await engine.close();
});

const overview = (lo: number, hi: number): TargetOverview => ({
  target: 't',
  rows: 2,
  failed: 0,
  missing: 0,
  n: 2,
  lo,
  hi,
  nPos: 2,
  loPos: lo,
  hiPos: hi,
});

describe('histogram edges', () => {
  for (const [lo, hi] of [
    [0.3, 13],
    [0.03, 123.456],
  ] as const)
    it(`a brush over every log bin keeps the smallest and largest loss (${lo}, ${hi})`, async () => {
      const o = overview(lo, hi);
      const h = toHistogram(binSpec(o, 10, true)!, new Map(), [o]);
      const range: [number, number] = [h.bins[0]!.x0, h.bins.at(-1)!.x1];
      const sql = `SELECT count(*)::INTEGER AS n FROM (VALUES (${lo}::DOUBLE), (${hi}::DOUBLE)) v(loss) WHERE ${rangeSql('loss', range)}`;
      const n = Number((await engine.query(sql)).toArray()[0]?.toJSON().n);
      expect(n).toBe(2);
    });
});
