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

export type Parsed = { row: LossRow } | { bad: string };

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
  error?: { type?: unknown; message?: unknown } | null;
}

function param(spec: ParamSpec, v: unknown): ParamValue | string {
  if (v === null || v === undefined) return null;
  switch (spec.type) {
    case 'DOUBLE':
      return typeof v === 'number'
        ? v
        : `parameter ${spec.name} should be a number, got ${JSON.stringify(v)}`;
    case 'BIGINT':
      return typeof v === 'number' && Number.isInteger(v)
        ? BigInt(v)
        : `parameter ${spec.name} should be an integer, got ${JSON.stringify(v)}`;
    case 'BOOLEAN':
      return typeof v === 'boolean'
        ? v
        : `parameter ${spec.name} should be true/false, got ${JSON.stringify(v)}`;
    case 'VARCHAR':
      return typeof v === 'string' ? v : JSON.stringify(v);
  }
}

export function parseRecord(
  line: string,
  params: readonly ParamSpec[],
  defaultJobId: string,
  collectedAt: Date,
): Parsed {
  let r: RawRecord;
  try {
    r = JSON.parse(line);
  } catch (e) {
    return { bad: `bad JSON (${(e as Error).message})` };
  }
  if (typeof r !== 'object' || r === null || Array.isArray(r)) return { bad: 'not a JSON object' };
  if (typeof r.param_id !== 'string' || r.param_id === '') return { bad: 'missing param_id' };
  if (typeof r.target !== 'string' || r.target === '') return { bad: 'missing target' };
  const failed = r.error !== undefined && r.error !== null;
  if (!failed && (typeof r.loss !== 'number' || !Number.isFinite(r.loss))) {
    return { bad: `non-finite loss ${JSON.stringify(r.loss ?? null)} on an ok row` };
  }
  const raw = (typeof r.params === 'object' && r.params !== null ? r.params : {}) as Record<string, unknown>;
  const values: Record<string, ParamValue> = {};
  for (const p of params) {
    const v = param(p, raw[p.name]);
    if (typeof v === 'string' && p.type !== 'VARCHAR') return { bad: v };
    values[p.name] = v;
  }
  const unknown = Object.keys(raw).find((k) => !params.some((p) => p.name === k));
  if (unknown) return { bad: `parameter ${unknown} is not among the store's parameters` };
  const seeds =
    Array.isArray(r.seeds) && r.seeds.every((s) => typeof s === 'number' && s >= 0)
      ? r.seeds.map((s) => BigInt(s as number))
      : null;
  // A producer that already cut its diagnostics at the cap (losslens_dask) sends the cut JSON
  // text flagged as truncated; it is kept as that text, not re-encoded as a JSON string.
  const preCut = r.diagnostics_truncated === true && typeof r.diagnostics === 'string';
  const diag = preCut
    ? { text: capDiagnostics(r.diagnostics as string).text, truncated: true }
    : capDiagnostics(
        r.diagnostics === undefined || r.diagnostics === null ? null : JSON.stringify(r.diagnostics),
      );
  return {
    row: {
      job_id: typeof r.job_id === 'string' ? r.job_id : defaultJobId,
      param_id: r.param_id,
      target: shortTargetId(r.target),
      target_entrypoint: r.target,
      status: failed ? 'failed' : 'ok',
      loss: failed ? null : (r.loss as number),
      n_replicates: typeof r.n_replicates === 'number' ? Math.trunc(r.n_replicates) : null,
      seeds,
      params: values,
      diagnostics: diag.text,
      diagnostics_truncated: diag.truncated,
      error_type: failed ? String(r.error?.type ?? 'Error') : null,
      error_message: failed ? String(r.error?.message ?? '') : null,
      collected_at: collectedAt,
    },
  };
}

/** Parameter types from the first records: integers stay BIGINT unless a fraction shows up. */
export function inferParams(lines: readonly string[]): ParamSpec[] {
  const types = new Map<string, ParamSpec['type']>();
  for (const line of lines) {
    let raw: RawRecord;
    try {
      raw = JSON.parse(line);
    } catch {
      continue;
    }
    const params = (raw?.params ?? {}) as Record<string, unknown>;
    for (const [name, v] of Object.entries(params)) {
      const t =
        typeof v === 'boolean'
          ? 'BOOLEAN'
          : typeof v === 'number'
            ? Number.isInteger(v)
              ? 'BIGINT'
              : 'DOUBLE'
            : v === null
              ? null
              : 'VARCHAR';
      if (!t) continue;
      const prev = types.get(name);
      types.set(
        name,
        !prev || prev === t
          ? t
          : (prev === 'BIGINT' && t === 'DOUBLE') || (prev === 'DOUBLE' && t === 'BIGINT')
            ? 'DOUBLE'
            : 'VARCHAR',
      );
    }
  }
  return [...types].sort(([a], [b]) => a.localeCompare(b)).map(([name, type]) => ({ name, type }));
}
