// `status` columns written by other tools (Optuna: COMPLETE / FAIL / PRUNED / RUNNING / WAITING;
// others COMPLETED / FAILED / ERROR / PENDING) mapped onto the store's ok / failed / missing, in
// SQL. A pruned trial was stopped by the optimizer before it had a loss: failed, error_type
// `Pruned`. A trial still running or waiting has no result yet: missing. Any other value is a
// bad row naming the value. Which mapping was used is a store warning with per-value counts.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { StoreWarning } from '../../../shared/manifest.ts';
import { str } from '../../../shared/sql.ts';
import { scan } from '../parquet-chunks.ts';

export const STATUS_MAP: Readonly<Record<string, 'ok' | 'failed' | 'missing'>> = {
  ok: 'ok',
  complete: 'ok',
  completed: 'ok',
  success: 'ok',
  succeeded: 'ok',
  failed: 'failed',
  fail: 'failed',
  error: 'failed',
  pruned: 'failed',
  missing: 'missing',
  running: 'missing',
  waiting: 'missing',
  pending: 'missing',
};

const RAW = `lower(trim(status::VARCHAR))`;

/** The store status of a row, NULL for a value outside the vocabularies. */
export function mappedStatus(): string {
  const arms = Object.entries(STATUS_MAP)
    .map(([from, to]) => `WHEN ${str(from)} THEN ${str(to)}`)
    .join(' ');
  return `(CASE ${RAW} ${arms} END)`;
}

/** error_type of a row: a pruned trial says so when the file has no error_type of its own. */
export function mappedErrorType(errorType: string): string {
  return `(CASE WHEN ${RAW} = 'pruned' THEN coalesce(${errorType}, 'Pruned') ELSE ${errorType} END)`;
}

export function badStatusWhy(): string {
  return `'status ' || coalesce('"' || status::VARCHAR || '"', 'NULL') || ' is not one of ${Object.keys(STATUS_MAP).join(', ')} (any case)'`;
}

export interface StatusScan {
  /** Rows whose status is outside the vocabularies (bad rows). */
  unknown: number;
  /** The warning saying how foreign values were mapped, or null when all were ok/failed/missing. */
  warning: StoreWarning | null;
}

/** One narrow GROUP BY over the status column: what values there are, and how many. */
export async function scanStatus(conn: DuckDBConnection, file: string, label: string): Promise<StatusScan> {
  const r = await conn.runAndReadAll(
    `SELECT status::VARCHAR AS s, count(*)::BIGINT AS n FROM ${scan(file)} GROUP BY 1 ORDER BY 2 DESC, 1`,
  );
  let unknown = 0;
  let mapped = 0;
  const parts: string[] = [];
  for (const row of r.getRowObjectsJS()) {
    const s = row.s === null ? null : String(row.s);
    const n = Number(row.n);
    const to = s === null ? undefined : STATUS_MAP[s.trim().toLowerCase()];
    if (s === null || !to) unknown += n;
    else if (s !== to) {
      mapped += n;
      parts.push(`${s}→${to}${s.trim().toLowerCase() === 'pruned' ? ' (error_type Pruned)' : ''} ×${n}`);
    }
  }
  const warning: StoreWarning | null = mapped
    ? {
        code: 'status_mapped',
        message:
          'status values of another tool mapped onto ok/failed/missing: COMPLETE(D)/SUCCESS→ok, FAIL(ED)/ERROR→failed, ' +
          'PRUNED→failed (error_type Pruned), RUNNING/WAITING/PENDING→missing',
        count: mapped,
        examples: [`${label}: ${parts.join(', ')}`.slice(0, 300)],
      }
    : null;
  return { unknown, warning };
}
