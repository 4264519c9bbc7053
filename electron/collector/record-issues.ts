// Bad and duplicate records: fail with a located message, or (with --on-error skip) count them in
// store.json warnings with the first examples. Warnings travel with the shard that skipped the
// records, so a resumed run never counts them twice.
import type { StoreWarning } from '../../shared/manifest.ts';
import { CollectError, SKIP_HINT } from './errors.ts';
import type { Prepass } from './parquet-chunks.ts';
import type { OnError } from './sources/types.ts';

export function badRecordsWarning(count: number, examples: string[]): StoreWarning {
  return {
    code: 'bad_records_skipped',
    message: 'records skipped because of --on-error skip (bad JSON, non-finite loss, missing param_id, …)',
    count,
    examples: examples.slice(0, 5),
  };
}

export function duplicatesWarning(count: number, examples: string[]): StoreWarning {
  return {
    code: 'duplicate_rows',
    message: 'rows with a (param_id, target) already collected; the first one was kept',
    count,
    examples: examples.slice(0, 5),
  };
}

/** Throws on bad rows unless skipping; returns the warnings this file's first shard carries. */
export function prepassOutcome(label: string, pre: Prepass, onError: OnError): StoreWarning[] {
  const firstBad = pre.badExamples[0];
  if (firstBad && onError === 'fail') {
    const more = pre.badCount > 1 ? ` (${pre.badCount - 1} more bad rows in this file)` : '';
    throw new CollectError(
      label,
      `row ${firstBad.row} (counting from 0)`,
      `${firstBad.why}${more}`,
      SKIP_HINT,
    );
  }
  const warnings: StoreWarning[] = [];
  if (pre.badCount > 0) {
    warnings.push(
      badRecordsWarning(
        pre.badCount,
        pre.badExamples.map((b) => `${label}, row ${b.row}: ${b.why}`),
      ),
    );
  }
  if (pre.dupCount > 0) {
    warnings.push(
      duplicatesWarning(
        pre.dupCount,
        pre.dupExamples.map((d) => `${label}, row ${d.row}: ${d.key} first seen at row ${d.first}`),
      ),
    );
  }
  return warnings;
}
