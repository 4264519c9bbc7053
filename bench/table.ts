// One shape for every benchmark figure, printed as one table with the baseline from the same run.
export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  /** The same work done by the reference (e.g. native DuckDB) in the same run. */
  baseline?: number;
  baselineName?: string;
  /** value / baseline, filled in by printTable when a baseline exists. */
  ratio?: number;
  /** The target as text, e.g. "< 300 MB" or "ratio ≤ 2". */
  target?: string;
  met?: boolean;
  /** Why a figure is missing (e.g. the query failed). */
  note?: string;
}

const fmt = (n: number | undefined, digits = 2) =>
  n === undefined
    ? ''
    : Number.isNaN(n)
      ? 'failed'
      : Math.abs(n) >= 100 || Number.isInteger(n)
        ? n.toFixed(0)
        : n.toFixed(digits);

export function printTable(title: string, rows: readonly BenchRow[]): string {
  const body = rows.map((r) => {
    const ratio = r.ratio ?? (r.baseline ? r.value / r.baseline : undefined);
    return [
      r.name,
      `${fmt(r.value)} ${r.unit}`,
      r.baseline === undefined ? '' : `${fmt(r.baseline)} ${r.unit} (${r.baselineName ?? 'baseline'})`,
      ratio === undefined ? '' : `${ratio.toFixed(2)}×`,
      r.target ?? '',
      (r.met === undefined ? '' : r.met ? 'met' : 'MISSED') + (r.note ? ` (${r.note})` : ''),
    ];
  });
  const head = ['benchmark', 'value', 'baseline (same run)', 'ratio', 'target', ''];
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const out = [
    `\n## ${title}`,
    line(head),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...body.map(line),
  ].join('\n');
  process.stdout.write(`${out}\n`);
  return out;
}
