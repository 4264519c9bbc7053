// readJobSpec streams JOB.json (real files in a temp dir): both layouts, replicates grouped by
// param_id with their seeds in order, strings kept exactly, and errors that name file and place.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CollectError } from './errors.ts';
import { readJobSpec } from './sources/job-spec.ts';
import { computeParamIds, fixtureParamValues, writeJobSpec } from './testing/fixtures.ts';
import { tempDir } from './testing/helpers.ts';

let dir: string;
beforeAll(async () => {
  dir = await tempDir('job-spec');
});

async function write(name: string, body: unknown): Promise<string> {
  const file = path.join(dir, name);
  await fs.writeFile(file, typeof body === 'string' ? body : JSON.stringify(body));
  return file;
}

const task = (paramId: unknown, seed: number, values: Record<string, unknown> = {}) => ({
  entrypoint: 'models.sir/baseline',
  params: { param_id: paramId, values },
  seed,
  outputs: ['incidence'],
});

/** The error readJobSpec rejects with (fails the test if it resolves). */
async function failure(file: string): Promise<CollectError> {
  const e = await readJobSpec(file).then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(CollectError);
  return e as CollectError;
}

describe('readJobSpec', () => {
  it('reads both layouts alike: sets in file order, seeds per set, params typed, job id', async () => {
    // 400 sets × 2 replicates ≈ 250 KB: several of the reader's 64 KB blocks.
    const ids = await computeParamIds(400);
    const tasks = path.join(dir, 'tasks.json');
    const batches = path.join(dir, 'batches.json');
    await writeJobSpec(tasks, 'job-42', 400, 2, 'tasks', ids);
    await writeJobSpec(batches, 'job-42', 400, 2, 'batches', ids);
    const a = await readJobSpec(tasks);
    const b = await readJobSpec(batches);
    expect(a.jobId).toBe('job-42');
    expect(a.sets).toEqual(
      ids.map((id, i) => ({
        paramId: id,
        seeds: [BigInt(i * 100), BigInt(i * 100 + 1)],
        values: fixtureParamValues(i),
      })),
    );
    expect([...a.params]).toEqual([
      ['beta', 'DOUBLE'],
      ['population', 'BIGINT'],
      ['seasonal', 'BOOLEAN'],
      ['scenario', 'VARCHAR'],
    ]);
    expect({ ...b, file: tasks }).toEqual(a);
  });

  it('groups interleaved replicates, seeds in order, values from the first task of a set', async () => {
    const file = await write('interleaved.json', {
      job_id: 7,
      tasks: [task('a', 3, { x: 1 }), task('b', 9, { x: 2 }), task('a', 1, { x: 99 }), task('a', 2)],
    });
    const spec = await readJobSpec(file);
    expect(spec.jobId).toBeNull(); // a job_id that is not a string
    expect(spec.sets).toEqual([
      { paramId: 'a', seeds: [3n, 1n, 2n], values: { x: 1 } },
      { paramId: 'b', seeds: [9n], values: { x: 2 } },
    ]);
  });

  it('keeps strings exactly: quotes, backslashes, escapes, non-ASCII', async () => {
    const scenario = 'mask "strict" \\ école ☃ \u0001';
    const file = await write('strings.json', {
      job_id: 'j "1"',
      tasks: [task('p "q"', 1, { scenario, empty: '' })],
    });
    const spec = await readJobSpec(file);
    expect(spec.jobId).toBe('j "1"');
    expect(spec.sets[0]).toEqual({ paramId: 'p "q"', seeds: [1n], values: { scenario, empty: '' } });
  });

  it('rejects invalid JSON naming the file, the line and what the parser says', async () => {
    const file = await write(
      'bad.json',
      '{"job_id": "j",\n"tasks": [\n  {"params": {"param_id": "a"} "seed": 1}]}',
    );
    const e = await failure(file);
    expect(e.file).toBe(file);
    expect(e.where).toMatch(/^line 3, column \d+$/);
    expect(e.message).toContain('not valid JSON');
    expect(e.message).toContain("expected ','");
    const cut = await failure(await write('cut.json', '{"tasks": [{"params": {"param_id": "a"}'));
    expect(cut.message).toContain('not valid JSON');
    const none = await failure(path.join(dir, 'absent.json'));
    expect(none.message).toContain('ENOENT');
  });

  it('rejects a spec without a tasks or batches[].tasks list', async () => {
    for (const body of [{ job_id: 'j', metadata: { tasks: [] } }, { tasks: { a: task('a', 1) } }, []]) {
      const e = await failure(await write('nolist.json', body));
      expect(e.message).toContain('no "tasks" or "batches[].tasks" list');
    }
  });

  it('names the bad task, counting across batches from 0: no param_id, a seed not an integer', async () => {
    const file = await write('noid.json', {
      batches: [{ tasks: [task('a', 1), task('a', 2)] }, { tasks: [task('b', 1), task('', 2)] }],
    });
    const e = await failure(file);
    expect(e.where).toBe('task 3');
    expect(e.message).toContain('task without params.param_id');
    const bare = await failure(await write('bare.json', { tasks: [task('a', 1), null] }));
    expect(bare.where).toBe('task 1');
    const seed = await failure(await write('seed.json', { tasks: [task('a', 1), task('a', 1.5)] }));
    expect(seed.where).toBe('task 1');
    expect(seed.message).toContain('seed 1.5 is not an integer');
  });
});
