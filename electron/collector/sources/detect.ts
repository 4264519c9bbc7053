// Which source reads SRC, from its contents (never its extension alone): a job view has
// manifest.json + targets/, a provenance store has token/v1/aggs, parquet files start with PAR1,
// NDJSON lines start with `{`.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { CollectError } from '../errors.ts';
import type { SourceKind } from './types.ts';

async function isDir(p: string): Promise<boolean> {
  return fs.stat(p).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

async function head(file: string, n = 64): Promise<Buffer> {
  const h = await fs.open(file, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await h.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await h.close();
  }
}

/** A spool folder (losslens_dask): marked by `_SPOOL` or `_DONE`; with --follow, any folder. */
async function isSpool(src: string, dir: boolean, follow: boolean): Promise<boolean> {
  if (!dir) {
    if (follow)
      throw new CollectError(src, null, '--follow tails a spool folder, not a file', 'Give the folder');
    return false;
  }
  if (follow) return true;
  for (const marker of ['_SPOOL', '_DONE']) {
    if (
      await fs.stat(path.join(src, marker)).then(
        () => true,
        () => false,
      )
    )
      return true;
  }
  return false;
}

export async function fileKind(file: string): Promise<'parquet' | 'ndjson' | null> {
  const b = await head(file);
  if (b.subarray(0, 4).toString('latin1') === 'PAR1') return 'parquet';
  const text = b.toString('utf8').trimStart();
  if (text.startsWith('{')) return 'ndjson';
  // An empty file is an empty stream (a job that has not written anything yet).
  if (text === '' && /\.(nd)?jsonl?$/.test(file)) return 'ndjson';
  return null;
}

/** Every regular file under dir, sorted, relative paths (hidden files and dirs skipped). */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && !e.name.startsWith('.'))
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .filter((rel) => !rel.split(path.sep).some((part) => part.startsWith('.')))
    .sort();
}

export async function detectSource(src: string, follow = false): Promise<SourceKind> {
  if (src === '-') {
    if (follow)
      throw new CollectError(src, null, '--follow tails a spool folder, not stdin', 'Drop --follow');
    return 'ndjson';
  }
  const stat = await fs.stat(src).catch(() => null);
  if (!stat) throw new CollectError(src, null, 'does not exist', 'Check the path');
  if (await isSpool(src, stat.isDirectory(), follow)) return 'spool';
  if (stat.isFile()) {
    const kind = await fileKind(src);
    if (kind) return kind;
  } else {
    const has = (p: string) =>
      fs.stat(path.join(src, p)).then(
        () => true,
        () => false,
      );
    if ((await has('manifest.json')) && (await isDir(path.join(src, 'targets')))) return 'views';
    if (await isDir(path.join(src, 'token', 'v1', 'aggs'))) return 'provenance';
    const counts = { parquet: 0, ndjson: 0 };
    for (const rel of (await listFiles(src)).slice(0, 2000)) {
      const kind = await fileKind(path.join(src, rel));
      if (kind) counts[kind]++;
    }
    if (counts.parquet > 0 && counts.parquet >= counts.ndjson) return 'parquet';
    if (counts.ndjson > 0) return 'ndjson';
  }
  throw new CollectError(
    src,
    null,
    'unknown layout: not a job view (manifest.json + targets/), a provenance store (token/v1/aggs), NDJSON or parquet',
    'Point at the downloaded job directory, a token/ root, an .ndjson file/dir, or a directory of parquet files',
  );
}
