// One NDJSON record → one LossRow, or the reason it is bad. Record shape:
// {"job_id","param_id","target","params":{...},"loss","n_replicates","seeds","diagnostics",
//  "error":{"type","message"}} — `error` present means the aggregation failed.
import {
  capDiagnostics,
  type LossRow,
  type ParamSpec,
  type ParamValue,
  shortTargetId,
} from '../../../shared/schema.ts';
import { boundedJson } from '../bounded-json.ts';
import { widen } from '../param-types.ts';
import { type Bad, bad, errorFields, nReplicates, okLoss, param, seeds } from './ndjson-fields.ts';
import { parsePythonJson } from './ndjson-json.ts';

export type Parsed = { row: LossRow } | Bad;

interface RawRecord {
  job_id?: unknown;
  param_id?: unknown;
  target?: unknown;
  params?: unknown;
  loss?: unknown;
  n_replicates?: unknown;
  seeds?: unknown;
  diagnostics?: unknown;
  diagnostics_truncated?: unknown;
  error?: unknown;
}

const isBad = (v: unknown): v is Bad => typeof v === 'object' && v !== null && 'bad' in v;

export function parseRecord(
  line: string,
  params: readonly ParamSpec[],
  defaultJobId: string,
  collectedAt: Date,
  /** Parameter names refused for the store (see paramNameProblem), with the reason. */
  refused: ReadonlyMap<string, Bad> = new Map(),
): Parsed {
  let r: RawRecord;
  try {
    r = parsePythonJson(line) as RawRecord;
  } catch (e) {
    return bad(`bad JSON (${(e as Error).message})`, 'Write one JSON object per line');
  }
  if (typeof r !== 'object' || r === null || Array.isArray(r))
    return bad('not a JSON object', 'Write one JSON object per line');
  if (typeof r.param_id !== 'string' || r.param_id === '')
    return bad('missing param_id', 'Every record needs the id of its parameter set as "param_id"');
  if (typeof r.target !== 'string' || r.target === '')
    return bad('missing target', 'Every record needs its target entrypoint as "target"');
  const target = shortTargetId(r.target);
  if (target === '') {
    return bad(
      `target ${JSON.stringify(r.target)} has an empty short id (the part after the last ':' or '/')`,
      'Name the target as module:name, e.g. "targets.incidence:incidence_loss"',
    );
  }
  const failed = r.error !== undefined && r.error !== null && r.error !== false;
  const loss = failed ? null : okLoss(r.loss);
  if (isBad(loss)) return loss;
  if (
    r.params !== undefined &&
    r.params !== null &&
    (typeof r.params !== 'object' || Array.isArray(r.params))
  ) {
    return bad(
      `params ${boundedJson(r.params).text.slice(0, 80)} is not an object`,
      'Write params as {"name": value, …}',
    );
  }
  const raw = (r.params ?? {}) as Record<string, unknown>;
  const values: Record<string, ParamValue> = {};
  for (const p of params) {
    const v = param(p, raw[p.name]);
    if (isBad(v)) return v;
    values[p.name] = v;
  }
  const unknown = Object.keys(raw).find((k) => !params.some((p) => p.name === k));
  if (unknown !== undefined) {
    const why = refused.get(unknown);
    if (why) return why;
    return bad(
      `parameter ${JSON.stringify(unknown)} is not among the store's parameters`,
      "A store's parameters are fixed when it is created: collect this input into a new store with --out",
    );
  }
  const reps = nReplicates(r.n_replicates);
  if (isBad(reps)) return reps;
  const seedList = seeds(r.seeds, line);
  if (isBad(seedList)) return seedList;
  // A producer that already cut its diagnostics at the cap (losslens_dask) sends the cut JSON
  // text flagged as truncated; it is kept as that text, not re-encoded as a JSON string.
  const diag =
    r.diagnostics_truncated === true && typeof r.diagnostics === 'string'
      ? { text: capDiagnostics(r.diagnostics).text, truncated: true }
      : diagnosticsText(r.diagnostics);
  const error = failed ? errorFields(r.error) : null;
  return {
    row: {
      job_id: typeof r.job_id === 'string' ? r.job_id : defaultJobId,
      param_id: r.param_id,
      target,
      target_entrypoint: r.target,
      status: failed ? 'failed' : 'ok',
      loss,
      n_replicates: reps,
      seeds: seedList,
      params: values,
      diagnostics: diag.text,
      diagnostics_truncated: diag.truncated,
      error_type: error?.type ?? null,
      error_message: error?.message ?? null,
      collected_at: collectedAt,
    },
  };
}

/** Diagnostics as JSON text, capped in bytes (DIAGNOSTICS_CAP_BYTES) and in depth (boundedJson). */
function diagnosticsText(v: unknown): { text: string | null; truncated: boolean } {
  if (v === undefined || v === null) return { text: null, truncated: false };
  const json = boundedJson(v);
  const capped = capDiagnostics(json.text);
  return { text: capped.text, truncated: capped.truncated || json.cut };
}

function paramType(v: unknown): ParamSpec['type'] | null {
  if (typeof v === 'boolean') return 'BOOLEAN';
  // Integers beyond 2^53 were floats to the writer (Python prints 1e30 for a float, never for an int).
  if (typeof v === 'number') return Number.isSafeInteger(v) ? 'BIGINT' : 'DOUBLE';
  return v === null || v === undefined ? null : 'VARCHAR';
}

export interface Inferred {
  params: ParamSpec[];
  /** Line of the first record naming each parameter, for messages about the name. */
  lineOf: Map<string, number>;
}

/** Parameter types from the first records: integers stay BIGINT unless a fraction shows up. */
export function inferParams(lines: readonly { text: string; lineNo: number }[]): Inferred {
  const types = new Map<string, ParamSpec['type']>();
  const lineOf = new Map<string, number>();
  for (const { text, lineNo } of lines) {
    let raw: RawRecord;
    try {
      raw = parsePythonJson(text) as RawRecord;
    } catch {
      continue;
    }
    const params = (raw?.params ?? {}) as Record<string, unknown>;
    if (typeof params !== 'object' || params === null) continue;
    for (const [name, v] of Object.entries(params)) {
      if (!lineOf.has(name)) lineOf.set(name, lineNo);
      const t = paramType(v);
      if (!t) continue;
      const prev = types.get(name);
      types.set(name, prev ? widen(prev, t) : t);
    }
  }
  const params = [...types].sort(([a], [b]) => a.localeCompare(b)).map(([name, type]) => ({ name, type }));
  return { params, lineOf };
}
