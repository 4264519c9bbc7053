// One NDJSON batch becoming one shard: parse the raw lines (bad ones fail the run or are counted),
// keep the first of each (param_id, target) within the batch and against rows already in the
// store, and commit with the exact byte range it covers plus its warnings in one transaction.
import type { StoreWarning } from '../../../shared/manifest.ts';
import type { LossRow, ParamSpec } from '../../../shared/schema.ts';
import { CollectError, skipHint } from '../errors.ts';
import { badRecordsWarning, duplicatesWarning } from '../record-issues.ts';
import type { StoreWriter } from '../store-writer.ts';
import type { Bad } from './ndjson-fields.ts';
import { parseRecord } from './ndjson-record.ts';
import type { OnError, TargetRef } from './types.ts';

export interface RawLine {
  text: string;
  lineNo: number;
  /** The line's file when a batch spans several (a spool folder); else the batch's label. */
  label?: string;
}

export interface BatchContext {
  label: string;
  writer: StoreWriter;
  params: readonly ParamSpec[];
  jobId: string;
  onError: OnError;
  collectedAt: Date;
  knownTargets: Set<string>;
  /** Parameter names refused for the store under --on-error skip: their records are skipped. */
  refused: ReadonlyMap<string, Bad>;
}

export async function commitBatch(
  b: BatchContext,
  lines: readonly RawLine[],
  inputKey: string | readonly string[],
): Promise<number> {
  const rows: LossRow[] = [];
  const seen = new Map<string, string>();
  const bad: string[] = [];
  let badCount = 0;
  const dups: string[] = [];
  let dupCount = 0;
  const newTargets: TargetRef[] = [];
  for (const { text, lineNo, label = b.label } of lines) {
    if (text.trim() === '') continue;
    const parsed = parseRecord(text, b.params, b.jobId, b.collectedAt, b.refused);
    if ('bad' in parsed) {
      if (b.onError === 'fail')
        throw new CollectError(label, `line ${lineNo}`, parsed.bad, skipHint(parsed.fix));
      badCount++;
      bad.push(`${label}, line ${lineNo}: ${parsed.bad}`.slice(0, 300));
      continue;
    }
    const { row } = parsed;
    const key = `${row.param_id}\u0000${row.target}`;
    const first = seen.get(key);
    if (first !== undefined) {
      dupCount++;
      dups.push(`${label}, line ${lineNo}: ${row.param_id} / ${row.target} first at ${first}`);
      continue;
    }
    seen.set(key, label === b.label ? `line ${lineNo}` : `${label}, line ${lineNo}`);
    if (!b.knownTargets.has(row.target)) {
      b.knownTargets.add(row.target);
      newTargets.push({ id: row.target, entrypoint: row.target_entrypoint });
    }
    rows.push(row);
  }
  const relation = await b.writer.stageRows(rows);
  let select = `SELECT * FROM ${relation}`;
  if (rows.length > 0) {
    // Against an index of the stored pairs (store-writer.ts), not a re-read of every shard.
    const stored = await b.writer.withoutStored(relation);
    dupCount += stored.duplicates;
    for (const h of stored.examples)
      dups.push(`${b.label}: ${h.param_id} / ${h.target} was already in the store`);
    select = stored.select;
  }
  const warnings: StoreWarning[] = [];
  if (badCount) warnings.push(badRecordsWarning(badCount, bad));
  if (dupCount) warnings.push(duplicatesWarning(dupCount, dups));
  const keys = typeof inputKey === 'string' ? [inputKey] : inputKey;
  const shard = await b.writer.writeSelect(select, keys, { warnings, targets: newTargets });
  return shard?.rows ?? 0;
}
