// The files of a spool folder and their complete lines. A spool file is append-only and written
// by one process a whole line at a time, so everything before its last newline is final; bytes
// after it are a record still being written (or torn by a killed worker).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { listFiles } from './detect.ts';
import type { Line } from './line-stream.ts';

export const SPOOL_MARKER = '_SPOOL';
export const DONE_MARKER = '_DONE';
const CHUNK_BYTES = 4 * 1024 * 1024;

/** Spool files (`*.ndjson`, `*.jsonl`), sorted; markers (`_*`) and hidden temp files skipped. */
export async function listSpoolFiles(dir: string): Promise<string[]> {
  const all = await listFiles(dir).catch(() => [] as string[]);
  return all.filter((rel) => /\.(nd)?jsonl?$/.test(rel) && !path.basename(rel).startsWith('_'));
}

export async function fileSize(file: string): Promise<number | null> {
  return fs.stat(file).then(
    (s) => s.size,
    () => null,
  );
}

/**
 * Complete lines of `file` in [from, to), in groups of at most ~4 MiB, each with the offset just
 * past its newline. A line longer than a chunk is read whole.
 */
export async function* completeLines(file: string, from: number, to: number): AsyncGenerator<Line[]> {
  const h = await fs.open(file, 'r');
  try {
    let at = from;
    let size = CHUNK_BYTES;
    while (at < to) {
      const want = Math.min(size, to - at);
      const buf = Buffer.alloc(want);
      const { bytesRead } = await h.read(buf, 0, want, at);
      if (bytesRead === 0) return;
      const last = buf.lastIndexOf(10, bytesRead - 1);
      if (last === -1) {
        // No newline in this chunk: either the torn tail, or a line longer than the chunk.
        if (at + bytesRead >= to) return;
        size *= 2;
        continue;
      }
      const lines: Line[] = [];
      let start = 0;
      for (let nl = buf.indexOf(10, 0); nl !== -1 && nl <= last; nl = buf.indexOf(10, start)) {
        lines.push({ text: buf.toString('utf8', start, nl), end: at + nl + 1 });
        start = nl + 1;
      }
      at += last + 1;
      size = CHUNK_BYTES;
      yield lines;
    }
  } finally {
    await h.close();
  }
}

/** The bytes of [from, to) as text: a file's unterminated tail, read once the job is done. */
export async function readTail(file: string, from: number, to: number): Promise<string> {
  const h = await fs.open(file, 'r');
  try {
    const buf = Buffer.alloc(to - from);
    const { bytesRead } = await h.read(buf, 0, buf.length, from);
    return buf.toString('utf8', 0, bytesRead);
  } finally {
    await h.close();
  }
}

/** The job id the runner wrote into `_SPOOL`, if any. */
export async function markerJobId(dir: string): Promise<string | null> {
  try {
    const m = JSON.parse(await fs.readFile(path.join(dir, SPOOL_MARKER), 'utf8')) as { job_id?: unknown };
    return typeof m.job_id === 'string' && m.job_id ? m.job_id : null;
  } catch {
    return null;
  }
}

export async function hasDone(dir: string): Promise<boolean> {
  return fs.stat(path.join(dir, DONE_MARKER)).then(
    () => true,
    () => false,
  );
}
