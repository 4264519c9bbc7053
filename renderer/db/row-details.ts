// One row with every store column (diagnostics, seeds, whole error message), for the details
// dialog. (param_id, target) is unique in a store.
import { ident, literal } from '../../shared/sql.ts';
import { type Plain, plainRows } from './arrow-rows.ts';
import type { SqlEngine } from './engine-types.ts';
import { LOSSES } from './sql.ts';

export function rowDetailsSql(paramId: string, target: string): string {
  return `SELECT * FROM ${LOSSES} WHERE ${ident('param_id')} = ${literal(paramId)} AND ${ident('target')} = ${literal(target)} LIMIT 1`;
}

export async function rowDetails(engine: SqlEngine, paramId: string, target: string): Promise<Plain | null> {
  return plainRows(await engine.query(rowDetailsSql(paramId, target)))[0] ?? null;
}
