// Collections the app runs for opened folders: a progress bar per running one (rows, rows/s, ETA
// where the source knows its size) with Cancel, and the collector's own message when one fails.
import type { CollectJob } from '../../shared/collect-job.ts';
import type { UploadProgress } from '../api/upload.ts';
import { formatCount } from '../views/table/format.ts';

function eta(seconds: number | null): string {
  if (seconds === null) return '';
  if (seconds < 60) return ` · about ${Math.max(1, Math.round(seconds))} s left`;
  return ` · about ${Math.round(seconds / 60)} min left`;
}

function JobLine({ job, onCancel }: { job: CollectJob; onCancel: (id: string) => void }) {
  const name = job.source.split(/[\\/]/).filter(Boolean).at(-1) ?? job.source;
  const share = job.total ? Math.min(1, job.rows / job.total) : null;
  if (job.state === 'failed') {
    return (
      <div className="collect-job failed" role="alert">
        <strong>Collecting {name} failed.</strong> <span className="collect-message">{job.message}</span>
      </div>
    );
  }
  return (
    <div className="collect-job">
      <span className="collect-name" title={job.source}>
        Collecting <strong>{name}</strong>
      </span>
      <progress
        aria-label={`Collecting ${name}`}
        max={share === null ? undefined : 1}
        value={share === null ? undefined : share}
      />
      <span className="collect-figures">
        {job.rows === 0 && job.shards === 0 ? 'reading the job… · ' : ''}
        {formatCount(job.rows)}
        {job.total ? ` of ${formatCount(job.total)}` : ''} rows · {formatCount(Math.round(job.rowsPerSecond))}{' '}
        rows/s
        {eta(job.etaSeconds)}
      </span>
      <button type="button" onClick={() => onCancel(job.id)}>
        Cancel
      </button>
    </div>
  );
}

function UploadLine({ p }: { p: UploadProgress }) {
  const mb = (n: number) => `${(n / 1e6).toLocaleString('en-US', { maximumFractionDigits: 1 })} MB`;
  return (
    <div className="collect-job">
      <span className="collect-name">Uploading the dropped files</span>
      <progress aria-label="Uploading" max={1} value={p.ofBytes ? p.bytes / p.ofBytes : 0} />
      <span className="collect-figures">
        {p.files} of {p.of} files · {mb(p.bytes)} of {mb(p.ofBytes)}
      </span>
    </div>
  );
}

export function CollectProgress({
  jobs,
  uploading,
  onCancel,
}: {
  jobs: readonly CollectJob[];
  uploading: UploadProgress | null;
  onCancel: (id: string) => void;
}) {
  // A failed job stays until the same folder is collected again; finished ones need no line.
  const shown = jobs.filter(
    (j, i) =>
      j.state === 'running' || (j.state === 'failed' && !jobs.slice(0, i).some((k) => k.source === j.source)),
  );
  if (shown.length === 0 && !uploading) return null;
  return (
    <section className="collect-progress" aria-label="Collections">
      {uploading ? <UploadLine p={uploading} /> : null}
      {shown.map((j) => (
        <JobLine key={j.id} job={j} onCancel={onCancel} />
      ))}
    </section>
  );
}
