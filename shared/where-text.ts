// A lexical gate for the user's free-text filter before DuckDB sees it. The expression is pasted
// inside `WHERE (…)`, so it must not close that parenthesis early, end the statement, or comment
// out the rest of the query; DuckDB (EXPLAIN) then checks that it is a valid expression.

/** `null` when the text can sit inside parentheses as one expression, else why not. */
export function whereTextProblem(text: string): string | null {
  let depth = 0;
  let quote: "'" | '"' | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = null; // a doubled quote re-opens on the next character
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === '(') depth++;
    else if (c === ')') {
      if (--depth < 0) return `unbalanced ")" at character ${i + 1}`;
    } else if (c === ';') return 'only one expression is allowed (found ";")';
    else if ((c === '-' && text[i + 1] === '-') || (c === '/' && text[i + 1] === '*'))
      return 'comments are not allowed in a filter';
  }
  if (quote) return `unterminated ${quote === "'" ? 'string' : 'quoted name'}`;
  if (depth > 0) return 'unbalanced "("';
  return null;
}
