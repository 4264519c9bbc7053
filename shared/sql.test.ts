import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { ident, literal, str } from './sql.ts';

describe('sql quoting helpers', () => {
  it('round-trips identifiers and strings with quotes through real DuckDB', async () => {
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    const col = 'param_a"b';
    const value = 'it\'s "quoted"; DROP TABLE x; --';
    await conn.run(`CREATE TABLE t (${ident(col)} VARCHAR)`);
    await conn.run(`INSERT INTO t VALUES (${str(value)})`);
    const rows = (
      await conn.runAndReadAll(`SELECT ${ident(col)} AS v FROM t WHERE ${ident(col)} = ${literal(value)}`)
    ).getRowObjectsJS();
    expect(rows).toEqual([{ v: value }]);
    const nums = (
      await conn.runAndReadAll(
        `SELECT ${literal(0.1)} AS a, ${literal(Number.NaN)} AS b, ${literal(true)} AS c`,
      )
    ).getRowObjectsJS();
    expect(nums[0]?.a).toBe(0.1);
    expect(Number.isNaN(nums[0]?.b)).toBe(true);
    expect(nums[0]?.c).toBe(true);
    conn.closeSync();
    db.closeSync();
  });
});
