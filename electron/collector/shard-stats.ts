// Per-target statistics of a shard: from the statistics DuckDB returns while writing it
// (`COPY … (RETURN_STATS)`) when the shard holds one target and one status — every chunk of a
// job view — else by a query over the rows just written.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { TargetStats } from '../../shared/manifest.ts';

/** `relation` is SQL for a table or subquery with the store columns. */
export async function targetStats(
  conn: DuckDBConnection,
  relation: string,
): Promise<Record<string, TargetStats>> {
  const reader = await conn.runAndReadAll(`
    SELECT target,
           count(*)::BIGINT AS rows,
           count(*) FILTER (WHERE status = 'ok')::BIGINT AS ok,
           count(*) FILTER (WHERE status = 'failed')::BIGINT AS failed,
           count(*) FILTER (WHERE status = 'missing')::BIGINT AS missing,
           min(loss) AS min_loss, max(loss) AS max_loss
    FROM ${relation} GROUP BY target ORDER BY target`);
  const stats: Record<string, TargetStats> = {};
  for (const r of reader.getRowObjectsJS()) {
    stats[String(r.target)] = {
      rows: Number(r.rows),
      ok: Number(r.ok),
      failed: Number(r.failed),
      missing: Number(r.missing),
      min_loss: r.min_loss === null ? null : Number(r.min_loss),
      max_loss: r.max_loss === null ? null : Number(r.max_loss),
    };
  }
  return stats;
}

type Entries = { key: string; value: unknown }[];

function entries(v: unknown): Map<string, unknown> {
  return new Map(Array.isArray(v) ? (v as Entries).map((e) => [e.key, e.value]) : []);
}

/**
 * Stats from one row of `COPY … (RETURN_STATS)` (as `getRowObjectsJson()`), or null when the
 * shard mixes targets or statuses (min ≠ max) and a query must count them.
 */
export function statsFromCopy(row: Record<string, unknown>): Record<string, TargetStats> | null {
  const rows = Number(row.count);
  const columns = entries(row.column_statistics);
  const column = (name: string) => entries(columns.get(`"${name}"`) ?? columns.get(name));
  const target = column('target');
  const status = column('status');
  const loss = column('loss');
  const t = target.get('min');
  const st = status.get('min');
  if (typeof t !== 'string' || t !== target.get('max') || st !== status.get('max')) return null;
  if (st !== 'ok' && st !== 'failed' && st !== 'missing') return null;
  const num = (v: unknown) => (typeof v === 'string' && v !== '' ? Number(v) : null);
  return {
    [t]: {
      rows,
      ok: st === 'ok' ? rows : 0,
      failed: st === 'failed' ? rows : 0,
      missing: st === 'missing' ? rows : 0,
      min_loss: num(loss.get('min')),
      max_loss: num(loss.get('max')),
    },
  };
}
