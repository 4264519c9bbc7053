// Per-target statistics of a shard, computed by DuckDB over the rows just written.
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
