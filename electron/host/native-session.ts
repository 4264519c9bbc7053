// One client's queries on one store (a renderer session): a state lane whose connection holds the
// temp tables the client builds (derived pivots, rankings: TEMP objects are per connection), and
// reader lanes for everything that reads only the store, so a slow query (the job header's lookup,
// a pivot build) does not hold the page the user is waiting for. A statement goes to the state lane
// when it creates or drops something or names an object created there.
import type { DuckDBConnection } from '@duckdb/node-api';
import { Lane, QueryCancelled } from './native-lane.ts';
import { bareName } from './native-statement.ts';

export { QueryCancelled };

const CREATES =
  /^\s*CREATE\s+(?:OR\s+REPLACE\s+)?TEMP(?:ORARY)?\s+(?:TABLE|VIEW)\s+("(?:[^"]|"")+"|[A-Za-z_][\w$]*)/i;
const DROPS = /^\s*DROP\s+(?:TABLE|VIEW)\s+(?:IF\s+EXISTS\s+)?("(?:[^"]|"")+"|[A-Za-z_][\w$]*)/i;
const STATEFUL = /^\s*(CREATE|DROP)\s/i;

export class QuerySession {
  private readonly state: Lane;
  private readonly readers: Lane[];
  /** Temp objects created on the state lane (bare names). */
  private readonly created = new Set<string>();
  /** Which lane holds each query id, for cancel. */
  private readonly where = new Map<string, Lane>();
  lastUsed = Date.now();

  constructor(state: DuckDBConnection, readers: readonly DuckDBConnection[], ready: () => Promise<void>) {
    this.state = new Lane(state, ready);
    this.readers = readers.map((c) => new Lane(c, ready));
  }

  get busy(): boolean {
    return this.state.busy || this.readers.some((l) => l.busy);
  }

  async run(id: string, sql: string): Promise<Uint8Array> {
    this.lastUsed = Date.now();
    const lane = this.laneFor(sql);
    this.where.set(id, lane);
    try {
      const ipc = await lane.run(id, sql);
      const made = CREATES.exec(sql)?.[1];
      if (made) this.created.add(bareName(made));
      const dropped = DROPS.exec(sql)?.[1];
      if (dropped) this.created.delete(bareName(dropped));
      return ipc;
    } finally {
      this.where.delete(id);
      this.lastUsed = Date.now();
    }
  }

  cancel(id: string): boolean {
    return this.where.get(id)?.cancel(id) ?? false;
  }

  async close(): Promise<void> {
    await Promise.all([this.state, ...this.readers].map((l) => l.close()));
  }

  private laneFor(sql: string): Lane {
    if (this.readers.length === 0 || STATEFUL.test(sql)) return this.state;
    const lower = sql.toLowerCase();
    for (const name of this.created) if (lower.includes(name)) return this.state;
    return this.readers.reduce((a, b) => (b.load < a.load ? b : a));
  }
}
