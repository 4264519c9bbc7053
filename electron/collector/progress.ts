// Progress events of a collection and the three ways the CLI shows them: a bar on a terminal,
// plain lines otherwise (logs, CI), or nothing. The app receives the same events from a child
// process, so they are plain JSON-able objects.
export interface ProgressEvent {
  phase: 'start' | 'shard' | 'note' | 'done';
  source: string;
  rows: number;
  /** Rows expected from this run, when the source knows (parquet metadata); null for streams. */
  total: number | null;
  shards: number;
  rowsPerSecond: number;
  etaSeconds: number | null;
  message?: string;
}

/** `json`: one `{"progress": event}` line per event on stderr, for the app's child process. */
export type ProgressMode = 'auto' | 'plain' | 'json' | 'none';
export type OnProgress = (event: ProgressEvent) => void;

function fmt(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n >= 1e4 ? `${(n / 1e3).toFixed(1)}k` : String(n);
}

function line(e: ProgressEvent): string {
  const total = e.total === null ? '' : ` / ${fmt(e.total)}`;
  const eta = e.etaSeconds === null ? '' : `, ETA ${Math.ceil(e.etaSeconds)} s`;
  return `${fmt(e.rows)}${total} rows, ${e.shards} shards, ${fmt(Math.round(e.rowsPerSecond))} rows/s${eta}`;
}

export function progressPrinter(mode: ProgressMode, out: NodeJS.WriteStream = process.stderr): OnProgress {
  if (mode === 'none') return () => {};
  if (mode === 'json') return (e) => out.write(`${JSON.stringify({ progress: e })}\n`);
  const tty = mode === 'auto' && out.isTTY === true;
  if (!tty) {
    return (e) => {
      if (e.phase !== 'start')
        out.write(`collect ${e.source}: ${line(e)}${e.message ? ` — ${e.message}` : ''}\n`);
    };
  }
  return (e) => {
    const width = 24;
    const share = e.total ? Math.min(1, e.rows / e.total) : 0;
    const bar = e.total ? `[${'#'.repeat(Math.round(share * width)).padEnd(width, '.')}] ` : '';
    // A message gets a line of its own above the bar, which is redrawn in place.
    if (e.message) out.write(`\r\x1b[2K${e.message}\n`);
    out.write(`\r\x1b[2K${bar}${line(e)}`);
    if (e.phase === 'done') out.write('\n');
  };
}

/** Tracks rows and shards for one run and turns them into events. */
export class ProgressTracker {
  private rows = 0;
  private shards = 0;
  private readonly started = Date.now();

  constructor(
    private readonly onProgress: OnProgress,
    readonly source: string,
    private total: number | null = null,
  ) {}

  setTotal(total: number | null): void {
    this.total = total;
    this.emit('start');
  }

  shard(rows: number, message?: string): void {
    this.rows += rows;
    this.shards += 1;
    this.emit('shard', message);
  }

  /** Something the user should know that is not an error (e.g. a memory limit raised). */
  note(message: string): void {
    this.emit('note', message);
  }

  done(message?: string): void {
    this.emit('done', message);
  }

  get rowCount(): number {
    return this.rows;
  }

  private emit(phase: ProgressEvent['phase'], message?: string): void {
    const secs = Math.max(0.001, (Date.now() - this.started) / 1000);
    const rate = this.rows / secs;
    const eta = this.total !== null && rate > 0 ? Math.max(0, (this.total - this.rows) / rate) : null;
    this.onProgress({
      phase,
      source: this.source,
      rows: this.rows,
      total: this.total,
      shards: this.shards,
      rowsPerSecond: rate,
      etaSeconds: eta,
      ...(message ? { message } : {}),
    });
  }
}
