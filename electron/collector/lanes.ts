// Writer lanes: shards written concurrently, one DuckDB connection each. One sorted COPY of a
// chunk scans its row group on one thread, so a single lane leaves the second core mostly idle.
// Measured on 2 cores, one 3.3M-row file of the 10M-row bench job: 1 lane × 2 DuckDB threads
// 4.5-4.9 s; 2 lanes × 2 threads 3.6 s; 2 lanes × 1 thread 2.8-3.0 s (threads fight less), at
// about the same peak RSS. So by default: as many lanes as cores (up to 2), one thread each.
import os from 'node:os';
import type { DuckDBConnection } from '@duckdb/node-api';

/** LOSSLENS_COLLECT_LANES, else min(2, cores). */
export function writerLanes(): number {
  const n = Number(process.env.LOSSLENS_COLLECT_LANES ?? Math.min(2, os.availableParallelism()));
  return Number.isInteger(n) && n >= 1 ? n : 1;
}

/**
 * Run `fn` with DuckDB's worker threads set to `threads` (a global setting of the instance), and
 * put the previous value back after, also on failure.
 */
export async function withThreads<T>(
  conn: DuckDBConnection,
  threads: number,
  fn: () => Promise<T>,
): Promise<T> {
  const read = await conn.runAndReadAll(`SELECT current_setting('threads')::INTEGER AS n`);
  const before = Number(read.getRowObjectsJS()[0]?.n ?? threads);
  if (before === threads) return fn();
  await conn.run(`SET threads = ${Math.max(1, Math.floor(threads))}`);
  try {
    return await fn();
  } finally {
    await conn.run(`SET threads = ${before}`);
  }
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
  const used = lanes.slice(0, Math.max(1, Math.min(lanes.length, items.length)));
  const run = () =>
    Promise.allSettled(
      used.map(async (conn) => {
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
  // With several lanes each takes one core: more threads per query only make them contend.
  const settled = used.length > 1 ? await withThreads(used[0]!, 1, run) : await run();
  const failure = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) throw failure.reason;
}
