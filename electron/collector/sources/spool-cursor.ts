// Where a follower is in each spool file, and the batch being gathered across files.
import { createReadStream } from 'node:fs';
import { committedPrefixEnd, committedRanges } from '../coverage.ts';
import type { StoreWriter } from '../store-writer.ts';
import { countLines } from './line-stream.ts';
import type { RawLine } from './ndjson-batch.ts';

export interface Cursor {
  /** Offset just past the last line taken into a batch. */
  read: number;
  /** Lines before `read`, so messages name the file's line. */
  lineNo: number;
}

export interface SpoolBatch {
  lines: RawLine[];
  bytes: number;
  firstAt: number;
  /** Per file (relative path) the byte range [a, b) the batch covers. */
  ranges: Map<string, [number, number]>;
}

export const spoolPrefix = (rel: string) => `spool:${rel}:bytes:`;

/** A new cursor: after the file's committed prefix when the store already holds some of it. */
export async function cursorFor(file: string, rel: string, writer: StoreWriter | null): Promise<Cursor> {
  const start = writer ? committedPrefixEnd(committedRanges(writer.committedInputs, spoolPrefix(rel))) : 0;
  const lineNo = start > 0 ? await countLines(createReadStream(file, { end: start - 1 })) : 0;
  return { read: start, lineNo };
}
