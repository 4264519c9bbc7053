// DuckDB's complaint about a filter, told against the text the user typed: validation runs the
// expression unwrapped (where-text.ts has already ruled out early closes, `;` and comments), so a
// syntax error points at the user's own token or "the end of your filter", never at a ")" of ours,
// and the caret becomes a character position in their text.
import { LOSSES } from './filter-sql.ts';

export const WHERE_PREFIX = `EXPLAIN SELECT 1 FROM ${LOSSES} WHERE `;

/** The validation query: the user's expression as they typed it. */
export function explainWhereText(expr: string): string {
  return `${WHERE_PREFIX}${expr}`;
}

export function whereErrorText(expr: string, error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const lines = text.split('\n');
  let head = lines[0]?.trim() || text;
  if (/syntax error at end of input/.test(head)) {
    const last = expr.trim().split(/\s+/).at(-1) ?? '';
    return `Parser Error: the filter ends too early: something is missing after "${last}"`;
  }
  const candidates = lines.find((l) => l.startsWith('Candidate bindings:'));
  const suggestion = candidates?.match(/"([^"]+)"/)?.[1]?.replace(/^losses\./, '');
  if (suggestion && /Referenced column/.test(head))
    head = `${head.replace(/!$/, '')}: did you mean ${suggestion}?`;
  const at = caretPosition(lines);
  return at !== null && at >= 0 && at < expr.length ? `${head} (at character ${at + 1} of the filter)` : head;
}

/** Where DuckDB's caret points inside the user's text, when its echo of the query is not elided. */
function caretPosition(lines: readonly string[]): number | null {
  const i = lines.findIndex((l) => l.startsWith('LINE 1: '));
  const echo = lines[i];
  const caret = lines[i + 1];
  if (i < 0 || !echo || caret === undefined || !echo.startsWith(`LINE 1: ${WHERE_PREFIX}`)) return null;
  const col = caret.indexOf('^');
  return col < 0 ? null : col - 'LINE 1: '.length - WHERE_PREFIX.length;
}
