// An export's progress while the host writes it, its failure in the host's words, or where the
// file went (with links to download it again and its provenance sidecar in the browser host).
import type { ExportJob } from '../../shared/export-types.ts';

export function ExportStatus({ job }: { job: ExportJob | null }) {
  if (!job) return null;
  if (job.state === 'running')
    return (
      <p className="export-status">
        <progress aria-label="Export progress" max={1} value={job.fraction ?? undefined} /> writing{' '}
        {job.fileName}…
      </p>
    );
  if (job.state === 'failed')
    return (
      <p role="alert" className="bad">
        Export failed: {job.error}
      </p>
    );
  return (
    <p className="export-status" role="status">
      Exported {job.rows?.toLocaleString()} rows to {job.path ?? job.fileName}.
      {job.download ? (
        <>
          {' '}
          <a href={job.download} download={job.fileName}>
            Download again
          </a>
        </>
      ) : null}
      {job.sidecarDownload ? (
        <>
          {' · '}
          <a href={job.sidecarDownload} download={`${job.fileName}.provenance.json`}>
            Provenance (.json)
          </a>
        </>
      ) : null}
    </p>
  );
}
