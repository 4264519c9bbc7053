import type { Source } from './types.ts';

export const parquetSource: Source = {
  kind: 'parquet',
  async run() {
    throw new Error('parquet source: not implemented yet');
  },
};
