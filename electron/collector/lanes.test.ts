// Writer lanes on a real DuckDB: every item runs once, DuckDB's thread setting is 1 while lanes
// run and restored after (also after a failure), and a failure stops new items.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Duck, openDuck } from './duck.ts';
import { inLanes } from './lanes.ts';
import { tempDir } from './testing/helpers.ts';

let duck: Duck;
beforeAll(async () => {
  duck = await openDuck({ threads: 2, tempDirectory: await tempDir('lanes') });
});
afterAll(() => duck.close());

async function threads(): Promise<number> {
  const r = await duck.conn.runAndReadAll(`SELECT current_setting('threads')::INTEGER AS n`);
  return Number(r.getRowObjectsJS()[0]?.n);
}

describe('inLanes', () => {
  it('runs every item once across two connections with one DuckDB thread each', async () => {
    const lanes = [duck.conn, await duck.instance.connect()];
    const seen: number[] = [];
    const during: number[] = [];
    await inLanes([1, 2, 3, 4, 5], lanes, async (item, conn) => {
      const r = await conn.runAndReadAll(
        `SELECT ${item} * 10 AS v, current_setting('threads')::INTEGER AS t`,
      );
      const row = r.getRowObjectsJS()[0]!;
      seen.push(Number(row.v));
      during.push(Number(row.t));
    });
    expect(seen.sort((a, b) => a - b)).toEqual([10, 20, 30, 40, 50]);
    expect(new Set(during)).toEqual(new Set([1]));
    expect(await threads()).toBe(2);
    lanes[1]!.closeSync();
  });

  it('throws the first failure once every lane has settled, starts nothing after it, restores threads', async () => {
    const lanes = [duck.conn, await duck.instance.connect()];
    const started: number[] = [];
    const run = inLanes([1, 2, 3, 4, 5, 6], lanes, async (item, conn) => {
      started.push(item);
      if (item === 2) throw new Error('item 2 is bad');
      await conn.run('SELECT 1');
    });
    await expect(run).rejects.toThrow('item 2 is bad');
    expect(started.length).toBeLessThan(6);
    expect(await threads()).toBe(2);
    lanes[1]!.closeSync();
  });
});
