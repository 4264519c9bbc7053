// Which statements the page may run on the host: exactly one, of four shapes the views use —
// a query, EXPLAIN of a query (the WHERE check), CREATE TEMP TABLE/VIEW name AS query (derived
// tables) and DROP TABLE/VIEW [IF EXISTS] name. The shape is decided by *parsing only*, before
// DuckDB binds anything (binding can already touch files: EXPORT creates its folder there), with
// DuckDB's own parser deciding what is a query (`json_serialize_sql` serialises SELECTs only).
// COPY, EXPORT, ATTACH, INSTALL/LOAD, SET/RESET, PRAGMA, CALL, INSERT, … never get prepared.
// After preparing, DuckDB's statement type must agree with the shape.
import {
  type DuckDBConnection,
  type DuckDBPreparedStatement,
  type DuckDBResultReader,
  StatementType,
} from '@duckdb/node-api';

import { PRESET_PREFIX } from './native-presets.ts';

export class RefusedStatement extends Error {}

/** A name as DuckDB matches it: quotes removed, case folded. */
export const bareName = (name: string) => name.replace(/^"|"$/g, '').replaceAll('""', '"').toLowerCase();

const NAME = '(?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)';
const CREATE = new RegExp(
  String.raw`^\s*CREATE\s+(?:OR\s+REPLACE\s+)?(?:TEMP|TEMPORARY)\s+(?:TABLE|VIEW)\s+${NAME}\s+AS\s+([\s\S]+)$`,
  'i',
);
const DROP = new RegExp(String.raw`^\s*DROP\s+(?:TABLE|VIEW)\s+(?:IF\s+EXISTS\s+)?(${NAME})\s*;?\s*$`, 'i');
const EXPLAIN = /^\s*EXPLAIN\s+([\s\S]+)$/i;

const ALLOWED =
  'only a query (SELECT/WITH/FROM), EXPLAIN of a query, CREATE TEMP TABLE name AS query, DROP TABLE name';

type Shape = 'query' | 'explain' | 'create' | 'drop';
const TYPE_OF: Record<Shape, StatementType> = {
  query: StatementType.SELECT,
  explain: StatementType.EXPLAIN,
  create: StatementType.CREATE,
  drop: StatementType.DROP,
};

/**
 * Parse only: is `text` exactly one query statement? The verdict is computed in DuckDB (no JSON of
 * the parse tree crosses into JavaScript) by a statement prepared once per connection: ~1 ms a
 * query less than running `json_serialize_sql` afresh and parsing its output here.
 */
async function isQuery(conn: DuckDBConnection, text: string): Promise<boolean> {
  let check = checks.get(conn);
  if (!check) {
    check = conn.prepare(
      `SELECT coalesce(json_extract(j, '$.error')::BOOLEAN = false AND json_array_length(j, '$.statements') = 1, false) AS q
       FROM (SELECT json_serialize_sql($1::VARCHAR)::JSON AS j)`,
    );
    checks.set(conn, check);
    check.catch(() => checks.delete(conn));
  }
  const prepared = await check;
  prepared.bindVarchar(1, text);
  const r = await prepared.runAndReadAll();
  return r.getRowsJS()[0]?.[0] === true;
}

/** Each connection's prepared parse check (a lane runs one statement at a time on it). */
const checks = new WeakMap<DuckDBConnection, Promise<DuckDBPreparedStatement>>();

/** The shape of one statement that is not a plain query. */
async function shapeOf(conn: DuckDBConnection, sql: string): Promise<Shape> {
  const drop = DROP.exec(sql);
  if (drop) {
    // The store's view is shared by every client of the store: a client may shadow it with a
    // temp view of its own, never remove it for the others.
    if (/^"?losses"?$/i.test(drop[1] ?? ''))
      throw new RefusedStatement('the store’s losses view cannot be dropped');
    if (bareName(drop[1] ?? '').startsWith(PRESET_PREFIX))
      throw new RefusedStatement(
        'the host’s pre-aggregates are shared by every client and cannot be dropped',
      );
    return 'drop';
  }
  const create = CREATE.exec(sql);
  if (create && (await isQuery(conn, create[1] ?? ''))) return 'create';
  const explain = EXPLAIN.exec(sql);
  if (explain) {
    if (/^\s*(analy[sz]e|\()/i.test(explain[1] ?? '')) {
      throw new RefusedStatement(
        'EXPLAIN ANALYZE runs its statement: only a plain EXPLAIN of a query is allowed',
      );
    }
    if (await isQuery(conn, explain[1] ?? '')) return 'explain';
  }
  const word = /^\s*([A-Za-z]+)/.exec(sql)?.[1]?.toUpperCase() ?? 'this';
  throw new RefusedStatement(`${word} statements are not allowed here: ${ALLOWED}`);
}

/**
 * Verdicts by exact text: the shape is decided by parsing alone (no catalog, no connection state),
 * so the same text always gets the same one, and the views send the same SQL again and again (a
 * count at every data version, pages scrolled back to). A repeat then costs one prepare instead of
 * three parses (~1 ms of a 2.4 ms count on the host). Refusals are not kept.
 */
const shapes = new Map<string, Shape>();
const SHAPES_KEPT = 512;

function remember(sql: string, shape: Shape): void {
  shapes.delete(sql);
  shapes.set(sql, shape);
  if (shapes.size > SHAPES_KEPT) shapes.delete(shapes.keys().next().value as string);
}

async function verdict(conn: DuckDBConnection, sql: string): Promise<Shape> {
  const known = shapes.get(sql);
  if (known) return known;
  // A query is exactly one statement by DuckDB's parser already; the other shapes are counted.
  let shape: Shape = 'query';
  if (!(await isQuery(conn, sql))) {
    const extracted = await conn.extractStatements(sql); // parses, binds nothing
    if (extracted.count !== 1) {
      throw new RefusedStatement(
        `the host runs one SQL statement per query; this text has ${extracted.count} (split at ";")`,
      );
    }
    shape = await shapeOf(conn, sql);
  }
  remember(sql, shape);
  return shape;
}

/**
 * Runs `sql` on `conn` to its end, or throws RefusedStatement naming what was wrong. A query (one
 * SELECT by DuckDB's own parser, above) runs as it is: preparing it first would bind it twice (the
 * prepared statement is bound again when it runs), and on a store of many shards each bind reads
 * every footer's schema (168 shards: a page 140 → 45 ms). The other shapes are prepared, and run
 * only if DuckDB's statement type agrees with the shape the text was given.
 */
export async function runAllowed(conn: DuckDBConnection, sql: string): Promise<DuckDBResultReader> {
  const shape = await verdict(conn, sql);
  if (shape === 'query') return conn.runAndReadAll(sql);
  // One statement (checked above): DuckDB refuses to prepare more than one at once anyway.
  const prepared = await conn.prepare(sql);
  try {
    if (prepared.statementType !== TYPE_OF[shape])
      throw new RefusedStatement(`this statement is not what it looks like: ${ALLOWED}`);
    return await prepared.runAndReadAll();
  } finally {
    prepared.destroySync();
  }
}
