"""Worker-side collection: each aggregation task appends its own record to its worker process's
spool file under a shared folder and returns only a tiny Ack; `losslens collect SPOOL --follow`
tails the folder and commits shards until the runner writes `_DONE`.

Spool layout (read by electron/collector/sources/spool.ts):
  SPOOL/_SPOOL                              marker: {"format": "losslens-spool", "job_id": ...}
  SPOOL/<host>-<pid>-<token>-<seq>.ndjson   one writer process each, append-only, a new <seq>
                                            every max_bytes; never renamed or rewritten
  SPOOL/_DONE                               written by the runner once every task has finished
A process killed mid-write leaves at most one torn last line in its own file (a restarted worker
writes a new file); Dask recomputes that task, and a record written twice is kept once.
"""

import collections
import json
import os
import secrets
import socket
import threading
from pathlib import Path

from . import records
from .collector import Child, CollectorError

SPOOL_MARKER = "_SPOOL"
DONE_MARKER = "_DONE"
DEFAULT_MAX_BYTES = 64 * 1024 * 1024

Ack = collections.namedtuple("Ack", "param_id target status")


def _write_atomic(path, text):
    tmp = path.with_name(f".tmp-{path.name}-{os.getpid()}-{secrets.token_hex(4)}")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


class SpoolWriter:
    """Append-only NDJSON files of one process. Each record is one os.write of a whole line (no
    userspace buffer), so a record is in the file once append() returns."""

    def __init__(self, folder, max_bytes=DEFAULT_MAX_BYTES, fsync=False):
        self.folder = Path(folder)
        self.max_bytes = max_bytes
        self.fsync = fsync
        host = "".join(c if c.isalnum() or c in "-_" else "_" for c in socket.gethostname())[:40]
        self.token = f"{host}-{os.getpid()}-{secrets.token_hex(4)}"
        self.seq = -1
        self.fd = None
        self.size = 0
        self.lock = threading.Lock()

    def _roll(self):
        if self.fd is not None:
            os.close(self.fd)
        self.seq += 1
        path = self.folder / f"{self.token}-{self.seq:06d}.ndjson"
        self.fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND, 0o644)
        self.size = 0

    def append(self, data):
        with self.lock:
            if self.fd is None or (self.size > 0 and self.size + len(data) > self.max_bytes):
                self._roll()
            view = memoryview(data)
            while view:
                view = view[os.write(self.fd, view):]
            self.size += len(data)
            if self.fsync:
                os.fsync(self.fd)

    def close(self):
        with self.lock:
            if self.fd is not None:
                os.close(self.fd)
                self.fd = None


_writers = {}
_writers_lock = threading.Lock()


def writer_for(folder, max_bytes=DEFAULT_MAX_BYTES, fsync=False):
    """This process's writer for `folder` (a forked child gets its own file)."""
    key = (str(Path(folder).resolve()), os.getpid())
    with _writers_lock:
        w = _writers.get(key)
        if w is None:
            w = _writers[key] = SpoolWriter(folder, max_bytes, fsync)
        return w


class spooled:  # noqa: N801 - used like a function decorator
    """Wrap an aggregation function: `spooled(fn, spool_dir, job_id)(param_id, target, *args,
    **kwargs)` runs fn(*args, **kwargs), appends the record (or, if fn raised, a failed record
    with the exception's type and message) to this worker's spool file and returns an Ack.
    Failures are recorded, not raised, so a Dask retry never adds a second record after a first;
    a task re-run after a worker died writes its record again, and the collector keeps one.
    Pass `losslens_params={name: value}` to store parameter values beside the loss."""

    def __init__(self, fn, spool_dir, job_id, max_bytes=DEFAULT_MAX_BYTES, fsync=False):
        self.fn = fn
        self.spool_dir = str(spool_dir)
        self.job_id = str(job_id)
        self.max_bytes = max_bytes
        self.fsync = fsync
        self.__name__ = getattr(fn, "__name__", "aggregation")

    def __call__(self, param_id, target, *args, losslens_params=None, **kwargs):
        try:
            result = self.fn(*args, **kwargs)
            rec = records.result_record(self.job_id, param_id, target, result, losslens_params)
        except Exception as exc:  # noqa: BLE001 - a failed aggregation is a failed record
            rec = records.exception_record(self.job_id, param_id, target, exc, losslens_params)
        result = None
        writer_for(self.spool_dir, self.max_bytes, self.fsync).append(records.line(rec))
        return Ack(str(param_id), str(target), "failed" if "error" in rec else "ok")


class spool_collection:  # noqa: N801 - a context manager
    """The runner's side of worker-side collection:

        with spool_collection(job_id, "/shared/spool/JOB", output_path) as spool:
            agg = spool.wrap(aggregate_for_target)
            futures = [client.submit(agg, pid, target, sims, target) for ...]
            distributed.wait(futures)        # acks only
        # here _DONE is written and the collector has committed everything

    spool_dir must be visible to the workers and to this process. On an exception the collector
    is stopped (SIGTERM: committed shards stay; the store is marked failed) and a re-run with the
    same folders resumes. `.store` is the store's path."""

    def __init__(self, job_id, spool_dir, output_path=None, flush_seconds=2.0, on_error="skip"):
        self.job_id = str(job_id)
        self.spool_dir = Path(spool_dir)
        self.store = Path(output_path) if output_path is not None else Path(f"./losslens-{job_id}")
        self.flush_seconds = flush_seconds
        self.on_error = on_error
        self.child = None

    def __enter__(self):
        self.spool_dir.mkdir(parents=True, exist_ok=True)
        marker = self.spool_dir / SPOOL_MARKER
        if not marker.exists():
            _write_atomic(marker, json.dumps({"format": "losslens-spool", "version": 1, "job_id": self.job_id}) + "\n")
        # A folder reused by a restarted runner: the job is running again.
        (self.spool_dir / DONE_MARKER).unlink(missing_ok=True)
        self.child = Child([
            "collect", str(self.spool_dir), "--follow", "--out", str(self.store), "--job-id", self.job_id,
            "--flush-seconds", str(self.flush_seconds), "--progress", "none", "--on-error", self.on_error,
        ])
        return self

    def wrap(self, fn, **kw):
        return spooled(fn, self.spool_dir, self.job_id, **kw)

    def done(self, timeout=None):
        """Write _DONE and wait for the collector to commit the rest. Returns the store path."""
        if self.child.proc.returncode is None:
            _write_atomic(self.spool_dir / DONE_MARKER, "{}\n")
            self.child.wait(timeout=timeout)
        return self.store

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.done()
            return False
        # The runner failed: stop the follower without _DONE (a re-run resumes from the spool).
        if self.child.proc.poll() is None:
            self.child.proc.terminate()
            try:
                self.child.proc.wait(timeout=60)
            except Exception:  # noqa: BLE001
                self.child.kill()
        return False


def check_collector_alive(collection):
    """Raise if the follower has stopped early (e.g. a bad store path), naming its error."""
    code = collection.child.proc.poll()
    if code is not None:
        raise CollectorError(f"the spool collector exited with {code}: {collection.child.stderr_text().strip()}")
