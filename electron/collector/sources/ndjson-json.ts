// JSON as Python's json.dumps writes it: standard JSON plus the bare constants NaN, Infinity and
// -Infinity (a diverged loss, an empty mean). Native JSON.parse reads every clean line; only a
// line it rejects is scanned, outside strings, for those constants, which become sentinel
// strings for a second JSON.parse and then real numbers again (an iterative walk: no reviver,
// which recurses and overflows on deeply nested diagnostics).

const SENTINELS = new Map<string, number>([
  ['\u0000NaN', Number.NaN],
  ['\u0000Infinity', Number.POSITIVE_INFINITY],
  ['\u0000-Infinity', Number.NEGATIVE_INFINITY],
]);
const CONSTANTS = ['-Infinity', 'Infinity', 'NaN'] as const;

function isWordChar(c: string | undefined): boolean {
  return c !== undefined && /[A-Za-z0-9_$]/.test(c);
}

/** The text with NaN/Infinity/-Infinity outside strings turned into sentinel strings, or null if none. */
export function substitutePythonConstants(text: string): string | null {
  let out = '';
  let from = 0;
  let found = false;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') {
      inString = true;
      continue;
    }
    if (c !== 'N' && c !== 'I' && c !== '-') continue;
    const name = CONSTANTS.find((k) => text.startsWith(k, i));
    if (!name || isWordChar(text[i - 1]) || isWordChar(text[i + name.length])) continue;
    out += `${text.slice(from, i)}"\\u0000${name}"`;
    i += name.length - 1;
    from = i + 1;
    found = true;
  }
  return found ? out + text.slice(from) : null;
}

/** Sentinel strings back into numbers, in place, without recursion. */
function restoreConstants(root: unknown): unknown {
  if (typeof root === 'string') return SENTINELS.get(root) ?? root;
  const stack: unknown[] = [root];
  while (stack.length) {
    const node = stack.pop();
    if (typeof node !== 'object' || node === null) continue;
    const obj = node as Record<string, unknown>;
    for (const k of Object.keys(obj)) {
      const v = obj[k];
      if (typeof v === 'string') {
        const n = SENTINELS.get(v);
        if (n !== undefined) obj[k] = n;
      } else if (typeof v === 'object' && v !== null) stack.push(v);
    }
  }
  return root;
}

/** Parse one line of Python-dialect JSON; throws JSON.parse's SyntaxError for anything else. */
export function parsePythonJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const substituted = substitutePythonConstants(text);
    if (substituted === null) throw e;
    let value: unknown;
    try {
      value = JSON.parse(substituted);
    } catch {
      throw e; // the line is bad for another reason: report it against the user's own text
    }
    return restoreConstants(value);
  }
}
