import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { CellValue } from './cells.tsx';
import type { TableColumn } from './columns.ts';

const col = (name: string, type: string): TableColumn => ({
  name,
  type,
  width: 100,
  numeric: type !== 'VARCHAR',
});
const text = (html: string) => html.replace(/<[^>]+>/g, '');

describe('CellValue', () => {
  it('marks a number a failed row does not have (n_replicates) with a dash, not a blank', () => {
    const row = { status: 'failed', loss: null, n_replicates: null, error_type: 'ValueError' };
    expect(text(renderToStaticMarkup(<CellValue column={col('n_replicates', 'INTEGER')} row={row} />))).toBe(
      '—',
    );
    expect(text(renderToStaticMarkup(<CellValue column={col('loss', 'DOUBLE')} row={row} />))).toBe('—');
  });

  it('leaves a text column without a value blank (an ok row has no error)', () => {
    const row = { status: 'ok', loss: 1.5, error_type: null };
    expect(text(renderToStaticMarkup(<CellValue column={col('error_type', 'VARCHAR')} row={row} />))).toBe(
      '',
    );
  });

  it('formats numbers that are there', () => {
    const row = { status: 'ok', n_replicates: 12000 };
    expect(text(renderToStaticMarkup(<CellValue column={col('n_replicates', 'INTEGER')} row={row} />))).toBe(
      '12,000',
    );
  });
});
