// Task ids as join keys. modelops' task ids are 64-character hex digests; as text a DuckDB row
// spends ~80 bytes on one, as two 128-bit integers 32, and a million-sim index is mostly task
// ids (88 → 64 MB measured for 1M sims). The integers are the id itself, split, not a hash of
// it, so the join stays exact. Any other id (upper case, another length) keeps its text, with
// zero integers; the join compares the text too, so the two forms never meet.
import type { DuckDBAppender } from '@duckdb/node-api';

const HEX_ID = /^[0-9a-f]{64}$/;

/** Columns of a table keyed by task id. */
export const TASK_KEY_COLUMNS = 'k1 UHUGEINT, k2 UHUGEINT, task_text VARCHAR';

export function appendTaskKey(a: DuckDBAppender, id: string): void {
  if (HEX_ID.test(id)) {
    a.appendUHugeInt(BigInt(`0x${id.slice(0, 32)}`));
    a.appendUHugeInt(BigInt(`0x${id.slice(32)}`));
    a.appendNull();
  } else {
    a.appendUHugeInt(0n);
    a.appendUHugeInt(0n);
    a.appendVarchar(id);
  }
}

/** Join condition on the task keys of two aliases. */
export function sameTask(l: string, r: string): string {
  return `${l}.k1 = ${r}.k1 AND ${l}.k2 = ${r}.k2 AND ${l}.task_text IS NOT DISTINCT FROM ${r}.task_text`;
}

/** The task id as written, from its keys. */
export function taskIdText(k1: unknown, k2: unknown, text: unknown): string {
  if (typeof text === 'string') return text;
  const hex = (v: unknown) =>
    BigInt(v as bigint)
      .toString(16)
      .padStart(32, '0');
  return hex(k1) + hex(k2);
}
