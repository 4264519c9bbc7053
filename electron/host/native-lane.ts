// One connection running one statement at a time, in order (native-session.ts gives each client
// a few). A query the client no longer wants is dropped while queued and interrupted while
// running, so the connection is free for the next one at once instead of after the abandoned scan.
import type { DuckDBConnection } from '@duckdb/node-api';
import { CANCELLED_MESSAGE } from '../../shared/query-wire.ts';
import { resultToIpc } from './native-arrow.ts';
import { runAllowed } from './native-statement.ts';

export class QueryCancelled extends Error {
  constructor() {
    super(CANCELLED_MESSAGE);
  }
}

interface Job {
  id: string;
  sql: string;
  cancelled: boolean;
  resolve(ipc: Uint8Array): void;
  reject(e: unknown): void;
}

/** How often a cancelled running query is interrupted again (an interrupt before DuckDB starts it is lost). */
const INTERRUPT_EVERY_MS = 25;

export class Lane {
  private readonly queue: Job[] = [];
  private running: Job | null = null;
  private closed = false;
  lastUsed = Date.now();

  constructor(
    private readonly conn: DuckDBConnection,
    /** Awaited before each query: the store's view is being rebuilt for a new manifest. */
    private readonly ready: () => Promise<void>,
  ) {}

  get busy(): boolean {
    return this.running !== null || this.queue.length > 0;
  }

  /** Queued and running statements. */
  get load(): number {
    return this.queue.length + (this.running ? 1 : 0);
  }

  run(id: string, sql: string): Promise<Uint8Array> {
    this.lastUsed = Date.now();
    if (this.closed) return Promise.reject(new QueryCancelled());
    return new Promise((resolve, reject) => {
      this.queue.push({ id, sql, cancelled: false, resolve, reject });
      void this.pump();
    });
  }

  /** Drop query `id`: false when it is neither queued nor running (finished, or never sent). */
  cancel(id: string): boolean {
    const at = this.queue.findIndex((j) => j.id === id);
    if (at >= 0) {
      const [job] = this.queue.splice(at, 1);
      job?.reject(new QueryCancelled());
      return true;
    }
    const job = this.running;
    if (!job || job.id !== id) return false;
    if (!job.cancelled) {
      job.cancelled = true;
      this.interruptUntilDone(job);
    }
    return true;
  }

  /** Cancel everything and close the connection once the running statement has stopped. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new QueryCancelled());
    const job = this.running;
    if (job) {
      const done = new Promise<void>((r) => {
        const { resolve, reject } = job;
        job.resolve = (v) => {
          resolve(v);
          r();
        };
        job.reject = (e) => {
          reject(e);
          r();
        };
      });
      this.cancel(job.id);
      await done;
    }
    this.conn.closeSync();
  }

  private interruptUntilDone(job: Job): void {
    this.conn.interrupt();
    const timer = setInterval(() => {
      if (this.running === job) this.conn.interrupt();
      else clearInterval(timer);
    }, INTERRUPT_EVERY_MS);
  }

  private async pump(): Promise<void> {
    if (this.running || this.queue.length === 0) return;
    const job = this.queue.shift() as Job;
    this.running = job;
    try {
      await this.ready();
      if (job.cancelled) throw new QueryCancelled();
      const reader = await runAllowed(this.conn, job.sql);
      if (job.cancelled) throw new QueryCancelled();
      job.resolve(resultToIpc(reader));
    } catch (e) {
      job.reject(job.cancelled ? new QueryCancelled() : e);
    } finally {
      this.running = null;
      this.lastUsed = Date.now();
      void this.pump();
    }
  }
}
