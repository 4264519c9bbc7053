// Any source (here a modelops view) whose parameters would collide as store columns is named
// before a store exists, instead of DuckDB's raw "Catalog Error … already exists!".
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { str } from '../../shared/sql.ts';
import { readManifestIfExists } from '../store/manifest-io.ts';
import { collect } from './collect.ts';
import { writeViewsFixture } from './testing/fixtures.ts';
import { openTestDuck, tempDir } from './testing/helpers.ts';

let db: Awaited<ReturnType<typeof openTestDuck>>;
let root: string;

beforeAll(async () => {
  db = await openTestDuck();
  root = await tempDir('shape');
});
afterAll(() => db.close());

describe('store shape check', () => {
  it('names a view whose files spell a parameter param_beta and param_Beta, and makes no store', async () => {
    const view = await writeViewsFixture(db.conn, { dir: path.join(root, 'view'), params: 5 });
    // The second target's file spells the parameter param_Beta (another writer, another day).
    const file = path.join(view.dir, 'targets', view.targets[1]!, 'data.parquet');
    await db.conn.run(
      `COPY (SELECT * RENAME (param_beta AS param_Beta) FROM read_parquet(${str(file)})) TO ${str(`${file}.new`)} (FORMAT parquet)`,
    );
    await fs.rename(`${file}.new`, file);
    const out = path.join(root, 'store');
    const err = await collect({ sources: [view.dir], out }).catch((e: Error) => e.message);
    expect(err).toBe(
      `${view.dir}: parameters "beta" and "Beta" would both be stored as column param_beta (column names ignore case). ` +
        'Rename one of them in the input so the names differ by more than case',
    );
    expect(await readManifestIfExists(out)).toBeNull();
  });
});
