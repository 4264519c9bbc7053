// A collector error names where (file and line/row), what was wrong and how to fix it, so the
// CLI can print it as is and the app can show it without a stack trace.
export class CollectError extends Error {
  constructor(
    readonly file: string,
    readonly where: string | null,
    readonly what: string,
    readonly fix: string,
  ) {
    super(`${file}${where ? `, ${where}` : ''}: ${what}. ${fix}`);
    this.name = 'CollectError';
  }
}

export const SKIP_HINT = 'Fix the input, or re-run with --on-error skip to skip such records';

/** A short example for store.json warnings: location and reason. */
export function example(file: string, where: string, what: string): string {
  return `${file}, ${where}: ${what}`.slice(0, 300);
}

/**
 * The run was asked to stop (Ctrl+C, SIGTERM). What was committed stays; the same command
 * resumes. Thrown before the next shard starts, never in the middle of one.
 */
export class InterruptedError extends Error {
  constructor(readonly signal: string) {
    super(`interrupted by ${signal}: shards already committed are kept; re-run the same command to resume`);
    this.name = 'InterruptedError';
  }
}

/** A bad record's own fix, then the way past it. */
export function skipHint(fix: string): string {
  return `${fix}; or re-run with --on-error skip to skip such records`;
}
