// HTTP Range (RFC 9110 §14) for shard bytes: DuckDB-WASM reads a parquet footer, then only the
// row groups and columns a query needs. One range per request is all it asks for.
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
