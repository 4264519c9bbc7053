// Parameter names an NDJSON stream brings must each become a distinct store column: DuckDB
// column names ignore case, and `id` would be `param_id`. Checked before the writer opens, so a
// clash is named with its line instead of failing inside DuckDB with the store half made. With
// --on-error skip the offending name is left out and the records carrying it are skipped.
import { type ParamSpec, paramNameProblem } from '../../../shared/schema.ts';
import { CollectError, skipHint } from '../errors.ts';
import { type Bad, bad } from './ndjson-fields.ts';
import type { Inferred } from './ndjson-record.ts';
import type { OnError } from './types.ts';

export function checkParamNames(
  inferred: Inferred,
  label: string,
  onError: OnError,
  refused: Map<string, Bad>,
): ParamSpec[] {
  let params = inferred.params;
  for (;;) {
    const problem = paramNameProblem(params.map((p) => p.name));
    if (!problem) return params;
    const name = problem.names[problem.names.length - 1]!;
    const line = inferred.lineOf.get(name);
    if (onError === 'fail')
      throw new CollectError(label, line ? `line ${line}` : null, problem.what, skipHint(problem.fix));
    refused.set(name, bad(problem.what, problem.fix));
    params = params.filter((p) => p.name !== name);
  }
}
