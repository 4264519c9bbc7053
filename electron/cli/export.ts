// `losslens export STORE --out FILE`: the window's export from the command line (same SQL, same
// writer): filtered + sorted rows, the best N parameter sets, or the per-set loss summary.
import { type Command, InvalidArgumentError } from 'commander';
import {
  COMBINED_METHODS,
  type CombinedLoss,
  type CombinedMethod,
  type LossSortState,
} from '../../shared/query-types.ts';
import { EXPORT_FORMATS, ExportError, type ExportFormat, type ExportKind } from '../host/export-spec.ts';
import { runExport } from '../host/export-writer.ts';
import { intOption } from './options.ts';

interface ExportFlags {
  out: string;
  format?: ExportFormat;
  where?: string;
  columns?: string[];
  sort?: LossSortState;
  best?: number;
  target?: string;
  summary?: boolean;
  combined: CombinedMethod;
  weights?: Record<string, number>;
  quiet?: boolean;
}

function oneOf<T extends string>(name: string, values: readonly T[]) {
  return (v: string): T => {
    if (!(values as readonly string[]).includes(v))
      throw new InvalidArgumentError(`${name} must be one of ${values.join(', ')}`);
    return v as T;
  };
}

function parseSort(v: string): LossSortState {
  const m = /^([^:]+)(?::(asc|desc))?$/.exec(v);
  if (!m?.[1]) throw new InvalidArgumentError('--sort must be COLUMN or COLUMN:desc');
  return { column: m[1], desc: m[2] === 'desc' };
}

function parseColumns(v: string): string[] {
  const cols = v.split(',').map((c) => c.trim());
  if (cols.some((c) => c === ''))
    throw new InvalidArgumentError('--columns must be a comma-separated list of column names');
  return cols;
}

function parseWeights(v: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of v.split(',')) {
    const [t, w] = part.split('=');
    const n = Number(w);
    if (!t || w === undefined || !Number.isFinite(n))
      throw new InvalidArgumentError('--weights must be TARGET=NUMBER,…');
    out[t.trim()] = n;
  }
  return out;
}

function kindOf(o: ExportFlags): ExportKind {
  if (o.best !== undefined && o.summary)
    throw new ExportError('--summary', 'choose --best or --summary, not both');
  if (o.target && o.best === undefined) throw new ExportError('--target', 'needs --best N');
  const kind: ExportKind = o.summary ? 'summary' : o.best !== undefined ? 'best' : 'rows';
  if (kind !== 'rows' && (o.columns || o.sort)) {
    throw new ExportError(o.columns ? '--columns' : '--sort', `applies to row exports only, not --${kind}`);
  }
  return kind;
}

export function registerExport(program: Command): void {
  program
    .command('export')
    .description(
      'export filtered, sorted rows (CSV, Parquet, JSON), the best N parameter sets, or the loss summary',
    )
    .argument('<store>', 'store directory')
    .requiredOption('--out <file>', 'file to write (atomically; its folder must exist, outside the store)')
    .option(
      '--format <format>',
      'csv, parquet or json (default: from the extension)',
      oneOf('--format', EXPORT_FORMATS),
    )
    .option('--where <sql>', 'SQL condition over store columns, as in the filter box')
    .option('--columns <a,b,...>', 'columns to write, in order (default: all)', parseColumns)
    .option('--sort <col[:desc]>', "sort by a column (default: the table's order)", parseSort)
    .option(
      '--best <n>',
      'the best N parameter sets (by combined loss, or by --target)',
      intOption('--best', 1),
    )
    .option('--target <id>', 'with --best: rank by this target’s loss')
    .option('--summary', 'per parameter set: mean_loss, std_loss, min_loss across targets, n_ok, parameters')
    .option(
      '--combined <method>',
      'combined loss for --best: mean, mean-rank or weighted',
      oneOf('--combined', COMBINED_METHODS),
      'mean',
    )
    .option('--weights <t=w,...>', 'with --combined weighted: per-target weights (default 1)', parseWeights)
    .option('--quiet', 'print nothing on success')
    .action(async (store: string, o: ExportFlags) => {
      const kind = kindOf(o);
      const combined: CombinedLoss = { method: o.combined, weights: o.weights ?? {} };
      const result = await runExport({
        store,
        out: o.out,
        format: o.format,
        kind,
        filter: o.where ? { where: o.where } : {},
        sort: o.sort ?? null,
        columns: o.columns,
        best: kind === 'best' ? { n: o.best ?? 10, target: o.target } : undefined,
        combined,
      });
      if (!o.quiet) {
        const side = result.sidecar ? ` (provenance: ${result.sidecar})` : '';
        process.stdout.write(
          `wrote ${result.rows} rows to ${result.out} (${result.format}, ${result.bytes} bytes)${side}\n`,
        );
      }
    });
}
