// The Failures view's queries: failed and missing rows grouped by (target, status, error type),
// a group's rows with their whole messages a page at a time, and the targets that never
// succeeded (from the manifest's per-shard counts, no query).
import type { Manifest } from '../../shared/manifest.ts';
import type { LossFilter } from '../../shared/query-types.ts';
import type { RowStatus } from '../../shared/schema.ts';
import { literal } from '../../shared/sql.ts';
import { num, plainRows } from './arrow-rows.ts';
import type { SqlEngine } from './engine-types.ts';
import { int, LOSSES, whereClause } from './sql.ts';

// Statuses sort failed < missing < ok, so `status < 'ok'` is "not ok" in a form row-group
// statistics can prune: shards sorted by (target, loss) keep non-ok rows in few row groups.
const NOT_OK = `status < 'ok'`;

export interface FailureGroupKey {
  target: string;
  status: Exclude<RowStatus, 'ok'>;
  error_type: string | null;
}
export interface FailureGroupRow extends FailureGroupKey {
  count: number;
  /** Distinct messages in the group. */
  messages: number;
}
export interface FailureRow {
  param_id: string;
  error_message: string | null;
}
export interface TargetOutcome {
  target: string;
  rows: number;
  ok: number;
  failed: number;
  missing: number;
}

export function groupsSql(filter: LossFilter): string {
  return `SELECT target, status, error_type, count(*)::BIGINT AS count,
      count(DISTINCT error_message)::BIGINT AS messages
    FROM ${LOSSES} ${whereClause(filter, NOT_OK)}
    GROUP BY target, status, error_type ORDER BY count DESC, target, status, error_type NULLS LAST`;
}

const groupIs = (g: FailureGroupKey) =>
  [
    `target = ${literal(g.target)}`,
    `status = ${literal(g.status)}`,
    g.error_type === null ? 'error_type IS NULL' : `error_type = ${literal(g.error_type)}`,
  ].join(' AND ');

export function groupRowsSql(filter: LossFilter, g: FailureGroupKey, offset: number, limit: number): string {
  return `SELECT param_id, error_message FROM ${LOSSES} ${whereClause(filter, NOT_OK, groupIs(g))}
    ORDER BY param_id LIMIT ${int(limit)} OFFSET ${int(offset)}`;
}

export class FailureQueries {
  constructor(private readonly engine: SqlEngine) {}

  async groups(filter: LossFilter): Promise<FailureGroupRow[]> {
    return plainRows(await this.engine.query(groupsSql(filter))).map((r) => ({
      target: String(r.target),
      status: r.status as FailureGroupKey['status'],
      error_type: r.error_type === null ? null : String(r.error_type),
      count: num(r.count) ?? 0,
      messages: num(r.messages) ?? 0,
    }));
  }

  async rows(filter: LossFilter, g: FailureGroupKey, offset: number, limit: number): Promise<FailureRow[]> {
    return plainRows(await this.engine.query(groupRowsSql(filter, g, offset, limit))).map((r) => ({
      param_id: String(r.param_id),
      error_message: r.error_message === null ? null : String(r.error_message),
    }));
  }
}

/** Per target: rows by status summed over the manifest's shards. */
export function targetOutcomes(m: Manifest): TargetOutcome[] {
  return m.targets.map(({ id }) => {
    const o: TargetOutcome = { target: id, rows: 0, ok: 0, failed: 0, missing: 0 };
    for (const s of m.shards) {
      const t = s.targets[id];
      if (!t) continue;
      o.rows += t.rows;
      o.ok += t.ok;
      o.failed += t.failed;
      o.missing += t.missing;
    }
    return o;
  });
}
