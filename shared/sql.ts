// The one place SQL text is built from names and values. Everything else calls these, so a
// path or a column name containing a quote can never break (or inject into) a query.

/** Quote an identifier (column, table, alias) for DuckDB. */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A string literal for DuckDB (also used for file paths in read_parquet / COPY). */
export function str(value: string): string {
  if (value.includes('\u0000')) throw new Error('NUL character in SQL string literal');
  return `'${value.replaceAll("'", "''")}'`;
}

export type SqlValue = string | number | bigint | boolean | null | Date;

/** Any scalar literal for DuckDB; non-finite numbers become typed DOUBLE literals. */
export function literal(value: SqlValue): string {
  if (value === null) return 'NULL';
  if (typeof value === 'string') return str(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date)
    return `TIMESTAMP ${str(value.toISOString().replace('T', ' ').replace('Z', ''))}`;
  if (Number.isNaN(value)) return "'NaN'::DOUBLE";
  if (value === Number.POSITIVE_INFINITY) return "'Infinity'::DOUBLE";
  if (value === Number.NEGATIVE_INFINITY) return "'-Infinity'::DOUBLE";
  if (Number.isInteger(value) && Math.abs(value) <= Number.MAX_SAFE_INTEGER) return value.toString();
  // A DOUBLE parsed from text: a decimal literal is read as a DECIMAL, and DuckDB-WASM 1.28
  // (DuckDB 0.9) casts some of those to a double one ulp away (renderer/db/literal.test.ts).
  return `${str(String(value))}::DOUBLE`;
}

/** A list literal `[a, b, c]` of scalar literals. */
export function listLiteral(values: readonly SqlValue[]): string {
  return `[${values.map(literal).join(', ')}]`;
}
