// Rows as TSV for the clipboard: a header row, then every value at full precision (a double as
// its shortest exact decimal, never the table's rounded display). A value holding a tab, newline
// or quote is quoted the way spreadsheets read it.
import type { Row } from './row-windows.ts';

export function tsvValue(v: unknown): string {
  if (v === null || v === undefined) return '';
  let text: string;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') text = String(v);
  else if (v instanceof Date) text = v.toISOString();
  else if (typeof v === 'object')
    text = JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? String(x) : x));
  else text = String(v);
  return /[\t\n\r"]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toTsv(columns: readonly string[], rows: readonly Row[]): string {
  const lines = [columns.map(tsvValue).join('\t')];
  for (const r of rows) lines.push(columns.map((c) => tsvValue(r[c])).join('\t'));
  return `${lines.join('\n')}\n`;
}
