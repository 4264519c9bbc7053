// Chunk plans and read-memory estimates for parquet inputs, plus the one case they exist for: a
// file whose row groups are too big for the collector's memory limit is still collected.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { str } from '../../shared/sql.ts';
import { collect } from './collect.ts';
import { parseBytes } from './duck.ts';
import {
  chunks,
  maxParts,
  type ParquetInfo,
  parquetInfo,
  prepass,
  readMemoryBytes,
} from './parquet-chunks.ts';
import type { ProgressEvent } from './progress.ts';
import { fixtureParamIdSql } from './testing/fixtures.ts';
import { openTestDuck, storeRelation, tempDir } from './testing/helpers.ts';

/** Every row once, in order; a range is whole row groups or lies inside one (decoded once). */
function expectAligned(groups: number[], plan: [number, number][]) {
  const bounds = new Set<number>([0]);
  let at = 0;
  for (const n of groups) {
    at += n;
    bounds.add(at);
  }
  expect(plan[0]?.[0]).toBe(0);
  plan.forEach(([a, b], i) => {
    expect(b).toBeGreaterThan(a);
    if (i > 0) expect(a).toBe(plan[i - 1]![1]);
    const whole = bounds.has(a) && bounds.has(b);
    const inside = [...bounds].every((edge) => edge <= a || edge >= b);
    expect(whole || inside).toBe(true);
  });
  expect(plan.at(-1)?.[1]).toBe(at);
}

describe('chunks', () => {
  it('joins small row groups up to the chunk size and cuts big ones into at most 4 equal parts', () => {
    expect(chunks([100, 100, 100], 250)).toEqual([
      [0, 200],
      [200, 300],
    ]);
    expect(chunks([1000], 300)).toEqual([
      [0, 250],
      [250, 500],
      [500, 750],
      [750, 1000],
    ]);
    // A part still decodes its whole group: never more than 4 parts of one group.
    expect(chunks([1000], 100)).toEqual([
      [0, 250],
      [250, 500],
      [500, 750],
      [750, 1000],
    ]);
    // …unless the user asked for a batch size.
    expect(chunks([1000], 100, Infinity)).toHaveLength(10);
    const mixed = [50, 700, 50, 20, 300, 1];
    expectAligned(mixed, chunks(mixed, 300));
    expect(chunks(mixed, 300).every(([a, b]) => b - a <= 300)).toBe(true);
    expect(chunks([], 300)).toEqual([]);
  });
});

describe('how far a big row group is cut', () => {
  it('cuts a 1M-row group of 1 MB pages into 16 chunks, one of DuckDB’s 100 MB pages into 4', async () => {
    // pyarrow, polars and Spark write ~1 MB pages: more, smaller chunks keep the sort in the budget.
    expect(maxParts({ createdBy: 'parquet-cpp-arrow version 14.0.1' })).toBe(16);
    expect(maxParts({ createdBy: 'hyparquet' })).toBe(16);
    expect(maxParts({ createdBy: '' })).toBe(16);
    const group = 1_048_576;
    expect(chunks([group], 65_536, maxParts({ createdBy: 'parquet-cpp-arrow version 14.0.1' }))).toHaveLength(
      16,
    );
    // DuckDB's own writer, read back from a real file's footer.
    const db = await openTestDuck();
    try {
      const root = await tempDir('writer');
      const file = path.join(root, 'duck.parquet');
      await db.conn.run(`COPY (SELECT range AS i FROM range(10)) TO ${str(file)} (FORMAT parquet)`);
      const info = await parquetInfo(db.conn, file);
      expect(info.createdBy).toMatch(/^DuckDB/);
      expect(chunks([group], 65_536, maxParts(info))).toHaveLength(4);
    } finally {
      db.close();
    }
  });
});

describe('memory for reading', () => {
  const info = (maxRowGroupBytes: number): ParquetInfo => ({
    file: 'x.parquet',
    rows: 1,
    bytesPerRow: 1,
    columns: new Map(),
    rowGroups: [1],
    maxRowGroupBytes,
    createdBy: 'DuckDB version v1.5.0',
  });
  it('counts 4× the largest row group per reader (86 MB groups, 2 readers: 688 MB)', () => {
    expect(readMemoryBytes(info(86 * 2 ** 20), 2)).toBe(688 * 2 ** 20);
  });
  it('parses DuckDB memory sizes and refuses others', () => {
    expect(parseBytes('128MB')).toBe(128e6);
    expect(parseBytes('1.5 GiB')).toBe(1.5 * 2 ** 30);
    expect(() => parseBytes('lots')).toThrow(/not a memory size: "lots"/);
  });
});

describe('a file with huge row groups', () => {
  let db: Awaited<ReturnType<typeof openTestDuck>>;
  let root: string;
  beforeAll(async () => {
    db = await openTestDuck();
    root = await tempDir('bigrg');
  });
  afterAll(() => db.close());

  it('is collected under a small memory limit, which is raised with a note saying why', async () => {
    // One 200k-row group (~14 MB compressed): more than a 24 MB DuckDB limit can read at once.
    const file = path.join(root, 'src', 'incidence', 'data.parquet');
    await fs.mkdir(path.dirname(file), { recursive: true });
    await db.conn.run(
      `COPY (SELECT ${fixtureParamIdSql('i')} AS param_id, (i % 997)::DOUBLE AS loss FROM range(200000) t(i))
       TO ${str(file)} (FORMAT parquet, ROW_GROUP_SIZE 200000)`,
    );
    const notes: string[] = [];
    const onProgress = (e: ProgressEvent) => {
      if (e.phase === 'note' && e.message) notes.push(e.message);
    };
    const out = path.join(root, 'store');
    const m = await collect(
      { sources: [path.join(root, 'src')], out, jobId: 'job-big', duck: { memoryLimit: '24MB' } },
      onProgress,
    );
    expect(m.counts).toEqual({ rows: 200_000, ok: 200_000, failed: 0, missing: 0 });
    expect(notes).toEqual([expect.stringMatching(/incidence\/data\.parquet: row groups of up to \d+ MB/)]);
    const [back] = await db.rows(
      `SELECT count(DISTINCT param_id)::INT AS ids, sum(loss) AS total FROM ${await storeRelation(out)}`,
    );
    const [src] = await db.rows(`SELECT sum(loss) AS total FROM read_parquet(${str(file)})`);
    expect(back).toEqual({ ids: 200_000, total: src!.total });
  });
});

describe('the duplicate check', () => {
  let db: Awaited<ReturnType<typeof openTestDuck>>;
  let root: string;
  beforeAll(async () => {
    db = await openTestDuck();
    root = await tempDir('dups');
  });
  afterAll(() => db.close());

  it('drops the same later duplicates when the hashes are sorted in slices as in one sort', async () => {
    // 60k rows, every 7th id sent again later in the file (some three times).
    const file = path.join(root, 'dups.parquet');
    await db.conn.run(
      `COPY (SELECT ${fixtureParamIdSql('CASE WHEN i >= 40000 AND i % 7 = 0 THEN i % 20000 ELSE i END')} AS param_id,
              i::DOUBLE AS loss FROM range(60000) t(i))
       TO ${str(file)} (FORMAT parquet, ROW_GROUP_SIZE 8192)`,
    );
    // DuckDB's own answer: every row after the first of its id.
    const expected = await db.rows(
      `SELECT file_row_number::BIGINT AS r FROM read_parquet(${str(file)}, file_row_number = true)
       QUALIFY row_number() OVER (PARTITION BY param_id ORDER BY file_row_number) > 1 ORDER BY r`,
    );
    expect(expected.length).toBeGreaterThan(2000);
    for (const bucketRows of [1_000_000, 7_000]) {
      const name = `drops_${bucketRows}`;
      const pre = await prepass(db.conn, file, 'NULL', 'param_id', name, { rows: 60_000, bucketRows });
      expect(pre.dupCount).toBe(expected.length);
      expect(await db.rows(`SELECT r::BIGINT AS r FROM ${name} ORDER BY r`)).toEqual(expected);
    }
  });
});
