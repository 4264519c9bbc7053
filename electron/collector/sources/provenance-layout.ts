// The aggregation side of a provenance store, as stable units for resume and partitions:
// `token/v1/aggs/<bundle-12>/target_<entrypoint, / → _>/agg_<id>/`. Aggregations are grouped in
// buckets by the first two characters of their id, so a bucket's membership does not move when a
// running job adds aggregations elsewhere; a bucket's fingerprint (aggregations, results present)
// tells a re-run whether it changed since it was committed.
import { promises as fs } from 'node:fs';
import path from 'node:path';

export interface AggBucket {
  bundle: string;
  targetDir: string;
  /** Input-key prefix shared by every commit of this bucket, whatever its fingerprint. */
  keyPrefix: string;
  /** The key committed with this bucket's rows: prefix + fingerprint. */
  key: string;
  aggDirs: string[];
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

export async function readAggLayout(aggsRoot: string): Promise<AggTarget[]> {
  const targets: AggTarget[] = [];
  for (const bundle of await subdirs(aggsRoot, '')) {
    for (const targetDir of await subdirs(path.join(aggsRoot, bundle), 'target_')) {
      const dir = path.join(aggsRoot, bundle, targetDir);
      const aggs = await subdirs(dir, 'agg_');
      const byBucket = new Map<string, string[]>();
      for (const a of aggs) {
        const b = a.slice(4, 6);
        const list = byBucket.get(b) ?? [];
        list.push(a);
        byBucket.set(b, list);
      }
      const buckets: AggBucket[] = [];
      for (const [b, list] of [...byBucket].sort(([x], [y]) => (x < y ? -1 : 1))) {
        let done = 0;
        for (let i = 0; i < list.length; i += 64) {
          const slice = list.slice(i, i + 64);
          const has = await Promise.all(slice.map((a) => hasFile(path.join(dir, a, 'result.json'))));
          done += has.filter(Boolean).length;
        }
        const keyPrefix = `provenance:${bundle}/${targetDir}:aggs:${b}:`;
        buckets.push({
          bundle,
          targetDir,
          keyPrefix,
          key: `${keyPrefix}${list.length}/${done}`,
          aggDirs: list,
        });
      }
      targets.push({
        bundle,
        targetDir,
        dir,
        entrypoint: await targetEntrypoint(dir, targetDir, aggs[0]),
        buckets,
      });
    }
  }
  return targets;
}
