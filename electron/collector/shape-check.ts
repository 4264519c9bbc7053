// The last check before any source opens the writer: parameter names that cannot be distinct
// store columns and targets without a short id would otherwise fail inside DuckDB or the
// manifest schema with a raw message, after the store was made. Sources that know the line or
// file check earlier (ndjson-names.ts, parquet-columns.ts); this catches every other source.
import { paramNameProblem } from '../../shared/schema.ts';
import { CollectError } from './errors.ts';
import type { StoreShape } from './sources/types.ts';

export function checkShape(src: string, shape: StoreShape): void {
  const problem = paramNameProblem(shape.params.map((p) => p.name));
  if (problem) throw new CollectError(src, null, problem.what, problem.fix);
  const empty = shape.targets.find((t) => t.id === '');
  if (empty) {
    throw new CollectError(
      src,
      null,
      `target "${empty.entrypoint}" has an empty short id (the part after the last ':' or '/')`,
      'Name the target module:name',
    );
  }
}
