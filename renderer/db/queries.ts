// The typed questions the table and status bar ask. Each returns Arrow (rows for display) or a
// small typed object; nothing here pulls a whole table into JavaScript.
import type { LossFilter, LossSortState } from '../../shared/query-types.ts';
import type { RowStatus } from '../../shared/schema.ts';
import { ident } from '../../shared/sql.ts';
import { num, type Plain, plainRows } from './arrow-rows.ts';
import type { SqlEngine } from './engine-types.ts';
import { explainWhere, LOSSES, selectCount, selectWindow, whereClause } from './sql.ts';
import { whereTextProblem } from './where-text.ts';

export interface TargetSummary {
  target: string;
  rows: number;
  ok: number;
  failed: number;
  missing: number;
  min: number | null;
  median: number | null;
  max: number | null;
}

export interface FailureGroup {
  target: string;
  status: Exclude<RowStatus, 'ok'>;
  error_type: string | null;
  count: number;
  example_message: string | null;
  example_param_id: string;
}

export type WhereCheck = { ok: true } | { ok: false; message: string };

export class LossQueries {
  constructor(readonly engine: SqlEngine) {}

  /** Rows `[offset, offset + limit)` in sort order; pass `total` (the count) so deep windows stay fast. */
  async rowWindow(
    columns: readonly string[],
    filter: LossFilter,
    sort: LossSortState,
    offset: number,
    limit: number,
    total?: number,
  ): Promise<Plain[]> {
    const { sql, reversed } = selectWindow(columns, filter, sort, offset, limit, total);
    const rows = plainRows(await this.engine.query(sql));
    return reversed ? rows.reverse() : rows;
  }

  async count(filter: LossFilter): Promise<number> {
    const rows = plainRows(await this.engine.query(selectCount(filter)));
    return num(rows[0]?.n) ?? 0;
  }

  async summary(): Promise<TargetSummary[]> {
    const ok = `(${ident('status')} = 'ok')`;
    const sql = `SELECT target, count(*) AS rows, count(*) FILTER (WHERE ${ok}) AS ok,
      count(*) FILTER (WHERE status = 'failed') AS failed, count(*) FILTER (WHERE status = 'missing') AS missing,
      min(loss) AS min, median(loss) AS median, max(loss) AS max
      FROM ${LOSSES} GROUP BY target ORDER BY target`;
    return plainRows(await this.engine.query(sql)) as unknown as TargetSummary[];
  }

  async failures(filter: LossFilter): Promise<FailureGroup[]> {
    const sql = `SELECT target, status, error_type, count(*) AS count,
      any_value(error_message) AS example_message, min(param_id) AS example_param_id
      FROM ${LOSSES} ${whereClause(filter, "status <> 'ok'")}
      GROUP BY target, status, error_type ORDER BY count DESC, target, error_type NULLS LAST`;
    return plainRows(await this.engine.query(sql)) as unknown as FailureGroup[];
  }

  /** Checks the user's WHERE text; the message is DuckDB's own, shown beside the filter box. */
  async validateWhere(expr: string): Promise<WhereCheck> {
    if (!expr.trim()) return { ok: true };
    const problem = whereTextProblem(expr);
    if (problem) return { ok: false, message: problem };
    try {
      await this.engine.query(explainWhere(expr));
      return { ok: true };
    } catch (e) {
      return { ok: false, message: cleanDuckError(e) };
    }
  }
}

/** DuckDB errors start with a class ("Binder Error: …"); keep the first line, which names the problem. */
export function cleanDuckError(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.split('\n')[0]?.trim() || text;
}
