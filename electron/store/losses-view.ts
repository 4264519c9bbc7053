// The `losses` relation every native query of a store reads: the listed shard files (never a glob:
// an unlisted file may be half-written or retired) unioned by column name, or, with none, an empty
// relation of the store's columns so queries still bind. A caller that knows every file has the
// same columns (names, types, order) may leave out union_by_name: it reads every file's schema at
// each bind (168 shards: ~40 ms of each query, and ~10 ms more to free the plan).
import type { Manifest } from '../../shared/manifest.ts';
import { storeColumns } from '../../shared/schema.ts';
import { ident, str } from '../../shared/sql.ts';

/** A SELECT over `files` (absolute paths of listed, non-empty shards). */
export function lossesSelect(
  files: readonly string[],
  params: Manifest['params'],
  sameColumns = false,
): string {
  return files.length
    ? `SELECT * FROM read_parquet([${files.map(str).join(', ')}]${sameColumns ? '' : ', union_by_name = true'})`
    : `SELECT ${storeColumns(params)
        .map((c) => `NULL::${c.type} AS ${ident(c.name)}`)
        .join(', ')} WHERE false`;
}
