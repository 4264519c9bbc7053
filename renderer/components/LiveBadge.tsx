// Shown while the store is still being collected: rows so far and the writers' current rate.
import type { Manifest } from '../../shared/manifest.ts';
import { formatCount } from '../views/table/format.ts';

export function liveRate(manifest: Manifest): number | null {
  const rates = Object.values(manifest.writers)
    .filter((w) => w.status === 'collecting')
    .map((w) => w.rows_per_second)
    .filter((r): r is number => r !== null);
  return rates.length ? rates.reduce((a, b) => a + b, 0) : null;
}

export function LiveBadge({ manifest }: { manifest: Manifest }) {
  if (manifest.status !== 'collecting') return null;
  const rate = liveRate(manifest);
  return (
    <output className="live-badge" data-testid="live-badge" aria-live="polite">
      <span className="live-dot" aria-hidden="true" />
      Live · {formatCount(manifest.counts.rows)} rows
      {rate !== null ? ` · ${formatCount(Math.round(rate))} rows/s` : ''}
    </output>
  );
}
