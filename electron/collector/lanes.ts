// Writer lanes: shards written concurrently, one DuckDB connection each. Measured on 2 cores,
// 10M-row views job (ARCHITECTURE.md): one COPY of a 64k-row sorted shard keeps about one core
// busy, so a second lane cuts wall time by ~25-30 % (22.8 → 17.7 s idle; 23.7 → 18.4 s under
// load) but raises peak RSS by ~90 MB (298 → 386 MB bundled), past the 300 MB budget. So one lane
// by default; LOSSLENS_COLLECT_LANES=2 where memory allows.
import type { DuckDBConnection } from '@duckdb/node-api';

/** LOSSLENS_COLLECT_LANES, else 1 (more than the core count does not help). */
export function writerLanes(): number {
  const n = Number(process.env.LOSSLENS_COLLECT_LANES ?? 1);
  return Number.isInteger(n) && n >= 1 ? n : 1;
}

/**
 * Run `work` over `items`, at most one at a time per connection. After a failure no new item
 * starts, and the first error is thrown only once every lane has settled: closing DuckDB while
 * another lane's query still runs hangs the process.
 */
export async function inLanes<T>(
  items: readonly T[],
  lanes: readonly DuckDBConnection[],
  work: (item: T, conn: DuckDBConnection) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failed = false;
  const settled = await Promise.allSettled(
    lanes.slice(0, Math.max(1, Math.min(lanes.length, items.length))).map(async (conn) => {
      while (!failed && next < items.length) {
        const item = items[next++]!;
        try {
          await work(item, conn);
        } catch (e) {
          failed = true;
          throw e;
        }
      }
    }),
  );
  const failure = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) throw failure.reason;
}
