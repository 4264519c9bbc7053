// Opening a file the hosts read for a request: only a regular file, checked on the open handle.
// O_NONBLOCK makes opening a FIFO return at once instead of holding one of libuv's few file-system
// threads until a writer appears; fstat on the handle (not stat on the path) means a file swapped
// after the check cannot slip through.
import { constants, promises as fs, type Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';

export class SpecialFileError extends Error {}

function kind(stat: Stats): string {
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  if (stat.isDirectory()) return 'a directory';
  return 'not a regular file';
}

/** Open `file` for reading; throws SpecialFileError (naming the file) unless it is a regular file. */
export async function openRegularFile(file: string): Promise<{ handle: FileHandle; stat: Stats }> {
  // O_NONBLOCK is POSIX; Windows has no FIFOs to block on and no such flag.
  const handle = await fs.open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new SpecialFileError(`${file} is ${kind(stat)}, not a regular file`);
    return { handle, stat };
  } catch (e) {
    await handle.close();
    throw e;
  }
}

/** Read a whole regular file of at most `maxBytes`, refusing special files and larger ones. */
export async function readSmallFile(file: string, maxBytes: number): Promise<string> {
  const { handle, stat } = await openRegularFile(file);
  try {
    if (stat.size > maxBytes) {
      throw new SpecialFileError(
        `${file} is ${stat.size} bytes; the limit is ${maxBytes} (is it really a Losslens store.json?)`,
      );
    }
    // Read one byte past the cap so a file that grew after fstat is caught, not truncated.
    const buf = Buffer.alloc(Math.min(stat.size, maxBytes) + 1);
    let total = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buf, total, buf.length - total, total);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > maxBytes) throw new SpecialFileError(`${file} grew past ${maxBytes} bytes while read`);
      if (total === buf.length) break;
    }
    return buf.subarray(0, total).toString('utf8');
  } finally {
    await handle.close();
  }
}
