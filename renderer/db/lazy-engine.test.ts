// DuckDB-WASM boots only when something uses it, once, and a failed boot fails every call.
import { expect, it } from 'vitest';
import type { SqlEngine } from './engine-types.ts';
import { lazyEngine } from './lazy-engine.ts';
import { createNodeEngine } from './testing/node-engine.ts';

it('boots on the first call only, once for calls at the same time, and answers through it', async () => {
  let boots = 0;
  const lazy = lazyEngine(async () => {
    boots++;
    return createNodeEngine();
  });
  expect(boots).toBe(0);
  expect(lazy.bundle).toBe('not booted');
  expect(lazy.ready).toBeNull();
  await lazy.close(); // closing an engine never booted does not boot it
  expect(boots).toBe(0);
  const [a, b] = await Promise.all([lazy.query('SELECT 41 + 1 AS n'), lazy.query('SELECT 2 AS n')]);
  expect(boots).toBe(1);
  expect(Number(a.toArray()[0]?.toJSON().n)).toBe(42);
  expect(Number(b.toArray()[0]?.toJSON().n)).toBe(2);
  expect(lazy.bundle).toBe('node');
  await lazy.close();
});

it('keeps a failed boot: every call throws its error, and it is not retried', async () => {
  let boots = 0;
  const lazy = lazyEngine(async (): Promise<SqlEngine> => {
    boots++;
    throw new Error('no WebAssembly here');
  });
  await expect(lazy.query('SELECT 1')).rejects.toThrow('no WebAssembly here');
  await expect(lazy.registerFile('a', 'b')).rejects.toThrow('no WebAssembly here');
  expect(boots).toBe(1);
  expect(lazy.bundle).toBe('failed');
});
