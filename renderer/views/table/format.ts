// How values look in the table. Losses span orders of magnitude across targets (a likelihood in
// the thousands, a relative error near 1e-3), so they get significant digits, not fixed decimals.

const compact = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 6 });
const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-4 || a >= 1e9)) return v.toExponential(4);
  return compact.format(v);
}

export function formatInteger(v: number | bigint): string {
  return integer.format(v);
}

export function formatCell(v: unknown, type: string): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'bigint') return formatInteger(v);
  if (typeof v === 'number') return type === 'DOUBLE' ? formatNumber(v) : formatInteger(v);
  return String(v);
}

export function isNumericType(type: string): boolean {
  return /^(DOUBLE|FLOAT|REAL|DECIMAL|BIGINT|INTEGER|SMALLINT|TINYINT|HUGEINT|UBIGINT|UINTEGER)/.test(type);
}

/** Counts in the status bar: 1,234,567. */
export const formatCount = (n: number) => integer.format(n);
