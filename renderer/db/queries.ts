// The typed questions the table and status bar ask. Each returns Arrow (rows for display) or a
// small typed object; nothing here pulls a whole table into JavaScript.
import type { LossFilter, LossSortState } from '../../shared/query-types.ts';
import type { RowStatus } from '../../shared/schema.ts';
import { ident } from '../../shared/sql.ts';
import { num, type Plain, plainRows } from './arrow-rows.ts';
import {
  type EarlySource,
  HEAD_LIM,
  HEAD_V,
  headWindowSql,
  manifestCount,
  planEarlyWindow,
  planSegment,
  planTail,
} from './early-window.ts';
import type { SqlEngine } from './engine-types.ts';
import { explainWhere, hasRanges, LOSSES, selectCount, selectWindow, whereClause } from './sql.ts';
import { explainWhereText, whereErrorText } from './where-error.ts';
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
  /**
   * `early` answers while the store is read from its shards (before the copy into memory is
   * done): counts come from the manifest and the first pages get a loss bound (early-window.ts).
   */
  constructor(
    readonly engine: SqlEngine,
    private readonly early: () => EarlySource | null = () => null,
    private readonly onWindow: () => void = () => {},
    /** The count under brushes from the derived pivot (brushed-counts.ts), or null: count rows. */
    private readonly brushedCount: (filter: LossFilter) => Promise<number | null> = async () => null,
  ) {}

  /** The early source, unless a brushed range narrows the rows: manifest stats cannot count those. */
  private earlyFor(filter: LossFilter): EarlySource | null {
    return hasRanges(filter) ? null : this.early();
  }

  /** Rows `[offset, offset + limit)` in sort order; pass `total` (the count) so deep windows stay fast. */
  async rowWindow(
    columns: readonly string[],
    filter: LossFilter,
    sort: LossSortState,
    offset: number,
    limit: number,
    total?: number,
    /** Aborted when the page is no longer wanted: the host engine stops the query. */
    signal?: AbortSignal,
  ): Promise<Plain[]> {
    const src = this.earlyFor(filter);
    const head =
      src && sort === null ? await this.headWindow(src, columns, filter, offset, limit, signal) : null;
    if (head) {
      this.onWindow();
      return head;
    }
    // A window inside a range the manifest locates (the failed tail, one target's segment) is the
    // same window of that range's rows alone.
    const range = src && planTail(src, filter, sort, offset, limit);
    const plan = !range && src ? planEarlyWindow(src, filter, sort, offset, limit) : null;
    const segment = !range && !plan && src ? planSegment(src, filter, sort, offset, limit) : null;
    const within = range || segment;
    if (within) {
      const { start, size, predicates } = within;
      return this.windowRows(columns, filter, sort, offset - start, limit, size, predicates, signal);
    }
    // A shard dropped under us, or fewer ok rows than the manifest said: the plain query answers.
    const bound = plan ? await this.earlyBound(plan.boundSql, plan.need).catch(() => null) : null;
    if (plan && bound !== null)
      return this.windowRows(columns, filter, sort, offset, limit, undefined, plan.predicates(bound), signal);
    return this.windowRows(columns, filter, sort, offset, limit, total, [], signal);
  }

  /** One window query (read from the end when that is shorter), its rows in sort order. */
  private async windowRows(
    columns: readonly string[],
    filter: LossFilter,
    sort: LossSortState,
    offset: number,
    limit: number,
    total: number | undefined,
    predicates: readonly string[],
    signal?: AbortSignal,
  ): Promise<Plain[]> {
    const w = selectWindow(columns, filter, sort, offset, limit, total, predicates);
    const rows = plainRows(await this.engine.query(w.sql, { signal }));
    if (w.reversed) rows.reverse();
    this.onWindow();
    return rows;
  }

  /** The default order's page from the shards' heads, or null when that read cannot prove it exact. */
  private async headWindow(
    src: EarlySource,
    columns: readonly string[],
    filter: LossFilter,
    offset: number,
    limit: number,
    signal?: AbortSignal,
  ): Promise<Plain[] | null> {
    const sql = headWindowSql(src, columns, filter, offset, limit);
    if (!sql) return null;
    // Cancelled with the page (a margin page still reading when Ctrl+End came held the host's
    // connection for the last page: 10M rows, ~0.2 s); any other failure falls back to the full query.
    const rows = await this.engine
      .query(sql, { signal })
      .then(plainRows)
      .catch((e: unknown) => {
        if (signal?.aborted) throw e;
        return null;
      });
    const last = rows?.at(-1);
    if (!rows || rows.length !== limit || !last) return null;
    const v = num(last[HEAD_V]);
    const lim = num(last[HEAD_LIM]);
    if (v === null || (lim !== null && v >= lim)) return null;
    for (const r of rows) {
      delete r[HEAD_V];
      delete r[HEAD_LIM];
    }
    return rows;
  }

  private async earlyBound(sql: string, need: number): Promise<number | null> {
    const [row] = plainRows(await this.engine.query(sql));
    return num(row?.n) === need ? num(row?.b) : null;
  }

  async count(filter: LossFilter): Promise<number> {
    const src = this.earlyFor(filter);
    const known = src ? manifestCount(src, filter) : null;
    if (known !== null) return known;
    const fromPivot = hasRanges(filter) ? await this.brushedCount(filter) : null;
    if (fromPivot !== null) return fromPivot;
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
      arg_min(error_message, param_id) AS example_message, min(param_id) AS example_param_id
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
      await this.engine.query(explainWhere(expr)); // the form every query uses
      return { ok: true };
    } catch (wrapped) {
      // Asked again as typed, so the message is about the user's text, not our parentheses.
      const asTyped = await this.engine.query(explainWhereText(expr)).then(
        () => wrapped,
        (e: unknown) => e,
      );
      return { ok: false, message: whereErrorText(expr, asTyped) };
    }
  }
}

/** DuckDB errors start with a class ("Binder Error: …"); keep the first line, which names the problem. */
export function cleanDuckError(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.split('\n')[0]?.trim() || text;
}
