// The aggregation side of a provenance store, as stable units for resume and partitions:
// `token/v1/aggs/<bundle-12>/target_<entrypoint, / → _>/agg_<id>/`. Aggregations are grouped in
// buckets by the first two characters of their id, so a bucket's membership does not move when a
// running job adds aggregations elsewhere; a bucket's fingerprint (aggregations, results present)
// tells a re-run whether it changed since it was committed.
//
// The agg_* names are streamed from each target directory (opendir, not one readdir array) into
// the DuckDB table `prov_layout`, sorted by target and bucket; JavaScript keeps one summary per
// bucket and asks for a bucket's names when it reads it. Held as JS arrays they cost ~60 B per
// aggregation, plus V8's slack on top, which grew with the job.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { ident, literal } from '../../../shared/sql.ts';
import { rowsOf } from './provenance-join.ts';
import { PROV_TABLES as T } from './provenance-tables.ts';
import { mapAhead } from './provenance-walk.ts';

/** result.json presence checks in flight (the fingerprint counts them). */
const STAT_AHEAD = 64;
const FLUSH_EVERY = 8192;

export interface AggBucket {
  bundle: string;
  targetDir: string;
  /** Index of the target in the layout, as stored in `prov_layout`. */
  ti: number;
  /** The first two characters of the aggregation ids in it. */
  bucket: string;
  count: number;
  /** Input-key prefix shared by every commit of this bucket, whatever its fingerprint. */
  keyPrefix: string;
  /** The key committed with this bucket's rows: prefix + fingerprint. */
  key: string;
}

export interface AggTarget {
  bundle: string;
  targetDir: string;
  dir: string;
  entrypoint: string;
  buckets: AggBucket[];
}

async function subdirs(dir: string, prefix: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isDirectory() && e.name.startsWith(prefix))
    .map((e) => e.name)
    .sort();
}

async function* aggNames(dir: string): AsyncGenerator<string> {
  const d = await fs.opendir(dir, { bufferSize: 256 }).catch(() => null);
  if (!d) return;
  for await (const e of d) if (e.isDirectory() && e.name.startsWith('agg_')) yield e.name;
}

async function hasFile(file: string): Promise<boolean> {
  return fs.stat(file).then(
    () => true,
    () => false,
  );
}

/**
 * The entrypoint of a target directory. `/` became `_` in the name, which cannot be undone
 * (entrypoints contain `_`), so an aggregation's metadata.json `target`/`target_entrypoint` wins
 * when present; otherwise the name after `target_` is the id (its short id, after the last `:`,
 * is unaffected).
 */
async function targetEntrypoint(targetDir: string, dirName: string, firstAgg: string | undefined) {
  if (firstAgg) {
    try {
      const meta = JSON.parse(await fs.readFile(path.join(targetDir, firstAgg, 'metadata.json'), 'utf8'));
      for (const k of ['target_entrypoint', 'target']) {
        if (typeof meta?.[k] === 'string' && meta[k]) return meta[k] as string;
      }
    } catch {}
  }
  return dirName.slice('target_'.length);
}

export async function readAggLayout(conn: DuckDBConnection, aggsRoot: string): Promise<AggTarget[]> {
  const raw = T.layoutRaw;
  await conn.run(`CREATE OR REPLACE TEMP TABLE ${ident(raw)} (ti INTEGER, name VARCHAR, done BOOLEAN)`);
  const targets: AggTarget[] = [];
  const a = await conn.createAppender(raw);
  try {
    for (const bundle of await subdirs(aggsRoot, '')) {
      for (const targetDir of await subdirs(path.join(aggsRoot, bundle), 'target_')) {
        const dir = path.join(aggsRoot, bundle, targetDir);
        const names = aggNames(dir);
        const done = (name: string) =>
          hasFile(path.join(dir, name, 'result.json')).then((d) => ({ name, d }));
        let n = 0;
        for await (const { name, d } of mapAhead(names, STAT_AHEAD, done)) {
          a.appendInteger(targets.length);
          a.appendVarchar(name);
          a.appendBoolean(d);
          a.endRow();
          if (++n % FLUSH_EVERY === 0) a.flushSync();
        }
        targets.push({ bundle, targetDir, dir, entrypoint: '', buckets: [] });
      }
    }
    a.flushSync();
  } finally {
    a.closeSync();
  }
  // Sorted, so that reading one bucket touches only its own row groups.
  await conn.run(`CREATE OR REPLACE TEMP TABLE ${ident(T.layout)} AS
    SELECT ti, substr(name, 5, 2) AS bucket, name FROM ${ident(raw)} ORDER BY ti, bucket, name`);
  const summary = await rowsOf(
    conn,
    `SELECT ti, substr(name, 5, 2) AS bucket, count(*) AS n, count(*) FILTER (WHERE done) AS done,
       min(name) AS first FROM ${ident(raw)} GROUP BY ALL ORDER BY ti, bucket`,
  );
  await conn.run(`DROP TABLE ${ident(raw)}`);
  for (const s of summary) {
    const t = targets[Number(s.ti)]!;
    const bucket = String(s.bucket);
    const keyPrefix = `provenance:${t.bundle}/${t.targetDir}:aggs:${bucket}:`;
    t.buckets.push({
      bundle: t.bundle,
      targetDir: t.targetDir,
      ti: Number(s.ti),
      bucket,
      count: Number(s.n),
      keyPrefix,
      key: `${keyPrefix}${Number(s.n)}/${Number(s.done)}`,
    });
    // The first aggregation of a target (ids sorted) says its entrypoint.
    if (t.entrypoint === '') t.entrypoint = await targetEntrypoint(t.dir, t.targetDir, String(s.first));
  }
  for (const t of targets)
    if (t.entrypoint === '') t.entrypoint = await targetEntrypoint(t.dir, t.targetDir, undefined);
  return targets;
}

/** The agg_* directory names of one bucket, sorted. */
export async function bucketDirs(conn: DuckDBConnection, b: AggBucket): Promise<string[]> {
  const rows = await rowsOf(
    conn,
    `SELECT name FROM ${ident(T.layout)}
     WHERE ti = ${literal(b.ti)} AND bucket = ${literal(b.bucket)} ORDER BY name`,
  );
  return rows.map((r) => String(r.name));
}
