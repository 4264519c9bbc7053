import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'shared/**/*.test.ts',
      'electron/**/*.test.ts',
      'renderer/**/*.test.{ts,tsx}',
      'bench/**/*.test.ts',
    ],
    environment: 'node',
    reporters: ['default', 'json'],
    outputFile: { json: 'reports/unit-results.json' },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Tests start DuckDB instances and child processes; two cores do not want more than two at once.
    maxWorkers: 2,
  },
});
