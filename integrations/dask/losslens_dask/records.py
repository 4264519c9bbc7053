"""One aggregation outcome -> one NDJSON record, in the shape the collector's NDJSON source reads:
{"job_id","param_id","target","params","loss","n_replicates","seeds","diagnostics","error"}.

Only the loss, replicate count and (capped) diagnostics leave the result: `outputs` (tables) never
do, so a record stays small however large the aggregation's artifacts are.
"""

import json
import math

# The store's cap (shared/schema.ts DIAGNOSTICS_CAP_BYTES): diagnostics JSON longer than this in
# UTF-8 is cut and flagged, so a 1 MB legacy dict does not travel to the collector whole.
DIAGNOSTICS_CAP_BYTES = 64 * 1024


def _plain(value):
    """JSON-safe copy: non-finite floats become null (as JavaScript's JSON.stringify does),
    numpy scalars/arrays their Python values, anything else unknown its str()."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_plain(v) for v in value]
    item = getattr(value, "tolist", None) or getattr(value, "item", None)
    if callable(item):
        try:
            return _plain(item())
        except Exception:  # noqa: BLE001 - a diagnostics value must never fail the record
            pass
    return str(value)


def dumps(obj):
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def cap_diagnostics(diagnostics):
    """(value, truncated): the diagnostics as an object when their JSON fits the cap, else the
    JSON text cut at the cap on a character boundary (the store keeps it as text, flagged)."""
    if diagnostics is None:
        return None, False
    plain = _plain(diagnostics)
    text = dumps(plain)
    if len(text) * 4 <= DIAGNOSTICS_CAP_BYTES:
        return plain, False
    raw = text.encode("utf-8")
    if len(raw) <= DIAGNOSTICS_CAP_BYTES:
        return plain, False
    return raw[:DIAGNOSTICS_CAP_BYTES].decode("utf-8", errors="ignore"), True


def _field(result, name, default=None):
    if isinstance(result, dict):
        return result.get(name, default)
    return getattr(result, name, default)


def failed_record(job_id, param_id, target, error_type, message, params=None):
    rec = {"job_id": job_id, "param_id": str(param_id), "target": str(target)}
    if params:
        rec["params"] = _plain(params)
    rec["error"] = {"type": str(error_type), "message": str(message)}
    return rec


def exception_record(job_id, param_id, target, exc, params=None):
    return failed_record(job_id, param_id, target, type(exc).__name__, exc, params)


def result_record(job_id, param_id, target, result, params=None):
    """A record from modelops' AggregationReturn (attributes) or a dict with the same keys.
    A loss that is missing or not finite is not a loss: the record says so as a failure."""
    loss = _field(result, "loss")
    try:
        loss = float(loss)
    except (TypeError, ValueError):
        return failed_record(job_id, param_id, target, "InvalidLoss", f"aggregation returned loss={loss!r}", params)
    if not math.isfinite(loss):
        return failed_record(job_id, param_id, target, "NonFiniteLoss", f"aggregation returned loss={loss!r}", params)
    rec = {"job_id": job_id, "param_id": str(param_id), "target": str(target), "loss": loss}
    if params:
        rec["params"] = _plain(params)
    n = _field(result, "n_replicates")
    if isinstance(n, (int, float)) and not isinstance(n, bool) and math.isfinite(n):
        rec["n_replicates"] = int(n)
    seeds = _field(result, "seeds")
    if isinstance(seeds, (list, tuple)):
        rec["seeds"] = [int(s) for s in seeds]
    diag, truncated = cap_diagnostics(_field(result, "diagnostics"))
    if diag is not None:
        rec["diagnostics"] = diag
        if truncated:
            rec["diagnostics_truncated"] = True
    return rec


def line(record):
    """One NDJSON line (bytes, newline-terminated)."""
    return (dumps(record) + "\n").encode("utf-8")
