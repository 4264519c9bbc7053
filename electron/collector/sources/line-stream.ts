// Complete lines of a byte stream with their byte offsets (so a committed batch can name the
// exact byte range it covers), and an idle tick so a stalled stream still flushes on time.
import type { Readable } from 'node:stream';

export interface Line {
  text: string;
  /** Byte offset just past this line's newline (or end of input). */
  end: number;
}

export type LineEvent = { kind: 'lines'; lines: Line[] } | { kind: 'idle' } | { kind: 'end' };

export async function* readLines(
  stream: Readable,
  startOffset: number,
  idleMs: () => number,
): AsyncGenerator<LineEvent> {
  const it = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
  let pending: Buffer = Buffer.alloc(0);
  let offset = startOffset;
  let next = it.next();
  for (;;) {
    let timer: NodeJS.Timeout | undefined;
    const idle = new Promise<'idle'>((resolve) => {
      timer = setTimeout(() => resolve('idle'), Math.max(1, idleMs()));
    });
    const r = await Promise.race([next, idle]);
    clearTimeout(timer);
    if (r === 'idle') {
      yield { kind: 'idle' };
      continue;
    }
    if (r.done) break;
    next = it.next();
    const chunk = typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
    const buf = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    const lines: Line[] = [];
    let from = 0;
    for (let nl = buf.indexOf(10, from); nl !== -1; nl = buf.indexOf(10, from)) {
      offset += nl + 1 - from;
      lines.push({ text: buf.toString('utf8', from, nl), end: offset });
      from = nl + 1;
    }
    pending = Buffer.from(buf.subarray(from));
    if (lines.length) yield { kind: 'lines', lines };
  }
  if (pending.length)
    yield { kind: 'lines', lines: [{ text: pending.toString('utf8'), end: offset + pending.length }] };
  yield { kind: 'end' };
}

/** Lines before `offset` in a file, for messages that name the line after a resume. */
export async function countLines(stream: Readable): Promise<number> {
  let n = 0;
  for await (const chunk of stream) {
    const b = chunk as Buffer;
    for (let i = b.indexOf(10); i !== -1; i = b.indexOf(10, i + 1)) n++;
  }
  return n;
}
