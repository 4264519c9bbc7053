import type { Source } from './types.ts';

export const provenanceSource: Source = {
  kind: 'provenance',
  async run() {
    throw new Error('provenance source: not implemented yet');
  },
};
