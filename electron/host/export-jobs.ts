// Exports the window asks for, run one at a time per host with their progress for exportStatus.
// In Electron the file goes where the save dialog said (only a path that dialog returned is
// accepted, so a page cannot write anywhere else); in the browser host it goes to the app-data
// folder's exports/<id>/ and is downloaded from there (the newest few are kept).
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { HTTP_ROUTES } from '../../shared/channels.ts';
import { type ExportJob, exportFileName, type exportRequestSchema } from '../../shared/export-types.ts';
import { sidecarPath } from './export-spec.ts';
import { runExport } from './export-writer.ts';

export type ExportRequest = z.infer<typeof exportRequestSchema>;
const KEEP_DOWNLOADS = 3;

interface Entry {
  job: ExportJob;
  /** Browser host: the written file, for the download route. */
  file: string | null;
  done: Promise<void>;
}

export class ExportJobs {
  private readonly entries = new Map<string, Entry>();
  private readonly allowed = new Set<string>();
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly downloadsDir: string | null) {}

  /** A destination the save dialog returned: the only kind `start` accepts with a destination. */
  allow(destination: string): void {
    this.allowed.add(path.resolve(destination));
  }

  start(req: ExportRequest, store: { path: string; name: string }): ExportJob {
    const id = randomBytes(8).toString('hex');
    let out: string;
    if (req.destination !== undefined) {
      out = path.resolve(req.destination);
      if (!this.allowed.has(out)) throw new Error('choose where to save the export with the Save dialog');
    } else if (this.downloadsDir) {
      out = path.join(this.downloadsDir, id, exportFileName(store.name, req.kind, req.format));
    } else throw new Error('no destination given for the export');
    const job: ExportJob = {
      id,
      state: 'running',
      kind: req.kind,
      format: req.format,
      fraction: null,
      rows: null,
      bytes: null,
      fileName: path.basename(out),
      path: req.destination !== undefined ? out : null,
      download: null,
      sidecarDownload: null,
      error: null,
    };
    const entry: Entry = { job, file: null, done: Promise.resolve() };
    this.entries.set(id, entry);
    // One at a time: each export takes DuckDB threads and memory of its own.
    entry.done = this.queue = this.queue.then(() => this.run(entry, req, store.path, out));
    return { ...job };
  }

  private async run(entry: Entry, req: ExportRequest, store: string, out: string): Promise<void> {
    const { job } = entry;
    try {
      if (!job.path) await fs.mkdir(path.dirname(out), { recursive: true });
      const result = await runExport({ ...req, store, out, best: req.best, combined: req.combined }, (p) => {
        job.fraction = p.fraction;
      });
      Object.assign(job, { state: 'done', fraction: 1, rows: result.rows, bytes: result.bytes });
      if (!job.path) {
        entry.file = result.out;
        const base = `${HTTP_ROUTES.exports}${job.id}/${encodeURIComponent(job.fileName)}`;
        job.download = base;
        job.sidecarDownload = result.sidecar ? `${base}.provenance.json` : null;
        await this.prune();
      }
    } catch (e) {
      Object.assign(job, { state: 'failed', error: e instanceof Error ? e.message : String(e) });
      if (!job.path) await fs.rm(path.dirname(out), { recursive: true, force: true });
    }
  }

  status(id: string): ExportJob | null {
    const e = this.entries.get(id);
    return e ? { ...e.job } : null;
  }

  /** Wait for an export to finish (tests, and the CLI-like callers). */
  async settled(id: string): Promise<ExportJob | null> {
    await this.entries.get(id)?.done;
    return this.status(id);
  }

  /** The file behind a download URL: the export itself or its sidecar, else null. */
  file(id: string, name: string): string | null {
    const e = this.entries.get(id);
    if (!e?.file || e.job.state !== 'done') return null;
    if (name === e.job.fileName) return e.file;
    if (e.job.sidecarDownload && name === `${e.job.fileName}.provenance.json`) return sidecarPath(e.file);
    return null;
  }

  private async prune(): Promise<void> {
    const done = [...this.entries.values()].filter((e) => e.file);
    for (const e of done.slice(0, Math.max(0, done.length - KEEP_DOWNLOADS))) {
      const file = e.file as string;
      e.file = null;
      e.job.download = null;
      e.job.sidecarDownload = null;
      await fs.rm(path.dirname(file), { recursive: true, force: true });
    }
  }
}
