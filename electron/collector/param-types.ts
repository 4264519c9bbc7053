// Parameter columns: DuckDB types of a source mapped to the four store types, and the SELECT list
// that casts a source's columns into the store's (NULL where a source lacks a parameter).
import { type ParamSpec, type ParamType, type ParamValue, paramColumn } from '../../shared/schema.ts';
import { ident } from '../../shared/sql.ts';

export function storeParamType(duckType: string): ParamType {
  const t = duckType.toUpperCase();
  if (t === 'BOOLEAN') return 'BOOLEAN';
  if (/^(U?(TINY|SMALL|BIG|HUGE)?INT(EGER)?|UBIGINT|UINTEGER|USMALLINT|UTINYINT)$/.test(t)) return 'BIGINT';
  if (t === 'DOUBLE' || t === 'FLOAT' || t === 'REAL' || t.startsWith('DECIMAL')) return 'DOUBLE';
  return 'VARCHAR';
}

/** The type both of two sources' types fit in: numbers widen to DOUBLE, anything else to text. */
export function widen(a: ParamType, b: ParamType): ParamType {
  if (a === b) return a;
  if ((a === 'BIGINT' && b === 'DOUBLE') || (a === 'DOUBLE' && b === 'BIGINT')) return 'DOUBLE';
  return 'VARCHAR';
}

export function mergeParams(into: Map<string, ParamType>, name: string, type: ParamType): void {
  const prev = into.get(name);
  into.set(name, prev ? widen(prev, type) : type);
}

export function sortedParams(map: Map<string, ParamType>): ParamSpec[] {
  return [...map].sort(([a], [b]) => a.localeCompare(b)).map(([name, type]) => ({ name, type }));
}

/** The type of a JSON value, as a parameter (JSON numbers without a fraction count as BIGINT). */
export function jsonParamType(value: ParamValue): ParamType | null {
  if (value === null) return null;
  if (typeof value === 'boolean') return 'BOOLEAN';
  if (typeof value === 'string') return 'VARCHAR';
  if (typeof value === 'bigint') return 'BIGINT';
  return Number.isInteger(value) ? 'BIGINT' : 'DOUBLE';
}

/**
 * SELECT items for the store's param columns from a relation whose columns are `available`
 * (param_<name> names); a missing one becomes a typed NULL. TRY_CAST: a value that does not fit
 * becomes NULL rather than failing a million-row shard.
 */
export function paramSelect(
  params: readonly ParamSpec[],
  available: ReadonlySet<string>,
  qualifier = '',
): string[] {
  return params.map((p) => {
    const col = paramColumn(p.name);
    const src = available.has(col) ? `TRY_CAST(${qualifier}${ident(col)} AS ${p.type})` : `NULL::${p.type}`;
    return `${src} AS ${ident(col)}`;
  });
}

/** As paramSelect, for a source whose parameter columns are named freely (parameter → column). */
export function paramSelectFrom(
  params: readonly ParamSpec[],
  columns: ReadonlyMap<string, string>,
): string[] {
  return params.map((p) => {
    const src = columns.get(p.name);
    const value = src === undefined ? `NULL::${p.type}` : `TRY_CAST(${ident(src)} AS ${p.type})`;
    return `${value} AS ${ident(paramColumn(p.name))}`;
  });
}
