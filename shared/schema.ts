// The loss store's row schema: one row per (job_id, param_id, target), long format.
// Both the collector (writes) and the renderer (reads) import these names, so a column is
// renamed in exactly one place.

export const ROW_STATUSES = ['ok', 'failed', 'missing'] as const;
export type RowStatus = (typeof ROW_STATUSES)[number];

export const PARAM_TYPES = ['DOUBLE', 'BIGINT', 'BOOLEAN', 'VARCHAR'] as const;
export type ParamType = (typeof PARAM_TYPES)[number];

/** Prefix of the one-column-per-parameter columns, e.g. `param_beta`. */
export const PARAM_PREFIX = 'param_';

/** Diagnostics JSON longer than this (in UTF-8 bytes) is cut and flagged `diagnostics_truncated`. */
export const DIAGNOSTICS_CAP_BYTES = 64 * 1024;

/** Fixed columns in store order; `param_<name>` columns sit between `seeds` and `diagnostics`. */
export const FIXED_COLUMNS_HEAD = [
  { name: 'job_id', type: 'VARCHAR' },
  { name: 'param_id', type: 'VARCHAR' },
  { name: 'target', type: 'VARCHAR' },
  { name: 'target_entrypoint', type: 'VARCHAR' },
  { name: 'status', type: 'VARCHAR' },
  { name: 'loss', type: 'DOUBLE' },
  { name: 'n_replicates', type: 'INTEGER' },
  { name: 'seeds', type: 'UBIGINT[]' },
] as const;

export const FIXED_COLUMNS_TAIL = [
  { name: 'diagnostics', type: 'VARCHAR' },
  { name: 'diagnostics_truncated', type: 'BOOLEAN' },
  { name: 'error_type', type: 'VARCHAR' },
  { name: 'error_message', type: 'VARCHAR' },
  { name: 'collected_at', type: 'TIMESTAMP' },
] as const;

export type FixedColumnName =
  | (typeof FIXED_COLUMNS_HEAD)[number]['name']
  | (typeof FIXED_COLUMNS_TAIL)[number]['name'];

export interface ParamSpec {
  name: string;
  type: ParamType;
}

export interface ColumnSpec {
  name: string;
  /** DuckDB type as written in the parquet shards. */
  type: string;
}

export type ParamValue = number | bigint | boolean | string | null;

/** One loss row as handed to the store writer. */
export interface LossRow {
  job_id: string;
  param_id: string;
  target: string;
  target_entrypoint: string;
  status: RowStatus;
  loss: number | null;
  n_replicates: number | null;
  seeds: readonly bigint[] | null;
  /** Keyed by parameter name without the `param_` prefix. */
  params: Readonly<Record<string, ParamValue>>;
  diagnostics: string | null;
  diagnostics_truncated: boolean;
  error_type: string | null;
  error_message: string | null;
  collected_at: Date;
}

export function paramColumn(name: string): string {
  return PARAM_PREFIX + name;
}

/** Every column of a store with these parameters, in store order. */
export function storeColumns(params: readonly ParamSpec[]): ColumnSpec[] {
  return [
    ...FIXED_COLUMNS_HEAD,
    ...params.map((p) => ({ name: paramColumn(p.name), type: p.type })),
    ...FIXED_COLUMNS_TAIL,
  ];
}

/** The short target id: the part after the last `:` (and after the last `/`). */
export function shortTargetId(entrypointOrDir: string): string {
  const afterSlash = entrypointOrDir.slice(entrypointOrDir.lastIndexOf('/') + 1);
  return afterSlash.slice(afterSlash.lastIndexOf(':') + 1);
}

/** Cap diagnostics JSON at DIAGNOSTICS_CAP_BYTES without splitting a UTF-16 surrogate pair. */
export function capDiagnostics(json: string | null): { text: string | null; truncated: boolean } {
  if (json === null) return { text: null, truncated: false };
  // Fast path: UTF-8 is at most 3 bytes per UTF-16 unit.
  if (json.length * 3 <= DIAGNOSTICS_CAP_BYTES) return { text: json, truncated: false };
  const bytes = new TextEncoder().encode(json);
  if (bytes.length <= DIAGNOSTICS_CAP_BYTES) return { text: json, truncated: false };
  const cut = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, DIAGNOSTICS_CAP_BYTES));
  // A multi-byte character cut in half decodes to U+FFFD at the end: drop it.
  return { text: cut.replace(/\uFFFD$/, ''), truncated: true };
}

/** Largest value of the store's INTEGER column (n_replicates). */
export const INTEGER_MAX = 2 ** 31 - 1;
/** Exclusive bounds of a BIGINT parameter and of a UBIGINT seed, as JavaScript numbers. */
export const BIGINT_LIMIT = 2 ** 63;
export const UBIGINT_LIMIT = 2 ** 64;

export interface NameProblem {
  /** The offending parameter names as the input spells them. */
  names: string[];
  what: string;
  fix: string;
}

/**
 * Why these parameter names cannot all be store columns, or null. DuckDB column names ignore
 * case, so `Beta` beside `beta`, or `id` (→ `param_id`, the parameter-set id), would collide.
 */
export function paramNameProblem(names: readonly string[]): NameProblem | null {
  const fixed = new Set([...FIXED_COLUMNS_HEAD, ...FIXED_COLUMNS_TAIL].map((c) => c.name.toLowerCase()));
  const seen = new Map<string, string>();
  for (const name of names) {
    if (name.trim() === '') {
      return {
        names: [name],
        what: `a parameter has an empty name (${JSON.stringify(name)})`,
        fix: 'Give every parameter a name in the input',
      };
    }
    const col = paramColumn(name).toLowerCase();
    if (fixed.has(col)) {
      return {
        names: [name],
        what: `parameter "${name}" would be stored as column ${paramColumn(name)}, which is the store's own ${col} column`,
        fix: `Rename the parameter in the input (e.g. to "${name}_value")`,
      };
    }
    const prev = seen.get(col);
    if (prev !== undefined) {
      return {
        names: [prev, name],
        what: `parameters "${prev}" and "${name}" would both be stored as column ${col} (column names ignore case)`,
        fix: 'Rename one of them in the input so the names differ by more than case',
      };
    }
    seen.set(col, name);
  }
  return null;
}
