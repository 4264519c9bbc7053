// Files dropped on the browser host's page, which the host cannot see by path: each is streamed
// to disk (never held in memory) under a new folder in the app-data folder, with a size cap per
// upload and only the file types the collector reads; the folder is then opened like any other.
import { randomBytes } from 'node:crypto';
import { createWriteStream, promises as fs } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fsyncFile } from '../store/atomic.ts';

export const UPLOAD_EXTENSIONS = ['.parquet', '.ndjson', '.jsonl', '.json'];
const DEFAULT_MAX = 16 * 1024 ** 3;

export class UploadError extends Error {}

export class Uploads {
  private readonly used = new Map<string, number>();
  private readonly folders = new Map<string, string>();
  readonly maxBytes: number;

  constructor(
    private readonly dataDir: string,
    maxBytes = Number(process.env.LOSSLENS_UPLOAD_MAX_BYTES) || DEFAULT_MAX,
  ) {
    this.maxBytes = maxBytes;
  }

  async begin(): Promise<{ uploadId: string; folder: string }> {
    const uploadId = randomBytes(8).toString('hex');
    const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
    const folder = path.join(this.dataDir, 'uploads', `drop-${stamp}-${uploadId}`);
    await fs.mkdir(folder, { recursive: true });
    this.used.set(uploadId, 0);
    this.folders.set(uploadId, folder);
    return { uploadId, folder };
  }

  /** Write one file of an upload; `segments` is its path inside the dropped folder. */
  async write(uploadId: string, rawSegments: readonly string[], body: Readable): Promise<number> {
    const used = this.used.get(uploadId);
    if (used === undefined) throw new UploadError(`no upload ${uploadId}: start one with beginUpload`);
    const segments = rawSegments.map((s) => decodeURIComponent(s));
    if (
      segments.length === 0 ||
      segments.some((s) => s === '' || s === '.' || s === '..' || /[\\/\0]/.test(s))
    ) {
      throw new UploadError(`bad file path ${segments.join('/')}`);
    }
    const name = segments.at(-1) ?? '';
    if (!UPLOAD_EXTENSIONS.includes(path.extname(name).toLowerCase())) {
      throw new UploadError(
        `${segments.join('/')}: only ${UPLOAD_EXTENSIONS.join(', ')} files can be uploaded`,
      );
    }
    const folder = this.folders.get(uploadId) ?? '';
    const target = path.join(folder, ...segments);
    await fs.mkdir(path.dirname(target), { recursive: true });
    const temp = `${target}.part-${randomBytes(4).toString('hex')}`;
    let bytes = 0;
    const cap = this.maxBytes;
    try {
      await pipeline(
        body,
        async function* (source: AsyncIterable<Buffer>) {
          for await (const chunk of source) {
            bytes += chunk.length;
            if (used + bytes > cap)
              throw new UploadError(`the upload is over its ${cap.toLocaleString('en-US')}-byte cap`);
            yield chunk;
          }
        },
        createWriteStream(temp, { flags: 'wx' }),
      );
      await fsyncFile(temp);
      await fs.rename(temp, target);
    } catch (e) {
      await fs.rm(temp, { force: true });
      throw e;
    }
    this.used.set(uploadId, used + bytes);
    return bytes;
  }
}
