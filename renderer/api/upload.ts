// Dropped files in the browser host, which cannot see the user's paths: the files (a dropped
// folder walked recursively) are streamed to the host one by one, then the folder is opened as
// any other. Only the file types the collector reads are sent; the rest are counted and named.
import { type ApiClient, HTTP_ROUTES } from '../../shared/api.ts';

export interface DroppedFile {
  /** Path inside what was dropped, `/`-separated (`job/targets/t/data.parquet`). */
  path: string;
  file: File;
}

export interface UploadProgress {
  files: number;
  of: number;
  bytes: number;
  ofBytes: number;
}

/** Uploads `files` and returns the folder to open on the host, with what was left out. */
export async function uploadDropped(
  api: ApiClient,
  files: readonly DroppedFile[],
  onProgress: (p: UploadProgress) => void,
): Promise<{ folder: string; skipped: string[] }> {
  const { uploadId, folder, maxBytes, extensions } = await api.beginUpload({});
  const ok = (p: string) => extensions.some((e) => p.toLowerCase().endsWith(e));
  const sent = files.filter((f) => ok(f.path));
  const skipped = files.filter((f) => !ok(f.path)).map((f) => f.path);
  if (sent.length === 0) {
    throw new Error(`Nothing to open: Losslens reads ${extensions.join(', ')} files, and none were dropped.`);
  }
  const ofBytes = sent.reduce((n, f) => n + f.file.size, 0);
  if (ofBytes > maxBytes) {
    throw new Error(
      `The dropped files are ${ofBytes.toLocaleString()} bytes, over the host's ${maxBytes.toLocaleString()}-byte upload cap.`,
    );
  }
  let bytes = 0;
  for (const [i, f] of sent.entries()) {
    onProgress({ files: i, of: sent.length, bytes, ofBytes });
    const route = `${HTTP_ROUTES.upload}${uploadId}/${f.path.split('/').map(encodeURIComponent).join('/')}`;
    const res = await fetch(route, { method: 'PUT', body: f.file, credentials: 'same-origin' });
    if (!res.ok) {
      const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
      throw new Error(`Uploading ${f.path} failed: ${body?.error?.message ?? `HTTP ${res.status}`}`);
    }
    bytes += f.file.size;
  }
  onProgress({ files: sent.length, of: sent.length, bytes, ofBytes });
  // One dropped folder: open it, not the upload folder around it (a job view's manifest.json is at its top).
  const tops = new Set(sent.map((f) => f.path.split('/')[0]));
  const [top] = tops;
  const single = tops.size === 1 && top !== undefined && sent.every((f) => f.path.includes('/'));
  return { folder: single ? `${folder}/${top}` : folder, skipped };
}

/** Every file in a drop, folders walked (DataTransfer entries), with its path inside the drop. */
export async function droppedFiles(data: DataTransfer): Promise<DroppedFile[]> {
  const out: DroppedFile[] = [];
  const entries = [...data.items]
    .map((item) => item.webkitGetAsEntry?.() ?? null)
    .filter((e): e is FileSystemEntry => e !== null);
  if (entries.length === 0) {
    for (const file of data.files) out.push({ path: file.webkitRelativePath || file.name, file });
    return out;
  }
  const walk = async (entry: FileSystemEntry, prefix: string): Promise<void> => {
    const p = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isFile) {
      const file = await new Promise<File>((res, rej) => (entry as FileSystemFileEntry).file(res, rej));
      out.push({ path: p, file });
      return;
    }
    const reader = (entry as FileSystemDirectoryEntry).createReader();
    for (;;) {
      const batch = await new Promise<FileSystemEntry[]>((res, rej) => reader.readEntries(res, rej));
      if (batch.length === 0) break;
      for (const e of batch) await walk(e, p);
    }
  };
  for (const e of entries) await walk(e, '');
  return out;
}
