// JSON text of a parsed value that may be nested too deeply for JSON.stringify (which recurses:
// a diagnostics object nested 5,000 deep overflows the stack, while JSON.parse reads it fine).
// Clean values go through the native JSON.stringify; only one that overflows is written by an
// iterative serializer that cuts containers below MAX_JSON_DEPTH to null and says it did.

/** Containers deeper than this are written as null when a value is too deep for JSON.stringify. */
export const MAX_JSON_DEPTH = 100;

interface Frame {
  node: Record<string, unknown> | unknown[];
  keys: string[] | null;
  i: number;
}

function scalar(v: unknown): string {
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'null';
  if (typeof v === 'string' || typeof v === 'boolean') return JSON.stringify(v);
  return 'null';
}

function iterativeJson(root: unknown, maxDepth: number): { text: string; cut: boolean } {
  if (typeof root !== 'object' || root === null) return { text: scalar(root), cut: false };
  let out = '';
  let cut = false;
  const stack: Frame[] = [];
  // Returns true when the value opened a container that is now on the stack.
  const open = (v: unknown): boolean => {
    if (typeof v !== 'object' || v === null) {
      out += scalar(v);
      return false;
    }
    if (stack.length >= maxDepth) {
      out += 'null';
      cut = true;
      return false;
    }
    const isArray = Array.isArray(v);
    out += isArray ? '[' : '{';
    stack.push({
      node: v as Frame['node'],
      keys: isArray ? null : Object.keys(v).filter((k) => (v as Record<string, unknown>)[k] !== undefined),
      i: 0,
    });
    return true;
  };
  open(root);
  while (stack.length) {
    const f = stack[stack.length - 1]!;
    const n = f.keys ? f.keys.length : (f.node as unknown[]).length;
    if (f.i >= n) {
      out += f.keys ? '}' : ']';
      stack.pop();
      continue;
    }
    if (f.i > 0) out += ',';
    const i = f.i++;
    if (f.keys) {
      const k = f.keys[i]!;
      out += `${JSON.stringify(k)}:`;
      open((f.node as Record<string, unknown>)[k]);
    } else open((f.node as unknown[])[i]);
  }
  return { text: out, cut };
}

/** JSON text of `value`, and whether containers were cut for depth. */
export function boundedJson(value: unknown): { text: string; cut: boolean } {
  try {
    return { text: JSON.stringify(value) ?? 'null', cut: false };
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    return iterativeJson(value, MAX_JSON_DEPTH);
  }
}
