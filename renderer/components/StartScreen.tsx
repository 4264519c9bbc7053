// What the window shows with no job open: open a folder (path box, the desktop app's dialog, or a
// drop anywhere on the window) and the jobs opened before, newest first.
import { useCallback, useEffect, useState } from 'react';
import type { ApiClient, RecentJob } from '../../shared/api.ts';
import type { DroppedFile } from '../api/upload.ts';
import { OpenStoreForm } from './OpenStoreForm.tsx';

function when(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? ''
    : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function StartScreen({
  api,
  onOpen,
  onPick,
  onFiles,
  message,
}: {
  api: ApiClient;
  onOpen: (path: string) => Promise<void>;
  onPick?: () => Promise<void>;
  /** The browser host: upload a folder from this computer. */
  onFiles: (files: DroppedFile[]) => Promise<void>;
  message: string | null;
}) {
  const [recent, setRecent] = useState<RecentJob[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    api.recentJobs({}).then(setRecent, () => setRecent([]));
  }, [api]);
  useEffect(load, [load]);
  const open = (path: string) =>
    onOpen(path).catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  return (
    <main className="start-screen">
      <h2>Open a job</h2>
      <p className="muted">
        A loss store, or any job output Losslens can collect: a modelops job view, a provenance store, a
        folder of NDJSON or of parquet files.{' '}
        {window.losslens
          ? 'Choose it, type its path, or drop it on this window.'
          : 'Type its path on this machine, or drop its files on this window.'}
      </p>
      <OpenStoreForm onOpen={onOpen} onPick={onPick} />
      {window.losslens ? null : (
        <label className="upload-pick">
          Or upload a folder from this computer:{' '}
          <input
            type="file"
            aria-label="Upload a folder"
            multiple
            // @ts-expect-error: webkitdirectory is not in React's types, and is what picks a folder
            webkitdirectory=""
            onChange={(e) => {
              const files = [...(e.target.files ?? [])].map((file) => ({
                path: file.webkitRelativePath || file.name,
                file,
              }));
              if (files.length) void onFiles(files);
            }}
          />
        </label>
      )}
      {message || error ? (
        <p className="bad" role="alert">
          {error ?? message}
        </p>
      ) : null}
      <h3>Recent jobs</h3>
      {recent === null ? (
        <p className="muted">…</p>
      ) : recent.length === 0 ? (
        <p className="muted">None yet: the jobs you open are listed here.</p>
      ) : (
        <ul className="recent-jobs" aria-label="Recent jobs">
          {recent.map((r) => (
            <li key={r.path}>
              <button type="button" className="recent-open" onClick={() => void open(r.path)} title={r.path}>
                <span>
                  <strong>{r.name}</strong>
                  {r.jobId && r.jobId !== r.name ? <span className="muted"> · job {r.jobId}</span> : null}
                </span>
                <span className="recent-path">{r.path}</span>
              </button>
              <span className="muted recent-when">{when(r.openedAt)}</span>
              <button
                type="button"
                className="link"
                aria-label={`Forget ${r.name}`}
                onClick={() => void api.forgetRecent({ path: r.path }).then(load)}
              >
                Forget
              </button>
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}
