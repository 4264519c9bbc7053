// Bad NDJSON records through the real collector: each stops the run naming the file, the line,
// what was wrong and the fix, or with --on-error skip is skipped and counted while the good
// rows land (read back by native DuckDB). Records that are odd but meaningful collect.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readManifest, readManifestIfExists } from '../store/manifest-io.ts';
import { collect } from './collect.ts';
import { openTestDuck, storeRelation, tempDir } from './testing/helpers.ts';

let db: Awaited<ReturnType<typeof openTestDuck>>;
let root: string;
let n = 0;

beforeAll(async () => {
  db = await openTestDuck();
  root = await tempDir('ndjson-bad');
});
afterAll(() => db.close());

const rec = (i: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    param_id: `p${i}`,
    target: 'targets.a:alpha',
    params: { beta: 0.5 + i, k: i },
    loss: i + 0.25,
    n_replicates: 2,
    seeds: [i, i + 1],
    ...extra,
  });

/** Good lines 1, 2 and 4 around `bad` on line 3. */
async function file(bad: string, good: (i: number) => string = rec): Promise<string> {
  const f = path.join(root, `in-${n++}.ndjson`);
  await fs.writeFile(f, `${good(1)}\n${good(2)}\n${bad}\n${good(4)}\n`);
  return f;
}

const newOut = () => path.join(root, `store-${n++}`);

async function expectStopsThenSkips(src: string, what: RegExp, fix: RegExp, out = newOut()) {
  const err = await collect({ sources: [src], out }).then(
    () => null,
    (e: Error) => e,
  );
  expect(err?.message).toMatch(new RegExp(`^${src.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}, line 3: `));
  expect(err?.message).toMatch(what);
  expect(err?.message).toMatch(fix);
  expect(err?.message).toContain('--on-error skip');
  expect((await readManifestIfExists(out))?.status).not.toBe('collecting');
  const skipOut = newOut();
  const m = await collect({ sources: [src], out: skipOut, onError: 'skip' });
  const rows = await db.rows(`SELECT param_id FROM ${await storeRelation(skipOut)} ORDER BY 1`);
  expect(rows.map((r) => r.param_id)).toEqual(['p1', 'p2', 'p4']);
  const w = m.warnings.find((x) => x.code === 'bad_records_skipped');
  expect(w?.count).toBe(1);
  expect(w?.examples[0]).toMatch(/line 3: /);
  expect(w?.examples[0]).toMatch(what);
  return skipOut;
}

describe('ndjson records that do not fit the store', () => {
  it('n_replicates beyond INTEGER (1e300, 1e999) or not whole', async () => {
    for (const v of ['1e300', '1e999', '2.5', '-1']) {
      const src = await file(rec(3).replace('"n_replicates":2', `"n_replicates":${v}`));
      await expectStopsThenSkips(
        src,
        /n_replicates .* is not a whole number from 0 to 2147483647/,
        /count of replicates/,
      );
    }
  });

  it('seeds that are not UBIGINT (1.5, 2^70, negative), while a seed above 2^53 is kept exactly', async () => {
    for (const v of ['1.5', '1180591620717411303424', '-3']) {
      const src = await file(rec(3).replace('"seeds":[3,4]', `"seeds":[3,${v}]`));
      await expectStopsThenSkips(src, /seeds\[1\] = .* is not a valid seed/, /0 to 2\^64-1/);
    }
    const big = '18446744073709551615'; // 2^64 - 1: JSON.parse alone would round it to 2^64
    const src = await file(rec(3).replace('"seeds":[3,4]', `"seeds":[9007199254740993,${big}]`));
    const out = newOut();
    await collect({ sources: [src], out });
    const [r] = await db.rows(
      `SELECT seeds[1]::VARCHAR AS a, seeds[2]::VARCHAR AS b FROM ${await storeRelation(out)} WHERE param_id = 'p3'`,
    );
    expect(r).toEqual({ a: '9007199254740993', b: big });
  });

  it('an integer parameter beyond BIGINT in a store whose column is BIGINT; in the first records it makes the column DOUBLE', async () => {
    const out = newOut();
    await collect({ sources: [await file(rec(3))], out });
    expect((await readManifest(out)).params).toContainEqual({ name: 'k', type: 'BIGINT' });
    const more = (i: number) => rec(i + 10);
    const src = await file(rec(13, { params: { beta: 1, k: 1e30 } }), more);
    const err = await collect({ sources: [src], out }).catch((e: Error) => e);
    expect(String(err)).toContain(
      `${src}, line 3: parameter k should be an integer within ±2^63 (BIGINT), got 1e+30`,
    );
    expect(String(err)).toContain("The store's k column is BIGINT");
    const m = await collect({ sources: [src], out, onError: 'skip' });
    expect(m.counts.rows).toBe(4 + 3);
    const fresh = newOut();
    await collect({ sources: [await file(rec(3, { params: { beta: 1, k: 1e30 } }))], out: fresh });
    expect((await readManifest(fresh)).params).toContainEqual({ name: 'k', type: 'DOUBLE' });
    const [r] = await db.rows(`SELECT param_k AS k FROM ${await storeRelation(fresh)} WHERE param_id = 'p3'`);
    expect(r!.k).toBe(1e30);
  });

  it('a loss given as text, and params that are not an object', async () => {
    await expectStopsThenSkips(
      await file(rec(3, { loss: '3.25' })),
      /loss "3.25" is not a number/,
      /JSON number/,
    );
    await expectStopsThenSkips(
      await file(rec(3, { params: [1, 2] })),
      /params \[1,2\] is not an object/,
      /\{"name": value/,
    );
  });

  it('a target whose short id is empty', async () => {
    const src = await file(rec(3, { target: 'a:b:c:' }));
    await expectStopsThenSkips(src, /target "a:b:c:" has an empty short id/, /module:name/);
  });

  it("NaN / Infinity / -Infinity losses as Python's json.dumps writes them, named as non-finite", async () => {
    for (const v of ['NaN', 'Infinity', '-Infinity']) {
      const src = await file(rec(3).replace('"loss":3.25', `"loss":${v}`));
      await expectStopsThenSkips(
        src,
        new RegExp(`loss is ${v} \\(not finite\\) on an ok record`),
        /diverged .* "error" object/,
      );
    }
  });

  it('Python constants elsewhere: a DOUBLE parameter keeps NaN, diagnostics get null, strings stay as written', async () => {
    const line = rec(3, {
      params: { beta: 'NAN_HERE', k: 3 },
      diagnostics: { mean: 'NAN_HERE', note: 'NaN, Infinity', inf: '-INF_HERE' },
    })
      .replace('"beta":"NAN_HERE"', '"beta":NaN')
      .replace('"mean":"NAN_HERE"', '"mean":NaN')
      .replace('"inf":"-INF_HERE"', '"inf":-Infinity');
    const out = newOut();
    await collect({ sources: [await file(line)], out });
    const [r] = await db.rows(
      `SELECT isnan(param_beta) AS nan, diagnostics FROM ${await storeRelation(out)} WHERE param_id = 'p3'`,
    );
    expect(r).toEqual({ nan: true, diagnostics: '{"mean":null,"note":"NaN, Infinity","inf":null}' });
  });

  it('a parameter named id, Beta beside beta, or an empty name: named before the store is made', async () => {
    const cases: [string, RegExp][] = [
      [rec(3, { params: { beta: 1, k: 3, id: 7 } }), /parameter "id" would be stored as column param_id/],
      [
        rec(3, { params: { beta: 1, k: 3, Beta: 2 } }),
        /parameters "beta" and "Beta" would both be stored as column param_beta/,
      ],
      [rec(3, { params: { beta: 1, k: 3, '': 2 } }), /a parameter has an empty name/],
    ];
    for (const [line, what] of cases) {
      const out = newOut();
      const dir = await expectStopsThenSkips(
        await file(line),
        what,
        /[Rr]ename|Give every parameter a name/,
        out,
      );
      expect(await readManifestIfExists(out)).toBeNull();
      expect((await readManifest(dir)).params.map((p) => p.name)).toEqual(['beta', 'k']);
    }
  });

  it('diagnostics nested 5,000 deep are kept to 100 levels and flagged truncated', async () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const line = rec(3, { diagnostics: 'DEEP' }).replace('"DEEP"', deep);
    const out = newOut();
    const m = await collect({ sources: [await file(line)], out });
    expect(m.counts.rows).toBe(4);
    const [r] = await db.rows(
      `SELECT diagnostics_truncated AS t, json_valid(diagnostics) AS valid, strlen(diagnostics)::INT AS len
       FROM ${await storeRelation(out)} WHERE param_id = 'p3'`,
    );
    expect(r).toEqual({ t: true, valid: true, len: 204 });
  });

  it('error given as a bare string keeps it as the message', async () => {
    const out = newOut();
    await collect({ sources: [await file(rec(3, { error: 'boom', loss: null }))], out });
    const [r] = await db.rows(
      `SELECT status, error_type, error_message, loss FROM ${await storeRelation(out)} WHERE param_id = 'p3'`,
    );
    expect(r).toEqual({ status: 'failed', error_type: 'Error', error_message: 'boom', loss: null });
  });
});
