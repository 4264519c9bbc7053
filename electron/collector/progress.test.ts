// What the user sees of a collection: a bar redrawn in place on a terminal, plain lines in logs,
// and notes (e.g. a raised memory limit) in both.
import type { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ProgressTracker, progressPrinter } from './progress.ts';

function sink(isTTY: boolean) {
  const chunks: string[] = [];
  const out = { isTTY, write: (s: string) => chunks.push(s) > 0 } as unknown as NodeJS.WriteStream & Writable;
  return { out, text: () => chunks.join('') };
}

function run(print: ReturnType<typeof progressPrinter>) {
  const p = new ProgressTracker(print, 'job-view');
  p.setTotal(100);
  p.shard(40);
  p.note('data.parquet: DuckDB memory limit raised to 813 MB');
  p.shard(60);
  p.done();
}

describe('progress', () => {
  it('draws a bar in place on a terminal, with notes on their own lines', () => {
    const s = sink(true);
    run(progressPrinter('auto', s.out));
    const lines = s.text().split('\n');
    expect(lines[0]).toContain('data.parquet: DuckDB memory limit raised to 813 MB');
    expect(lines[0]).toContain('[##########..............] 40 / 100 rows, 1 shards');
    expect(s.text()).toContain('[########################] 100 / 100 rows, 2 shards');
    expect(s.text().endsWith('\n')).toBe(true);
  });

  it('prints plain lines without a terminal, notes included, and nothing with none', () => {
    const s = sink(false);
    run(progressPrinter('auto', s.out));
    const lines = s.text().trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(
      /^collect job-view: 40 \/ 100 rows, 1 shards, .* — data\.parquet: DuckDB memory/,
    );
    expect(s.text()).not.toContain('\x1b');
    const quiet = sink(true);
    run(progressPrinter('none', quiet.out));
    expect(quiet.text()).toBe('');
  });
});
