// Runs one export through the Api: in Electron, ask where to save first (the host writes only
// there); start it on the host; follow its progress; in the browser host, hand the finished file
// to the browser as a download. Outside React so the dialog stays a view.
import type { ApiClient, ApiRequest } from '../../shared/api.ts';
import { type ExportJob, exportFileName } from '../../shared/export-types.ts';

export type ExportAsk = Omit<ApiRequest<'exportRows'>, 'destination'>;

const POLL_MS = 250;

/** Let the browser save a host URL (same origin: the token cookie goes with it). */
export function download(url: string, name: string): void {
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
}

/**
 * Returns the finished job (null when the user cancelled the Save dialog); `onJob` sees each
 * progress step. A failed export resolves with state 'failed' and the host's message.
 */
export async function exportFromView(
  api: ApiClient,
  ask: ExportAsk,
  storeName: string,
  onJob: (job: ExportJob) => void,
): Promise<ExportJob | null> {
  let destination: string | undefined;
  if (window.losslens) {
    const picked = await api.pickExportPath({
      suggestedName: exportFileName(storeName, ask.kind, ask.format),
    });
    if (!picked.path) return null;
    destination = picked.path;
  }
  let job = await api.exportRows({ ...ask, destination });
  onJob(job);
  while (job.state === 'running') {
    await new Promise((r) => setTimeout(r, POLL_MS));
    job = await api.exportStatus({ exportId: job.id });
    onJob(job);
  }
  if (job.state === 'done' && job.download) download(job.download, job.fileName);
  return job;
}
