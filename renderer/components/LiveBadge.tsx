// Shown while the store is still being collected: rows so far and the writers' current rate; and
// for a store whose collection stopped (interrupted or failed), why, so partial data is not taken
// for the whole job.
// A writer that stopped committing (killed, hung, or a slow stream) is called out instead of
// showing its last rate forever: a killed collector leaves `collecting` in store.json.
import { useEffect, useState } from 'react';
import { type Manifest, partitionProgress } from '../../shared/manifest.ts';
import { formatCount } from '../views/table/format.ts';

/** No commit for this long and the badge says the collector went quiet. */
export const QUIET_AFTER_MS = 60_000;

export function liveRate(manifest: Manifest): number | null {
  const rates = Object.values(manifest.writers)
    .filter((w) => w.status === 'collecting')
    .map((w) => w.rows_per_second)
    .filter((r): r is number => r !== null);
  return rates.length ? rates.reduce((a, b) => a + b, 0) : null;
}

/** Milliseconds since the most recent commit by a writer still collecting. */
export function quietFor(manifest: Manifest, now: number): number {
  const times = Object.values(manifest.writers)
    .filter((w) => w.status === 'collecting')
    .map((w) => Date.parse(w.updated_at))
    .filter((t) => Number.isFinite(t));
  return times.length ? now - Math.max(...times) : 0;
}

function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(id);
  }, [intervalMs]);
  return now;
}

/** Why the store is incomplete: the first failed writer's error (e.g. interrupted by SIGINT). */
export function failureReason(manifest: Manifest): string | null {
  return Object.values(manifest.writers).find((w) => w.status === 'failed')?.error ?? null;
}

export function LiveBadge({ manifest }: { manifest: Manifest }) {
  const now = useNow(5_000);
  if (manifest.status === 'failed') {
    const why = failureReason(manifest);
    const short = why && why.length > 90 ? `${why.slice(0, 89)}…` : why;
    return (
      <output
        className="live-badge quiet"
        data-testid="live-badge"
        aria-live="polite"
        title={`${why ?? 'The collector failed.'} Re-run the same collect command to resume.`}
      >
        Incomplete · {formatCount(manifest.counts.rows)} rows · {short ?? 'the collector failed'}
      </output>
    );
  }
  if (manifest.status !== 'collecting') return null;
  // Every writer finished but a partition never ran: not live, and not the whole job.
  const parts = partitionProgress(manifest);
  const anyRunning = Object.values(manifest.writers).some((w) => w.status === 'collecting');
  if (parts && parts.missing.length > 0 && !anyRunning) {
    const missing = parts.missing.map((k) => `${k}/${parts.count}`).join(', ');
    return (
      <output
        className="live-badge quiet"
        data-testid="live-badge"
        aria-live="polite"
        title={`Collect the missing partitions (--partition ${missing}) into the same store to complete it.`}
      >
        Incomplete · {formatCount(manifest.counts.rows)} rows · partitions: {parts.done.length} of{' '}
        {parts.count} done (missing: {missing})
      </output>
    );
  }
  const quiet = quietFor(manifest, now);
  if (quiet >= QUIET_AFTER_MS) {
    return (
      <output
        className="live-badge quiet"
        data-testid="live-badge"
        aria-live="polite"
        title="The collector may have stopped; re-run the same collect command to resume."
      >
        Stalled · {formatCount(manifest.counts.rows)} rows · no new shards for {Math.round(quiet / 60_000)}{' '}
        min
      </output>
    );
  }
  const rate = liveRate(manifest);
  return (
    <output className="live-badge" data-testid="live-badge" aria-live="polite">
      <span className="live-dot" aria-hidden="true" />
      Live · {formatCount(manifest.counts.rows)} rows
      {rate !== null ? ` · ${formatCount(Math.round(rate))} rows/s` : ''}
    </output>
  );
}
