// A user's own parquet files through the real collector: every unknown column is a parameter
// (--params / --exclude choose), status vocabularies of other tools are mapped (and the mapping
// recorded), and bad columns or values are named with file, row and fix. Stores are read back
// by native DuckDB and compared with DuckDB's own reading of the source files.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { str } from '../../shared/sql.ts';
import { readManifest } from '../store/manifest-io.ts';
import { collect } from './collect.ts';
import { openTestDuck, runCli, storeRelation, tempDir } from './testing/helpers.ts';

let db: Awaited<ReturnType<typeof openTestDuck>>;
let root: string;
let n = 0;

beforeAll(async () => {
  db = await openTestDuck();
  root = await tempDir('pq-cols');
});
afterAll(() => db.close());

/** Writes `sql` as parquet at dir/rel (dir fresh unless given); returns the file. */
async function write(sql: string, rel = 'incidence/losses.parquet', dir = path.join(root, `src-${n++}`)) {
  const file = path.join(dir, rel);
  await fs.mkdir(path.dirname(file), { recursive: true });
  await db.conn.run(`COPY (${sql}) TO ${str(file)} (FORMAT parquet)`);
  return file;
}
const out = () => path.join(root, `store-${n++}`);
const failure = (p: Promise<unknown>) =>
  p.then(
    () => '',
    (e: Error) => e.message,
  );

const OWN = `SELECT 'p' || i AS param_id, i * 0.5 AS loss, 0.1 * i AS beta, i % 3 AS gamma, 1000 + i AS seed
  FROM range(20) t(i)`;

describe('parquet columns', () => {
  it('collects every unknown column as a parameter (beta → param_beta) and a seed column as the seeds', async () => {
    const file = await write(OWN);
    const store = out();
    const m = await collect({ sources: [path.dirname(path.dirname(file))], out: store, jobId: 'own' });
    expect(m.params).toEqual([
      { name: 'beta', type: 'DOUBLE' },
      { name: 'gamma', type: 'BIGINT' },
    ]);
    const diff = await db.rows(
      `(SELECT param_id, loss, beta, gamma, [seed::UBIGINT] AS seeds FROM read_parquet(${str(file)}))
       EXCEPT (SELECT param_id, loss, param_beta, param_gamma, seeds FROM ${await storeRelation(store)})`,
    );
    expect(diff).toEqual([]);
    expect(m.counts.rows).toBe(20);
  });

  it('--params and --exclude choose the parameters (CLI); a name no file has is named', async () => {
    const file = await write(OWN);
    const src = path.dirname(path.dirname(file));
    const only = out();
    expect(
      (await runCli(['collect', src, '--out', only, '--params', 'beta', '--progress', 'none'])).code,
    ).toBe(0);
    expect((await readManifest(only)).params.map((p) => p.name)).toEqual(['beta']);
    const ex = out();
    const r = await runCli(['collect', src, '--out', ex, '--exclude', 'gamma,seed', '--progress', 'none']);
    expect(r.code).toBe(0);
    expect((await readManifest(ex)).params.map((p) => p.name)).toEqual(['beta']);
    const [s] = await db.rows(
      `SELECT count(*) FILTER (WHERE seeds IS NOT NULL)::INT AS n FROM ${await storeRelation(ex)}`,
    );
    expect(s!.n).toBe(20);
    const typo = await runCli(['collect', src, '--out', out(), '--params', 'betta', '--progress', 'none']);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain(
      '--params/--exclude name betta, which no file has. Columns present: beta, gamma, loss, param_id, seed',
    );
  });

  it('names colliding parameter columns: beta beside param_beta, id, Beta in one file and beta in another', async () => {
    const both = await write(`SELECT 'a' AS param_id, 1.0 AS loss, 1 AS beta, 2 AS param_beta`);
    expect(await failure(collect({ sources: [both], out: out() }))).toBe(
      `${both}: columns beta and param_beta would both be stored as param_beta. Leave one out with --exclude param_beta`,
    );
    const id = await write(`SELECT 'a' AS param_id, 1.0 AS loss, 7 AS id`);
    expect(await failure(collect({ sources: [id], out: out() }))).toMatch(
      /parameter "id" would be stored as column param_id, which is the store's own param_id column\. .*--exclude id/,
    );
    const dir = path.join(root, `src-${n++}`);
    await write(`SELECT 'a' AS param_id, 1.0 AS loss, 1 AS beta`, 'a/x.parquet', dir);
    const second = await write(`SELECT 'b' AS param_id, 1.0 AS loss, 2 AS Beta`, 'b/x.parquet', dir);
    expect(await failure(collect({ sources: [dir], out: out() }))).toMatch(
      new RegExp(`^${second}: parameters "beta" and "Beta" would both be stored as column param_beta`),
    );
  });

  it('a VARCHAR loss and a parameter numeric in one file but text in another get named errors', async () => {
    const text = await write(`SELECT 'a' AS param_id, '1.5' AS loss`);
    expect(await failure(collect({ sources: [text], out: out() }))).toBe(
      `${text}: column loss is VARCHAR, not a number. Write loss as a floating-point column (in pandas: df["loss"] = pd.to_numeric(df["loss"]))`,
    );
    const dir = path.join(root, `src-${n++}`);
    const a = await write(`SELECT 'a' AS param_id, 1.0 AS loss, 0.5 AS beta`, 'a/x.parquet', dir);
    const b = await write(`SELECT 'b' AS param_id, 1.0 AS loss, 'high' AS beta`, 'b/x.parquet', dir);
    expect(await failure(collect({ sources: [dir], out: out() }))).toBe(
      `${b}: parameter beta is VARCHAR here but DECIMAL(2,1) in ${a}. Write beta with one type in every file, or leave it out with --exclude beta`,
    );
  });

  it('maps COMPLETE/FAIL/PRUNED/RUNNING onto ok/failed/missing, says so once, and refuses other values by row', async () => {
    const states = `['COMPLETE', 'Completed', 'FAIL', 'PRUNED', 'RUNNING', 'ok']`;
    const sql = `SELECT 'p' || i AS param_id, CASE WHEN i % 6 IN (0, 1, 5) THEN i::DOUBLE END AS loss,
      ${states}[i % 6 + 1] AS status FROM range(60) t(i)`;
    const file = await write(sql);
    const store = out();
    const m = await collect({ sources: [file], out: store, jobId: 'optuna' });
    const [want] = await db.rows(
      `SELECT count(*) FILTER (WHERE lower(status) IN ('complete', 'completed', 'ok'))::INT AS ok,
              count(*) FILTER (WHERE status IN ('FAIL', 'PRUNED'))::INT AS failed,
              count(*) FILTER (WHERE status = 'RUNNING')::INT AS missing
       FROM read_parquet(${str(file)})`,
    );
    expect(m.counts).toEqual({ rows: 60, ...want });
    const rows = await db.rows(
      `SELECT status, error_type, count(*)::INT AS n, count(loss)::INT AS losses FROM ${await storeRelation(store)}
       GROUP BY ALL ORDER BY ALL`,
    );
    expect(rows).toEqual([
      { status: 'failed', error_type: 'Pruned', n: 10, losses: 0 },
      { status: 'failed', error_type: null, n: 10, losses: 0 },
      { status: 'missing', error_type: null, n: 10, losses: 0 },
      { status: 'ok', error_type: null, n: 30, losses: 30 },
    ]);
    const w = m.warnings.find((x) => x.code === 'status_mapped');
    expect(w?.count).toBe(50);
    expect(w?.examples[0]).toBe(
      `${file}: COMPLETE→ok ×10, Completed→ok ×10, FAIL→failed ×10, PRUNED→failed (error_type Pruned) ×10, RUNNING→missing ×10`,
    );
    const again = await collect({ sources: [file], out: store });
    expect(again.warnings.find((x) => x.code === 'status_mapped')?.count).toBe(50);

    const bad = await write(`SELECT 'p' || i AS param_id, i::DOUBLE AS loss,
      CASE WHEN i = 7 THEN 'DONE' ELSE 'COMPLETE' END AS status FROM range(10) t(i)`);
    expect(await failure(collect({ sources: [bad], out: out() }))).toMatch(
      new RegExp(`^${bad}, row 7 \\(counting from 0\\): status "DONE" is not one of ok, complete, completed`),
    );
    const skipped = await collect({ sources: [bad], out: out(), onError: 'skip' });
    expect(skipped.counts).toEqual({ rows: 9, ok: 9, failed: 0, missing: 0 });
    expect(skipped.warnings.find((x) => x.code === 'bad_records_skipped')?.count).toBe(1);
  });

  it('accepts an integer param_id as text with a note, and names rows whose target has an empty short id', async () => {
    const file = await write(`SELECT i AS param_id, i::DOUBLE AS loss,
      CASE WHEN i = 3 THEN 'a:b:c:' ELSE 'targets.x:alpha' END AS target FROM range(6) t(i)`);
    expect(await failure(collect({ sources: [file], out: out() }))).toMatch(
      new RegExp(`^${file}, row 3 \\(counting from 0\\): target "a:b:c:" has an empty short id`),
    );
    const store = out();
    const m = await collect({ sources: [file], out: store, onError: 'skip' });
    expect(m.targets).toEqual([{ id: 'alpha', entrypoint: 'targets.x:alpha' }]);
    expect(m.warnings.find((x) => x.code === 'param_id_as_text')?.examples).toEqual([
      `${file}: param_id is BIGINT; its values are stored as text`,
    ]);
    const ids = await db.rows(`SELECT param_id FROM ${await storeRelation(store)} ORDER BY 1`);
    expect(ids.map((r) => r.param_id)).toEqual(['0', '1', '2', '4', '5']);
  });

  it('names n_replicates beyond INTEGER and seeds that are not UBIGINT instead of storing NULL', async () => {
    const file = await write(`SELECT 'p' || i AS param_id, i::DOUBLE AS loss,
      CASE WHEN i = 2 THEN 10000000000 WHEN i = 4 THEN -1 ELSE 3 END::BIGINT AS n_replicates,
      CASE WHEN i = 5 THEN [-7, 1] ELSE [i, 1] END::BIGINT[] AS seeds FROM range(8) t(i)`);
    expect(await failure(collect({ sources: [file], out: out() }))).toBe(
      `${file}, row 2 (counting from 0): n_replicates 10000000000 is not a whole number from 0 to 2147483647 (2 more bad rows in this file). Fix the input, or re-run with --on-error skip to skip such records`,
    );
    const store = out();
    const m = await collect({ sources: [file], out: store, onError: 'skip' });
    expect(m.warnings.find((w) => w.code === 'bad_records_skipped')?.examples[2]).toMatch(
      /row 5: seeds \[-7, 1\] are not whole numbers/,
    );
    const rows = await db.rows(
      `SELECT param_id, n_replicates, seeds FROM ${await storeRelation(store)} ORDER BY 1`,
    );
    const [want] = await db.rows(
      `SELECT count(*)::INT AS n FROM read_parquet(${str(file)}) WHERE n_replicates = 3 AND list_min(seeds) >= 0`,
    );
    expect(rows.length).toBe(want!.n);
    expect(rows.every((r) => r.n_replicates === 3 && r.seeds !== null)).toBe(true);
  });
});
