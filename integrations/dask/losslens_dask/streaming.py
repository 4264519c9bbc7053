"""Client-side streaming: results are fetched in bounded batches as their futures complete and
written as NDJSON into a `losslens collect -` child, which commits shards while the study runs.

Memory on the client is bounded by `batch_size` results plus a window of futures being tracked
(as_completed keeps a coroutine per tracked future, so it is fed from the caller's list as it
drains instead of all at once), never by the number of aggregations.
"""

import signal
import subprocess
import time
from pathlib import Path

from distributed import Future, as_completed

from . import records
from .collector import Child, CollectorError
from .store import scan_store


def _entries(aggregation_futures, default_target):
    for item in aggregation_futures:
        if len(item) == 2:
            param_id, future = item
            target = default_target
        elif len(item) == 3:
            param_id, target, future = item
        else:
            raise ValueError(f"expected (param_id, future) or (param_id, target, future), got {item!r}")
        if not isinstance(future, Future):
            raise TypeError(f"{param_id}: expected a distributed.Future, got {type(future).__name__}")
        yield str(param_id), str(target), future


def _params_for(params, param_id):
    if params is None:
        return None
    return params(param_id) if callable(params) else params.get(param_id)


def _unraised(exc):
    """A future's exception is its state's own object, kept in client.futures while the future
    lives. Raised through this module it carries a traceback of these frames and their locals (the
    batch: every future in it), so each failed aggregation kept its whole batch, states and keys
    alive on the client (and its results in the cluster) until the end. Future.result re-attaches
    the remote traceback on each raise, so dropping ours loses nothing."""
    exc.__traceback__ = None
    return exc


def _outcomes(client, futures):
    """(future, result, exception) for each finished future; results fetched in one gather."""
    ok = [f for f in futures if f.status == "finished"]
    try:
        results = dict(zip((f.key for f in ok), client.gather(ok))) if ok else {}
    except Exception as exc:  # noqa: BLE001 - a future lost and failed since it finished: ask one by one
        _unraised(exc)
        results = {}
    for f in futures:
        if f.key in results:
            yield f, results.pop(f.key), None
            continue
        if f.status == "error":
            # Asked for, not raised: nothing of this frame is attached to the future's exception.
            yield f, None, f.exception()
            continue
        try:
            result = f.result()  # lost or cancelled: may wait for Dask to recompute it
        except BaseException as exc:  # noqa: BLE001 - a failed aggregation is data, not a crash
            if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                raise
            yield f, None, _unraised(exc)
            continue
        yield f, result, None


def collect_target_losses_streaming(
    client,
    job_id,
    aggregation_futures,
    batch_size=100,
    output_path=None,
    *,
    target="default",
    params=None,
    flush_seconds=2.0,
    on_error="skip",
    as_frame=False,
    stats=None,
    linger=0.25,
):
    """Collect every (param_id, target) loss of `aggregation_futures` into a Losslens store.

    aggregation_futures: (param_id, future) or (param_id, target, future), in a list or any
    iterable: it is read as the collection drains, so a generator that submits as it goes keeps
    only a window of futures (max(4 * batch_size, 1000)) alive on the client. A future's result is
    an AggregationReturn (attributes loss, n_replicates, diagnostics, outputs) or a dict with
    those keys. A future that raised becomes a failed record with the exception's type and
    message. `outputs` are never collected.
    batch_size: at most this many results are held on the client at once.
    output_path: the store folder (default ./losslens-<job_id>); an existing store is resumed and
    pairs it already holds are kept once (counted as duplicates in its warnings).
    target: the target of (param_id, future) pairs. params: {param_id: {name: value}} or a
    function of param_id, to store parameter values beside each loss.
    as_frame: return a lazy frame over the store (polars, else duckdb) instead of its path.
    stats: a dict to fill with records, failed, batches and max_held.
    linger: seconds a finished result may wait for its batch to fill before it is fetched (one
    gather per batch, not per record, while results trickle in).
    Returns the store's path.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    out = Path(output_path) if output_path is not None else Path(f"./losslens-{job_id}")
    st = stats if stats is not None else {}
    st.update(records=0, failed=0, batches=0, max_held=0)
    child = Child(
        ["collect", "-", "--out", str(out), "--job-id", str(job_id), "--flush-seconds", str(flush_seconds),
         "--progress", "none", "--on-error", on_error],
        stdin=subprocess.PIPE,
    )
    pipe = child.proc.stdin

    def send(chunk):
        try:
            pipe.write(chunk)
        except BrokenPipeError:
            child.proc.wait()
            raise CollectorError(f"the collector stopped while receiving records: {child.stderr_text().strip()}") from None

    def write_batch(batch, ids):
        chunk = bytearray()
        for fut, result, exc in _outcomes(client, batch):
            waiting = ids[fut.key]
            param_id, tgt = waiting.pop()
            if not waiting:
                del ids[fut.key]
            p = _params_for(params, param_id)
            if exc is None:
                rec = records.result_record(job_id, param_id, tgt, result, p)
            else:
                rec = records.exception_record(job_id, param_id, tgt, exc, p)
            st["failed"] += "error" in rec
            st["records"] += 1
            chunk += records.line(rec)
            result = None
        # One gather per batch: at most len(batch) results are on the client at once.
        st["max_held"] = max(st["max_held"], len(batch))
        st["batches"] += 1
        send(bytes(chunk))

    window = max(4 * batch_size, 1000)
    try:
        source = _entries(aggregation_futures, target)
        ids = {}  # future key -> [(param_id, target)], only for futures being tracked
        ac = as_completed()

        def feed():
            entry = next(source, None)
            if entry is None:
                return False
            param_id, tgt, fut = entry
            ids.setdefault(fut.key, []).append((param_id, tgt))
            ac.add(fut)
            return True

        for _ in range(window):
            if not feed():
                break
        pending = []
        first_at = 0.0
        # While results trickle in (the cluster is the limit), writing whenever nothing else was
        # ready meant a gather per record: ~0.7 ms of client CPU each, taken from the workers on
        # a shared machine. A finished result now waits up to `linger` seconds (in the cluster,
        # not here) for its batch to fill; the wait is a poll, since as_completed has no timeout.
        while True:
            if ac.has_ready():
                fut = next(ac)
                feed()
                if not pending:
                    first_at = time.monotonic()
                pending.append(fut)
                if len(pending) >= batch_size:
                    write_batch(pending, ids)
                    pending = []
            elif pending and time.monotonic() - first_at >= linger:
                write_batch(pending, ids)
                pending = []
            elif ac.is_empty():
                break
            else:
                time.sleep(0.005)
        if pending:
            write_batch(pending, ids)
    except BaseException:
        # The input did not reach its end: a clean EOF would mark a partial store `complete`.
        # SIGINT makes the collector keep what it committed and mark the store interrupted (a
        # re-run resumes it); the pipe is closed after, so the signal is seen first.
        try:
            child.proc.send_signal(signal.SIGINT)
        except (ProcessLookupError, OSError):
            pass
        try:
            pipe.close()
        except BrokenPipeError:
            pass
        try:
            child.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            child.kill()
        raise
    try:
        pipe.close()
    except BrokenPipeError:
        pass
    child.wait()
    return scan_store(out) if as_frame else out
