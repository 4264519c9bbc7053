// The export writer in the host process: DuckDB's progress reaches the caller while a large COPY
// runs, and a destination that reaches into the store through a symlink is still refused.
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { writeDemoStore } from '../collector/demo.ts';
import { tempDir } from '../collector/testing/helpers.ts';
import { runExport } from './export-writer.ts';

let dir: string;
let store: string;
const base = { kind: 'rows', filter: {}, sort: null, combined: { method: 'mean', weights: {} } } as const;

beforeAll(async () => {
  dir = await tempDir('export-writer');
  store = path.join(dir, 'store');
  await writeDemoStore({ out: store, params: 60_000, targets: 3, seed: 2, failRate: 0.05 });
});

afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

it('reports progress between 0 and 1 while the COPY runs, then 1', async () => {
  const seen: (number | null)[] = [];
  const out = path.join(dir, 'rows.csv');
  const r = await runExport({ ...base, store, out }, (p) => seen.push(p.fraction), 5);
  expect(r.rows).toBe(180_000);
  expect(seen.at(-1)).toBe(1);
  expect(seen.some((f) => f !== null && f > 0 && f < 1)).toBe(true);
  const fractions = seen.filter((f): f is number => f !== null);
  expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
});

it('refuses a folder that is the store (or inside it) reached through a symlink', async () => {
  const link = path.join(dir, 'looks-outside');
  await fs.symlink(path.join(store, 'shards'), link);
  await expect(runExport({ ...base, store, out: path.join(link, 'x.parquet') })).rejects.toThrow(
    /inside the store being read/,
  );
  expect(existsSync(path.join(store, 'shards', 'x.parquet'))).toBe(false);
});
