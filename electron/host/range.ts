// HTTP Range (RFC 9110 §14) for shard bytes: DuckDB-WASM reads a parquet footer, then only the
// row groups and columns a query needs. One range per request is all it asks for.
import { mimeFor } from './mime.ts';

export type RangeResult = { start: number; end: number } | 'unsatisfiable' | null;

/** Parse a Range header against a file size; null means "send the whole file". */
export function parseRange(header: string | undefined, size: number): RangeResult {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null; // malformed or multi-range: ignore, send all
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

export interface RangeReply {
  status: 200 | 206 | 416;
  /** Byte span to send (inclusive end); length 0 for 416 and empty files. */
  start: number;
  end: number;
  length: number;
  headers: Record<string, string>;
}

/** What a file reply is validated by: sent as ETag / Last-Modified, compared with If-Range. */
export interface Validators {
  etag: string;
  lastModified: string;
}

export function validatorsFor(stat: { size: number; mtimeMs: number; mtime: Date }): Validators {
  return {
    etag: `"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`,
    lastModified: stat.mtime.toUTCString(),
  };
}

/**
 * RFC 9110 §13.1.5: a Range under If-Range applies only when the validator still matches (strong
 * comparison: a weak ETag never does); otherwise the whole current file is sent.
 */
export function ifRangeHolds(ifRange: string | undefined, v: Validators): boolean {
  if (ifRange === undefined) return true;
  const value = ifRange.trim();
  if (value.startsWith('"')) return value === v.etag;
  if (value.startsWith('W/')) return false;
  return value === v.lastModified;
}

export interface RangeRequest {
  range?: string;
  ifRange?: string;
}

/** Status, byte span and headers of a (Range) file reply: shared by the HTTP host and the protocol. */
export function rangeReply(
  request: RangeRequest,
  size: number,
  file: string,
  headers: Record<string, string>,
  validators: Validators,
): RangeReply {
  const base = {
    ...headers,
    'Content-Type': mimeFor(file),
    'Accept-Ranges': 'bytes',
    ETag: validators.etag,
    'Last-Modified': validators.lastModified,
  };
  const range = ifRangeHolds(request.ifRange, validators) ? parseRange(request.range, size) : null;
  if (range === 'unsatisfiable') {
    return {
      status: 416,
      start: 0,
      end: -1,
      length: 0,
      headers: { ...base, 'Content-Range': `bytes */${size}` },
    };
  }
  const { start, end } = range ?? { start: 0, end: size - 1 };
  const length = Math.max(0, end - start + 1);
  return {
    status: range ? 206 : 200,
    start,
    end,
    length,
    headers: {
      ...base,
      'Content-Length': String(length),
      ...(range ? { 'Content-Range': `bytes ${start}-${end}/${size}` } : {}),
    },
  };
}
