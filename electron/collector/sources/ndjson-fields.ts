// The checks on one NDJSON record's fields: each value either fits its store column exactly
// (INTEGER n_replicates, UBIGINT seeds, BIGINT/DOUBLE/BOOLEAN/VARCHAR parameters) or is named
// as bad with what to do, so no value ever fails inside DuckDB's appender without a line.
import { parse as losslessParse } from 'lossless-json';
import {
  BIGINT_LIMIT,
  INTEGER_MAX,
  type ParamSpec,
  type ParamValue,
  UBIGINT_LIMIT,
} from '../../../shared/schema.ts';
import { boundedJson } from '../bounded-json.ts';
import { substitutePythonConstants } from './ndjson-json.ts';

export interface Bad {
  bad: string;
  fix: string;
}

export const bad = (what: string, fix: string): Bad => ({ bad: what, fix });

function shown(v: unknown): string {
  if (typeof v === 'number') return String(v);
  return boundedJson(v ?? null).text.slice(0, 80);
}

/** The loss of an ok record, or why it is bad. */
export function okLoss(v: unknown): number | Bad {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  const asFailed = 'write the record with an "error" object (it is then stored as failed)';
  if (typeof v === 'number') {
    // NaN / Infinity: what Python's json.dumps writes for a diverged loss.
    return bad(
      `loss is ${v} (not finite) on an ok record`,
      `A loss that diverged is a failed evaluation: ${asFailed}`,
    );
  }
  if (v !== undefined && v !== null) {
    return bad(`loss ${shown(v)} is not a number`, `Write the loss as a JSON number, or ${asFailed}`);
  }
  return bad(
    `non-finite loss ${shown(v ?? null)} on an ok row`,
    `Give the record a numeric loss, or ${asFailed}`,
  );
}

export function nReplicates(v: unknown): number | null | Bad {
  if (v === undefined || v === null) return null;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= INTEGER_MAX) return v;
  return bad(
    `n_replicates ${shown(v)} is not a whole number from 0 to ${INTEGER_MAX}`,
    'Write n_replicates as the count of replicates (or leave it out)',
  );
}

function roundedInteger(s: unknown): boolean {
  return typeof s === 'number' && Number.isInteger(s) && !Number.isSafeInteger(s);
}

const UBIGINT_END = BigInt(UBIGINT_LIMIT);
const SEED_FIX = 'Seeds must be whole numbers from 0 to 2^64-1 (UBIGINT)';

/** Seeds as exact integers: JSON.parse rounds integers above 2^53, so such a line is re-read losslessly. */
export function seeds(v: unknown, line: string): bigint[] | null | Bad {
  if (v === undefined || v === null) return null;
  if (!Array.isArray(v)) return bad(`seeds ${shown(v)} is not a list`, SEED_FIX);
  let exact: unknown[] = v;
  if (v.some(roundedInteger)) {
    try {
      const text = substitutePythonConstants(line) ?? line;
      const raw = losslessParse(text, null, (digits: string) => digits) as { seeds?: unknown };
      if (Array.isArray(raw?.seeds) && raw.seeds.length === v.length) exact = raw.seeds;
    } catch {
      // Too deep for the lossless parser: keep JSON.parse's values, checked below.
    }
  }
  const out: bigint[] = new Array(exact.length);
  for (let i = 0; i < exact.length; i++) {
    const s = exact[i];
    if (typeof s === 'number' && Number.isSafeInteger(s) && s >= 0) out[i] = BigInt(s);
    else if (typeof s === 'string' && /^\d+$/.test(s) && BigInt(s) < UBIGINT_END) out[i] = BigInt(s);
    else return bad(`seeds[${i}] = ${typeof s === 'string' ? s : shown(s)} is not a valid seed`, SEED_FIX);
  }
  return out;
}

function typed(spec: ParamSpec, v: unknown, what: string): Bad {
  return bad(
    `parameter ${spec.name} should be ${what}, got ${shown(v)}`,
    `The store's ${spec.name} column is ${spec.type}: write every record's ${spec.name} that way, or collect into a new store`,
  );
}

export function param(spec: ParamSpec, v: unknown): ParamValue | Bad {
  if (v === null || v === undefined) return null;
  switch (spec.type) {
    case 'DOUBLE':
      return typeof v === 'number' ? v : typed(spec, v, 'a number');
    case 'BIGINT':
      if (typeof v !== 'number' || !Number.isInteger(v)) return typed(spec, v, 'an integer');
      if (v < -BIGINT_LIMIT || v >= BIGINT_LIMIT) return typed(spec, v, 'an integer within ±2^63 (BIGINT)');
      return BigInt(v);
    case 'BOOLEAN':
      return typeof v === 'boolean' ? v : typed(spec, v, 'true/false');
    case 'VARCHAR':
      return typeof v === 'string' ? v : boundedJson(v).text;
  }
}

/** error_type / error_message of a failed record: an object {type, message}, or a bare message. */
export function errorFields(e: unknown): { type: string; message: string } {
  const text = (v: unknown) => (typeof v === 'string' ? v : boundedJson(v).text);
  if (typeof e === 'object' && e !== null && !Array.isArray(e)) {
    const o = e as { type?: unknown; message?: unknown };
    return {
      type: o.type === undefined || o.type === null ? 'Error' : text(o.type),
      message: o.message === undefined || o.message === null ? '' : text(o.message),
    };
  }
  return { type: 'Error', message: text(e) };
}
