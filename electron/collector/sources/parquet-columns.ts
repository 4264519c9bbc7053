// What each column of a user's parquet file is: a known store column (param_id, loss, target,
// status, …), or a parameter. Every other column is a parameter (`beta` → `param_beta`; a
// `param_` prefix is kept as is), narrowed by --params / --exclude. The checks that would
// otherwise surface as raw Binder errors or silent VARCHAR columns are named here, per file.
import { PARAM_PREFIX, type ParamType, paramNameProblem } from '../../../shared/schema.ts';
import { CollectError } from '../errors.ts';
import { storeParamType, widen } from '../param-types.ts';
import type { ParamChoice } from './types.ts';

/** Columns read as store columns, never as parameters. */
export const KNOWN_COLUMNS = new Set([
  'job_id',
  'param_id',
  'target',
  'target_entrypoint',
  'status',
  'loss',
  'n_replicates',
  'seeds',
  'diagnostics',
  'diagnostics_truncated',
  'error_type',
  'error_message',
  'collected_at',
]);

const INTEGER = /^U?(TINY|SMALL|BIG|HUGE)?INT(EGER)?$/;
const NUMBER = /^(DOUBLE|FLOAT|REAL|DECIMAL.*|U?(TINY|SMALL|BIG|HUGE)?INT(EGER)?)$/;

export function isInteger(duckType: string): boolean {
  return INTEGER.test(duckType.toUpperCase());
}

export function paramName(column: string): string {
  return column.startsWith(PARAM_PREFIX) ? column.slice(PARAM_PREFIX.length) : column;
}

const chosen = (list: readonly string[], column: string) =>
  list.includes(column) || list.includes(paramName(column));

/** Whether a scalar `seed` column stands for the row's seeds (it does when whole numbers). */
export function seedColumn(columns: ReadonlyMap<string, string>, choice: ParamChoice): boolean {
  const t = columns.get('seed');
  return t !== undefined && !columns.has('seeds') && isInteger(t) && !choice.only?.includes('seed');
}

/** Checks the file's loss and param_id columns; returns the note for a non-text param_id. */
export function checkKeyColumns(file: string, columns: ReadonlyMap<string, string>): string | null {
  const loss = columns.get('loss') ?? '';
  if (!NUMBER.test(loss.toUpperCase())) {
    throw new CollectError(
      file,
      null,
      `column loss is ${loss}, not a number`,
      'Write loss as a floating-point column (in pandas: df["loss"] = pd.to_numeric(df["loss"]))',
    );
  }
  const id = columns.get('param_id') ?? '';
  if (id === 'VARCHAR') return null;
  if (isInteger(id) || id === 'UUID') return `${file}: param_id is ${id}; its values are stored as text`;
  throw new CollectError(
    file,
    null,
    `column param_id is ${id}`,
    'param_id names a parameter set: write it as text (or whole numbers)',
  );
}

/** Parameter name → source column of one file, after --params / --exclude. */
export function fileParams(
  file: string,
  columns: ReadonlyMap<string, string>,
  choice: ParamChoice,
): Map<string, string> {
  const out = new Map<string, string>();
  const seed = seedColumn(columns, choice);
  for (const column of columns.keys()) {
    if (KNOWN_COLUMNS.has(column) || column.startsWith('__') || (seed && column === 'seed')) continue;
    if (choice.only && !chosen(choice.only, column)) continue;
    if (chosen(choice.exclude, column)) continue;
    const name = paramName(column);
    const prev = out.get(name);
    if (prev !== undefined) {
      throw new CollectError(
        file,
        null,
        `columns ${prev} and ${column} would both be stored as ${PARAM_PREFIX}${name}`,
        `Leave one out with --exclude ${column}`,
      );
    }
    out.set(name, column);
  }
  return out;
}

interface Seen {
  type: ParamType;
  duckType: string;
  file: string;
}

/** Parameter types across files: numbers widen to DOUBLE; a number in one file and text in another is an error. */
export class ParamTypes {
  private readonly seen = new Map<string, Seen>();

  add(file: string, name: string, duckType: string): void {
    const type = storeParamType(duckType);
    const prev = this.seen.get(name);
    if (!prev) {
      this.seen.set(name, { type, duckType, file });
      return;
    }
    const both = widen(prev.type, type);
    if (both === 'VARCHAR' && !(prev.type === 'VARCHAR' && type === 'VARCHAR')) {
      throw new CollectError(
        file,
        null,
        `parameter ${name} is ${duckType} here but ${prev.duckType} in ${prev.file}`,
        `Write ${name} with one type in every file, or leave it out with --exclude ${name}`,
      );
    }
    if (both !== prev.type) this.seen.set(name, { ...prev, type: both });
  }

  /** Sorted specs; names that cannot be distinct store columns are an error naming the file. */
  specs(): { name: string; type: ParamType }[] {
    const list = [...this.seen].sort(([a], [b]) => a.localeCompare(b));
    const problem = paramNameProblem(list.map(([n]) => n));
    if (problem) {
      const last = problem.names[problem.names.length - 1]!;
      throw new CollectError(
        this.seen.get(last)?.file ?? '',
        null,
        problem.what,
        `${problem.fix}, or leave it out with --exclude ${last}`,
      );
    }
    return list.map(([name, s]) => ({ name, type: s.type }));
  }

  has(name: string): boolean {
    return this.seen.has(name);
  }
}

/** --params names that no file has: a typo would otherwise collect no parameters silently. */
export function checkChosen(src: string, choice: ParamChoice, all: ReadonlySet<string>): void {
  const missing = [...(choice.only ?? []), ...choice.exclude].filter(
    (n) => !all.has(n) && !all.has(paramName(n)) && !all.has(PARAM_PREFIX + n),
  );
  if (missing.length) {
    throw new CollectError(
      src,
      null,
      `--params/--exclude name ${missing.join(', ')}, which no file has`,
      `Columns present: ${[...all].sort().join(', ')}`,
    );
  }
}
