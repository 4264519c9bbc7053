// The query module against real parquet shards in DuckDB-WASM's Node build, checked against native
// DuckDB on the same files. The store has a column `param_a"b` and values with `'` throughout.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../shared/manifest.ts';
import type { SqlEngine } from './engine-types.ts';
import { LossQueries } from './queries.ts';
import { ShardRegistry } from './registry.ts';
import { nativeReference, writeTortureStore } from './testing/fixtures.ts';
import { createNodeEngine } from './testing/node-engine.ts';

const COLS = ['param_id', 'target', 'status', 'loss', 'param_a"b', 'param_scenario'];
let dir: string;
let manifest: Manifest;
let engine: SqlEngine;
let q: LossQueries;
let native: Awaited<ReturnType<typeof nativeReference>>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'losslens-q-'));
  manifest = await writeTortureStore(dir);
  engine = await createNodeEngine();
  const registry = new ShardRegistry(engine, { shardUrl: (_id, path) => join(dir, path) });
  await registry.sync({ id: 'abc', manifest });
  await registry.idle();
  expect(registry.mode).toBe('memory'); // these tests run on the in-memory copy; analysis.test on shards
  q = new LossQueries(engine);
  native = await nativeReference(dir, manifest);
});
afterAll(async () => {
  native.close();
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('count', () => {
  it('counts all rows, and by target / status / free-text filter, with quotes in names and values', async () => {
    expect(await q.count({})).toBe(400);
    expect(await q.count({ targets: ["t_it's"] })).toBe(200);
    const where = `"param_a""b" > 0.5 AND param_scenario = 'it''s base'`;
    const [ref] = await native.rows(`SELECT count(*)::INTEGER AS n FROM losses WHERE ${where}`);
    expect(await q.count({ where, statuses: ['ok', 'failed'] })).toBeLessThanOrEqual(Number(ref?.n));
    expect(await q.count({ where })).toBe(Number(ref?.n));
  });
});

describe('rowWindow', () => {
  for (const desc of [false, true]) {
    it(`sorts loss ${desc ? 'descending' : 'ascending'} with failed and missing rows last`, async () => {
      const all = await q.rowWindow(COLS, {}, { column: 'loss', desc }, 0, 400);
      const firstBad = all.findIndex((r) => r.status !== 'ok');
      expect(firstBad).toBeGreaterThan(0);
      expect(all.slice(firstBad).every((r) => r.status !== 'ok')).toBe(true);
      const losses = all.slice(0, firstBad).map((r) => r.loss as number);
      const sorted = [...losses].sort((a, b) => (desc ? b - a : a - b));
      expect(losses).toEqual(sorted);
      const [ref] = await native.rows(
        `SELECT param_id, loss FROM losses WHERE loss IS NOT NULL ORDER BY loss ${desc ? 'DESC' : 'ASC'}, target, param_id LIMIT 1`,
      );
      expect(all[0]).toMatchObject(ref ?? {});
    });
  }

  it('reads deep windows from the end, in the same order', async () => {
    for (const sort of [null, { column: 'loss', desc: true }, { column: 'param_scenario', desc: false }]) {
      const all = await q.rowWindow(COLS, {}, sort, 0, 400);
      const tail = await q.rowWindow(COLS, {}, sort, 330, 100, 400);
      expect(tail).toEqual(all.slice(330));
    }
  });

  it('returns stable, non-overlapping windows', async () => {
    const sort = { column: 'param_a"b', desc: true };
    const a = await q.rowWindow(COLS, {}, sort, 0, 150);
    const b = await q.rowWindow(COLS, {}, sort, 150, 300);
    const ids = [...a, ...b].map((r) => `${r.param_id}/${r.target}`);
    expect(new Set(ids).size).toBe(400);
    expect(a[0]?.['param_a"b']).toBeCloseTo(1.2);
  });

  it('default order: per target, best first, failed last', async () => {
    const rows = await q.rowWindow(COLS, {}, null, 0, 400);
    expect(rows[0]?.target).toBe('t_alpha');
    const alpha = rows.filter((r) => r.target === 't_alpha');
    expect(alpha.at(-1)?.status).not.toBe('ok');
  });
});

describe('brushed ranges', () => {
  it('a loss range on one target keeps every row of the sets inside it; a parameter range keeps sets by value', async () => {
    const filter = {
      lossRanges: { t_alpha: [10, 60] as const },
      paramRanges: { 'param_a"b': [0.2, null] as const },
    };
    const [ref] = await native.rows(`WITH keep AS (SELECT DISTINCT param_id FROM losses
        WHERE target = 't_alpha' AND status = 'ok' AND loss BETWEEN 10 AND 60)
      SELECT count(*)::INTEGER AS n, count(*) FILTER (WHERE target <> 't_alpha')::INTEGER AS other
      FROM losses JOIN keep USING (param_id) WHERE "param_a""b" >= 0.2`);
    expect(Number(ref?.other)).toBeGreaterThan(0);
    expect(await q.count(filter)).toBe(Number(ref?.n));
    const rows = await q.rowWindow(COLS, filter, null, 0, 400);
    expect(rows.length).toBe(Number(ref?.n));
    expect(rows.filter((r) => r.target !== 't_alpha').length).toBe(Number(ref?.other));
    expect(rows.every((r) => (r['param_a"b'] as number) >= 0.2)).toBe(true);
  });
});

describe('validateWhere', () => {
  it('accepts a valid expression and returns DuckDB errors for bad ones', async () => {
    expect(await q.validateWhere(`"param_a""b" < 0.3 OR param_scenario = 'it''s base'`)).toEqual({
      ok: true,
    });
    const bad = await q.validateWhere('param_nope > 1');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.message).toMatch(/param_nope/);
    for (const evil of ['1=1); DROP VIEW losses; --', 'true) OR (true', "loss > 1 -- ')"]) {
      expect((await q.validateWhere(evil)).ok).toBe(false);
    }
    expect(await q.count({})).toBe(400);
  });

  // Issue 8.8: DuckDB's `syntax error at or near ")"` was about our wrapping, not the user's text.
  it('tells errors against the text the user typed', async () => {
    const early = await q.validateWhere('loss < 3 AND');
    expect(early).toEqual({
      ok: false,
      message: 'Parser Error: the filter ends too early: something is missing after "AND"',
    });
    const typo = await q.validateWhere('loss < 3 AND param_bta > 1');
    expect(typo.ok).toBe(false);
    if (!typo.ok) {
      expect(typo.message).not.toContain('")"');
      expect(typo.message).toMatch(/param_bta.*did you mean param_a\?/);
    }
  });
});

describe('summary and failures', () => {
  it('summarises per target like native DuckDB', async () => {
    const s = await q.summary();
    const ref = await native.rows(
      `SELECT target, count(*)::INTEGER AS rows, count(loss)::INTEGER AS ok, min(loss) AS min, median(loss) AS median FROM losses GROUP BY target ORDER BY target`,
    );
    expect(s.map((r) => [r.target, r.rows, r.ok, r.min, r.median])).toEqual(
      ref.map((r) => [r.target, r.rows, r.ok, r.min, r.median]),
    );
    expect(s[0]?.failed).toBeGreaterThan(0);
    expect(s[0]?.missing).toBeGreaterThan(0);
  });

  it('groups failures by target and error type, with an example message', async () => {
    const f = await q.failures({ targets: ["t_it's"] });
    const failed = f.find((g) => g.status === 'failed');
    expect(failed).toMatchObject({ target: "t_it's", error_type: 'ValueError' });
    expect(failed?.example_message).toMatch(/bad 'value'/);
    expect(f.find((g) => g.status === 'missing')?.count).toBeGreaterThan(0);
  });
});
