// The table's row cache: fixed-size pages fetched from DuckDB on demand. Only pages near the
// visible range are requested, one query at a time (the DuckDB worker runs queries serially
// anyway; two pages both on screen, as after Ctrl+End a short last page and the one before it, are
// one query, not two round trips), and
// the queue is replaced on every scroll, so a fast fling skips the pages it flew past. A response
// for an older filter/sort is dropped, and the fetch is aborted as soon as its page is not wanted
// any more (new filter/sort, scrolled away), so the host engine stops that query. After a live
// data change old pages stay on screen until their refreshed copies arrive, so nothing blanks or
// jumps.

export type Row = Record<string, unknown>;
export type PageFetcher = (offset: number, limit: number, signal?: AbortSignal) => Promise<Row[]>;

interface Page {
  rows: Row[];
  version: number;
}

export class RowWindows {
  private readonly pages = new Map<number, Page>();
  private fetcher: PageFetcher | null = null;
  private generation = 0;
  private version = 0;
  private wanted: number[] = [];
  /** Pages with a row on screen (the last request's visible rows, no margin). */
  private visible = { lo: 0, hi: -1 };
  private busy = false;
  /** The fetch in flight: its pages and how to abort it. */
  private inflight: { pages: number[]; abort: AbortController } | null = null;
  /** Total page fetches, for tests and the benchmark. */
  fetches = 0;

  constructor(
    private readonly onUpdate: () => void,
    readonly pageSize = 100,
    private readonly maxPages = 16,
    private readonly onError: (e: unknown) => void = () => {},
  ) {}

  /** New filter or sort: every cached row is wrong now. */
  reset(fetcher: PageFetcher): void {
    this.fetcher = fetcher;
    this.generation++;
    this.pages.clear();
    this.wanted = [];
    this.inflight?.abort.abort();
  }

  /** Same filter and sort, new data (shards landed): refresh lazily, keep showing old rows meanwhile. */
  invalidate(): void {
    this.version++;
    this.pump();
  }

  rowAt(index: number): Row | undefined {
    const page = this.pages.get(Math.floor(index / this.pageSize));
    return page?.rows[index % this.pageSize];
  }

  /** Rows `[first, last]` are visible; fetch them plus `margin` rows either side. */
  request(first: number, last: number, total: number, margin = 100): void {
    if (total <= 0) return;
    const lo = Math.max(0, Math.floor((first - margin) / this.pageSize));
    const hi = Math.min(Math.floor((total - 1) / this.pageSize), Math.floor((last + margin) / this.pageSize));
    const center = (first + last) / 2 / this.pageSize;
    this.visible = {
      lo: Math.floor(first / this.pageSize),
      hi: Math.floor(Math.min(last, total - 1) / this.pageSize),
    };
    const pages: number[] = [];
    for (let p = lo; p <= hi; p++) pages.push(p);
    // Visible pages first, then the margins outward.
    this.wanted = pages.sort((a, b) => Math.abs(a + 0.5 - center) - Math.abs(b + 0.5 - center));
    if (this.inflight && !this.inflight.pages.some((p) => this.wanted.includes(p)))
      this.inflight.abort.abort();
    this.pump();
  }

  private isFresh(p: number): boolean {
    return this.pages.get(p)?.version === this.version;
  }

  private pump(): void {
    if (this.busy || !this.fetcher) return;
    const next = this.wanted.find((p) => !this.isFresh(p));
    if (next === undefined) return;
    const onScreen = (p: number) => p >= this.visible.lo && p <= this.visible.hi;
    const mate = onScreen(next)
      ? [next + 1, next - 1].find((p) => onScreen(p) && this.wanted.includes(p) && !this.isFresh(p))
      : undefined;
    const pages = mate === undefined ? [next] : [Math.min(next, mate), Math.max(next, mate)];
    this.busy = true;
    const gen = this.generation;
    const version = this.version;
    this.fetches++;
    const abort = new AbortController();
    this.inflight = { pages, abort };
    this.fetcher(pages[0]! * this.pageSize, pages.length * this.pageSize, abort.signal)
      .then((rows) => {
        if (gen !== this.generation || abort.signal.aborted) return; // stale: dropped while in flight
        pages.forEach((page, i) => {
          this.pages.delete(page);
          this.pages.set(page, { rows: rows.slice(i * this.pageSize, (i + 1) * this.pageSize), version });
        });
        this.evict();
        this.onUpdate();
      })
      .catch((e) => {
        if (gen === this.generation && !abort.signal.aborted) {
          this.wanted = this.wanted.filter((p) => !pages.includes(p));
          this.onError(e);
        }
      })
      .finally(() => {
        this.inflight = null;
        this.busy = false;
        this.pump();
      });
  }

  /** Keep the most recently filled pages, never one that is wanted now. */
  private evict(): void {
    for (const key of this.pages.keys()) {
      if (this.pages.size <= this.maxPages) break;
      if (!this.wanted.includes(key)) this.pages.delete(key);
    }
  }
}
