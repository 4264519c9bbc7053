// Checks an export against the store it reads (columns, sort, targets, the user's WHERE, bound by
// DuckDB itself) and builds its query. A problem is an ExportError naming the option, in the words
// the window uses for the same filter (shared/where-error.ts).
import type { DuckDBConnection } from '@duckdb/node-api';
import { activeTargets, describeCombined } from '../../shared/combined-sql.ts';
import {
  BEST_COMBINED_ORDER,
  BEST_TARGET_ORDER,
  bestCombinedSql,
  bestTargetSql,
  rowsSql,
  SUMMARY_ORDER,
  summarySql,
} from '../../shared/export-sql.ts';
import { orderClause, whereClause } from '../../shared/filter-sql.ts';
import type { Manifest } from '../../shared/manifest.ts';
import { paramColumn } from '../../shared/schema.ts';
import { explainWhereText, whereErrorText } from '../../shared/where-error.ts';
import { whereTextProblem } from '../../shared/where-text.ts';
import { ExportError, type ExportSpec } from './export-spec.ts';

export interface ExportPlan {
  sql: string;
  columns: string[];
  filterSql: string;
  sortSql: string;
  combined: string;
}

const list = (names: readonly string[]) => names.join(', ');

async function storeColumnNames(conn: DuckDBConnection): Promise<string[]> {
  const r = await conn.runAndReadAll('DESCRIBE losses');
  return r.getRowObjectsJS().map((row) => String(row.column_name));
}

async function checkWhere(conn: DuckDBConnection, where: string | undefined): Promise<void> {
  if (!where?.trim()) return;
  const problem = whereTextProblem(where);
  if (problem) throw new ExportError('--where', `${problem} in "${where}"`);
  try {
    await conn.run(explainWhereText(where));
  } catch (e) {
    throw new ExportError('--where', whereErrorText(where, e));
  }
}

function checkTargets(manifest: Manifest, spec: ExportSpec): void {
  const known = manifest.targets.map((t) => t.id);
  for (const t of [...(spec.filter.targets ?? []), ...(spec.best?.target ? [spec.best.target] : [])]) {
    if (!known.includes(t))
      throw new ExportError('--target', `no target "${t}" in this store (it has: ${list(known)})`);
  }
}

export async function planExport(
  conn: DuckDBConnection,
  manifest: Manifest,
  spec: ExportSpec,
): Promise<ExportPlan> {
  const names = await storeColumnNames(conn);
  const params = manifest.params.map((p) => paramColumn(p.name)).filter((c) => names.includes(c));
  const targets = manifest.targets.map((t) => t.id);
  checkTargets(manifest, spec);
  for (const c of spec.columns ?? []) {
    if (!names.includes(c))
      throw new ExportError('--columns', `unknown column "${c}" (the store has: ${list(names)})`);
  }
  if (spec.sort && !names.includes(spec.sort.column)) {
    throw new ExportError('--sort', `unknown column "${spec.sort.column}" (the store has: ${list(names)})`);
  }
  for (const c of Object.keys(spec.filter.paramRanges ?? {})) {
    if (!params.includes(c)) throw new ExportError('--where', `no parameter column "${c}" in this store`);
  }
  await checkWhere(conn, spec.filter.where);
  const active = activeTargets(targets, spec.filter, spec.combined);
  const base = {
    filterSql: whereClause(spec.filter),
    sortSql: orderClause(spec.sort),
    combined: describeCombined(spec.combined, active),
  };
  if (spec.kind === 'summary') {
    return { ...base, sql: summarySql(params, spec.filter), columns: [], sortSql: SUMMARY_ORDER };
  }
  if (spec.kind === 'best') {
    const n = spec.best?.n ?? 10;
    const target = spec.best?.target;
    if (!target && !active.length)
      throw new ExportError('--best', 'no target to combine: the filter or weights leave none');
    const sql = target
      ? bestTargetSql(target, params, spec.filter, n)
      : bestCombinedSql(targets, params, spec.filter, spec.combined, n);
    return {
      ...base,
      sql,
      columns: [],
      sortSql: target ? BEST_TARGET_ORDER : BEST_COMBINED_ORDER,
      combined: target ? `loss of ${target}` : base.combined,
    };
  }
  const columns = spec.columns?.length ? [...spec.columns] : names;
  return { ...base, sql: rowsSql(columns, spec.filter, spec.sort), columns };
}
