// Native DuckDB echoes the query with a caret; the position is reported in the user's own text.
import { DuckDBInstance } from '@duckdb/node-api';
import { expect, it } from 'vitest';
import { explainWhereText, whereErrorText } from './where-error.ts';

it("points at the user's own character, not at SQL around it", async () => {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  await conn.run('CREATE VIEW losses AS SELECT 1.0 AS loss, 0.3 AS param_beta');
  const expr = 'loss < 3 AND param_bta > 1';
  const error = await conn.run(explainWhereText(expr)).then(
    () => null,
    (e: unknown) => e,
  );
  conn.closeSync();
  db.closeSync();
  const message = whereErrorText(expr, error);
  expect(message).toContain('did you mean param_beta?');
  expect(message).toContain(`at character ${expr.indexOf('param_bta') + 1} of the filter`);
});
