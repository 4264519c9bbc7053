// Small query results become plain objects; BIGINT counts arrive as bigint and are made numbers
// (they are counts of rows, far below 2^53).
import type { ArrowTable } from './engine-types.ts';

export type Plain = Record<string, unknown>;

export function plainRows(table: ArrowTable): Plain[] {
  return table.toArray().map((row: { toJSON(): Plain }) => {
    const o = row.toJSON();
    for (const k of Object.keys(o)) if (typeof o[k] === 'bigint') o[k] = Number(o[k]);
    return o;
  });
}

export function num(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  return typeof v === 'bigint' ? Number(v) : (v as number);
}
