// Once the job is done, bytes after a spool file's last newline are either a last record written
// without a newline (kept) or a line torn by a worker killed mid-write (its task was re-run, so
// the record is elsewhere). Torn tails are committed as covered input with a warning, once.
import path from 'node:path';
import type { StoreWarning } from '../../../shared/manifest.ts';
import type { StoreWriter } from '../store-writer.ts';
import { type Cursor, type SpoolBatch, spoolPrefix } from './spool-cursor.ts';
import { fileSize, readTail } from './spool-files.ts';

export function tornWarning(count: number, examples: string[]): StoreWarning {
  return {
    code: 'spool_torn_lines',
    message:
      'incomplete last lines of spool files (a worker stopped mid-write; Dask re-ran its task) were not collected',
    count,
    examples: examples.slice(0, 5),
  };
}

function isRecord(text: string): boolean {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v);
  } catch {
    return false;
  }
}

/** Moves complete unterminated tails into `batch`; returns the torn ones' keys and examples. */
export async function takeTails(
  dir: string,
  cursors: ReadonlyMap<string, Cursor>,
  batch: SpoolBatch,
): Promise<{ keys: string[]; examples: string[] }> {
  const keys: string[] = [];
  const examples: string[] = [];
  for (const [rel, cursor] of cursors) {
    const file = path.join(dir, rel);
    const size = await fileSize(file);
    if (size === null || size <= cursor.read) continue;
    const text = await readTail(file, cursor.read, size);
    if (isRecord(text)) {
      const range = batch.ranges.get(rel) ?? [cursor.read, cursor.read];
      batch.lines.push({ text, lineNo: ++cursor.lineNo, label: file });
      batch.ranges.set(rel, [range[0], size]);
    } else {
      keys.push(`${spoolPrefix(rel)}${cursor.read}-${size}`);
      examples.push(`${file}, line ${cursor.lineNo + 1}: ${size - cursor.read} bytes without a newline`);
    }
    cursor.read = size;
  }
  return { keys, examples };
}

export async function commitTorn(writer: StoreWriter, torn: { keys: string[]; examples: string[] }) {
  if (torn.keys.length === 0) return;
  await writer.writeRows([], torn.keys, { warnings: [tornWarning(torn.keys.length, torn.examples)] });
}
