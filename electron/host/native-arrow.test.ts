// Native results as Arrow IPC must read exactly as DuckDB-WASM 1.28's own Arrow for the same SQL:
// the same column types and values, NULLs in every type, text beyond ASCII, empty text apart from
// NULL, and more rows than one byte of the null bitmap. The reference is DuckDB-WASM's Node build.
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SqlEngine } from '../../renderer/db/engine-types.ts';
import { createNodeEngine } from '../../renderer/db/testing/node-engine.ts';
import { arrow } from '../../shared/arrow.ts';
import { resultToIpc } from './native-arrow.ts';

let wasm: SqlEngine;
let native: Awaited<ReturnType<Awaited<ReturnType<typeof DuckDBInstance.create>>['connect']>>;

beforeAll(async () => {
  wasm = await createNodeEngine();
  native = await (await DuckDBInstance.create(':memory:')).connect();
});
afterAll(async () => {
  native.closeSync();
  await wasm.close();
});

const SQL = `SELECT i,
    (i % 100 - 50)::TINYINT AS ti, (i * 7 - 900)::SMALLINT AS si, (i * 100003)::INTEGER AS ii,
    (i::BIGINT * 9007199254740) AS bi, i::UTINYINT AS uti, (i * 300)::USMALLINT AS usi,
    (i * 70000)::UINTEGER AS ui, (i * 1000003)::UBIGINT AS ubi,
    (i / 3.0)::FLOAT AS f, i / 7.0 AS d, (i / 8.0)::DECIMAL(10, 3) AS dec,
    CASE i % 4 WHEN 0 THEN 'plain' WHEN 1 THEN 'ünïcødé ✓ 𝔘' WHEN 2 THEN '' END AS txt,
    TIMESTAMP '2026-01-01 00:00:00.123456' + INTERVAL (i) SECOND AS ts, DATE '2026-01-01' + i::INTEGER AS dt,
    [i::UBIGINT, 2]::UBIGINT[] AS seeds, i % 2 = 0 AS b,
    CASE i % 3 WHEN 0 THEN [i::UBIGINT, NULL] WHEN 1 THEN []::UBIGINT[] ELSE [i::UBIGINT] END AS lst,
    CASE i % 3 WHEN 0 THEN ['a', NULL, 'ü'] WHEN 1 THEN []::VARCHAR[] ELSE ['b'] END AS texts
  FROM range(21) r(i)`;

/** Every other row NULL in every column but i: the null bitmap crosses bytes. */
const WITH_NULLS = `SELECT i, ${[
  'ti',
  'si',
  'ii',
  'bi',
  'uti',
  'usi',
  'ui',
  'ubi',
  'f',
  'd',
  'dec',
  'txt',
  'ts',
  'dt',
  'seeds',
  'b',
  'lst',
  'texts',
]
  .map((c) => `CASE WHEN i % 2 = 1 THEN ${c} END AS ${c}`)
  .join(', ')} FROM (${SQL})`;

const view = (t: ArrowLike) => ({
  types: t.schema.fields.map((f) => `${f.name}: ${String(f.type)}`),
  rows: t.toArray().map((r) => JSON.stringify(r.toJSON(), (_, v) => (typeof v === 'bigint' ? `${v}n` : v))),
});
interface ArrowLike {
  schema: { fields: readonly { name: string; type: unknown }[] };
  toArray(): { toJSON(): Record<string, unknown> }[];
}

for (const [what, sql] of [
  ['every column type', SQL],
  ['NULLs in every column type', WITH_NULLS],
] as const) {
  it(`reads as DuckDB-WASM's Arrow: ${what}`, async () => {
    const ipc = resultToIpc(await native.runAndReadAll(sql));
    const got = view(arrow.tableFromIPC(ipc) as unknown as ArrowLike);
    const want = view((await wasm.query(sql)) as unknown as ArrowLike);
    expect(got.types).toEqual(want.types);
    expect(got.rows).toEqual(want.rows);
  });
}
