import type { Source } from './types.ts';

export const ndjsonSource: Source = {
  kind: 'ndjson',
  async run() {
    throw new Error('ndjson source: not implemented yet');
  },
};
