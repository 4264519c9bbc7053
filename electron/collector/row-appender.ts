// Appends LossRow objects to a DuckDB table through the native appender, one typed call per cell.
import { type DuckDBAppender, type DuckDBConnection, timestampValue } from '@duckdb/node-api';
import { type LossRow, type ParamSpec, type ParamValue, storeColumns } from '../../shared/schema.ts';
import { ident } from '../../shared/sql.ts';

// Seeds are staged as comma-joined text and cast to UBIGINT[] by DuckDB when the shard is written:
// building a DuckDB list value per row in JavaScript costs ~10x the rest of the row.
export async function createBatchTable(conn: DuckDBConnection, table: string, params: readonly ParamSpec[]) {
  const cols = storeColumns(params).map((c) => `${ident(c.name)} ${c.name === 'seeds' ? 'VARCHAR' : c.type}`);
  await conn.run(`CREATE OR REPLACE TEMP TABLE ${ident(table)} (${cols.join(', ')})`);
}

/** The staging table as store rows: seeds text → UBIGINT[]. */
export function batchRelation(table: string): string {
  return `(SELECT * REPLACE (CASE WHEN seeds IS NULL THEN NULL WHEN seeds = '' THEN []::UBIGINT[]
    ELSE string_split(seeds, ',')::UBIGINT[] END AS seeds) FROM ${ident(table)})`;
}

type CellWriter = (a: DuckDBAppender, row: LossRow) => void;

function nullable<T>(value: T | null | undefined, a: DuckDBAppender, write: (v: T) => void) {
  if (value === null || value === undefined) a.appendNull();
  else write(value);
}

function paramWriter(p: ParamSpec): CellWriter {
  const get = (row: LossRow): ParamValue => row.params[p.name] ?? null;
  switch (p.type) {
    case 'DOUBLE':
      return (a, r) => nullable(get(r), a, (v) => a.appendDouble(Number(v)));
    case 'BIGINT':
      return (a, r) => nullable(get(r), a, (v) => a.appendBigInt(BigInt(v as number | bigint)));
    case 'BOOLEAN':
      return (a, r) => nullable(get(r), a, (v) => a.appendBoolean(Boolean(v)));
    case 'VARCHAR':
      return (a, r) => nullable(get(r), a, (v) => a.appendVarchar(String(v)));
  }
}

/** Cell writers in store column order. */
export function rowWriters(params: readonly ParamSpec[]): CellWriter[] {
  return [
    (a, r) => a.appendVarchar(r.job_id),
    (a, r) => a.appendVarchar(r.param_id),
    (a, r) => a.appendVarchar(r.target),
    (a, r) => a.appendVarchar(r.target_entrypoint),
    (a, r) => a.appendVarchar(r.status),
    (a, r) => nullable(r.loss, a, (v) => a.appendDouble(v)),
    (a, r) => nullable(r.n_replicates, a, (v) => a.appendInteger(v)),
    (a, r) => nullable(r.seeds, a, (v) => a.appendVarchar(v.join(','))),
    ...params.map(paramWriter),
    (a, r) => nullable(r.diagnostics, a, (v) => a.appendVarchar(v)),
    (a, r) => a.appendBoolean(r.diagnostics_truncated),
    (a, r) => nullable(r.error_type, a, (v) => a.appendVarchar(v)),
    (a, r) => nullable(r.error_message, a, (v) => a.appendVarchar(v)),
    (a, r) => a.appendTimestamp(timestampValue(BigInt(r.collected_at.getTime()) * 1000n)),
  ];
}

export async function appendRows(
  conn: DuckDBConnection,
  table: string,
  writers: readonly CellWriter[],
  rows: readonly LossRow[],
): Promise<void> {
  const appender = await conn.createAppender(table);
  try {
    for (const row of rows) {
      for (const write of writers) write(appender, row);
      appender.endRow();
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}
