// Every number the renderer writes into SQL must reach DuckDB-WASM as the same double: brushed
// ranges end exactly on the minimum and maximum loss, and the job header finds the best row by
// equality. DuckDB-WASM 1.28 (DuckDB 0.9) reads a 17-digit literal as a DECIMAL whose cast to
// DOUBLE is sometimes an ulp off.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rng } from '../../electron/collector/demo-model.ts';
import { literal } from '../../shared/sql.ts';
import type { SqlEngine } from './engine-types.ts';
import { createNodeEngine } from './testing/node-engine.ts';

let engine: SqlEngine;
beforeAll(async () => {
  engine = await createNodeEngine();
});
afterAll(async () => {
  await engine.close();
});

it('literal(x) and literal(x)::DOUBLE are x again in DuckDB-WASM', async () => {
  const next = rng(11);
  const xs = Array.from({ length: 200 }, () => (next() - 0.3) * 10 ** Math.floor(next() * 9 - 4));
  xs.push(Number.MIN_VALUE, Number.MAX_VALUE, -0.1, 1 / 3, 1e-300, 123456.789);
  const sql = `SELECT ${xs.map((x, i) => `${literal(x)} AS a${i}, ${literal(x)}::DOUBLE AS b${i}`).join(', ')}`;
  const row = (await engine.query(sql)).toArray()[0]!.toJSON();
  const off = xs.filter((x, i) => Number(row[`a${i}`]) !== x || Number(row[`b${i}`]) !== x);
  expect(off).toEqual([]);
});
