// Confinement: a URL path may name only a regular file inside a store the user opened. Checked on
// the decoded segments (so `%2e%2e` is caught) and again on the real path (so a symlink that points
// out of the store is caught).
import { promises as fs } from 'node:fs';
import path from 'node:path';

export class ConfinementError extends Error {}

/** Decode URL path segments; refuse anything that could climb or is not a plain name. */
export function safeSegments(rawSegments: readonly string[]): string[] {
  if (rawSegments.length === 0) throw new ConfinementError('empty path');
  return rawSegments.map((raw) => {
    let seg: string;
    try {
      seg = decodeURIComponent(raw);
    } catch {
      throw new ConfinementError('malformed percent-encoding');
    }
    if (seg === '' || seg === '.' || seg === '..' || /[/\\\0]/.test(seg) || path.isAbsolute(seg)) {
      throw new ConfinementError(`refused path segment ${JSON.stringify(seg)}`);
    }
    return seg;
  });
}

/** Whether `candidate` (a real path) lies inside `root` (a real path). */
export function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  // Compare the first segment, not a prefix: `..hidden.parquet` is a name inside the store.
  return rel !== '' && rel.split(path.sep)[0] !== '..' && !path.isAbsolute(rel);
}

/** Resolve segments under a store root to a real file path inside it, or throw ConfinementError. */
export async function resolveInside(realRoot: string, rawSegments: readonly string[]): Promise<string> {
  const joined = path.join(realRoot, ...safeSegments(rawSegments));
  let real: string;
  try {
    real = await fs.realpath(joined);
  } catch {
    throw new ConfinementError('no such file');
  }
  if (!isInside(realRoot, real)) throw new ConfinementError('path leaves the store');
  const stat = await fs.stat(real);
  if (!stat.isFile()) throw new ConfinementError('not a file');
  return real;
}
