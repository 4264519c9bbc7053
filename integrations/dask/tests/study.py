"""A synthetic study for the tests: deterministic aggregations (about 2 % raise), results shaped
like modelops' AggregationReturn, and a count of how many results are alive in this process
(objects unpickled here), so a test can bound what the client holds without timing anything."""

import hashlib
import threading
import time
from dataclasses import dataclass, field

TARGETS = ["targets.incidence:incidence_mean_signal_target", "targets.hospital:hospital_loglik", "default"]

_lock = threading.Lock()
LIVE = 0
MAX_LIVE = 0


def reset_live():
    global MAX_LIVE
    with _lock:
        MAX_LIVE = LIVE


@dataclass
class AggregationReturn:
    aggregation_id: str
    loss: float
    diagnostics: dict
    outputs: dict = field(default_factory=dict)
    n_replicates: int = 3

    def __setstate__(self, state):
        global LIVE, MAX_LIVE
        self.__dict__.update(state)
        with _lock:
            LIVE += 1
            MAX_LIVE = max(MAX_LIVE, LIVE)
        self._counted = True

    def __del__(self):
        global LIVE
        if self.__dict__.get("_counted"):
            with _lock:
                LIVE -= 1


def param_id(i):
    return hashlib.blake2b(f"contracts:param:v1|{i}".encode(), digest_size=32).hexdigest()


def fails(i, t):
    return int(hashlib.sha256(f"{i}/{t}".encode()).hexdigest()[:8], 16) % 50 == 0


def error_of(i, t):
    if t % 2 == 0:
        return KeyError(f"Required output 'incidence' missing in replicates [{i}]")
    return RuntimeError(f"aggregation {i} diverged")


def loss_of(i, t):
    return -100.0 - i / 7 if TARGETS[t].endswith("loglik") else 5.0 + (i * 37 % 1000) / 10


def aggregate(i, t, delay=0.0):
    if delay:
        time.sleep(delay)
    if fails(i, t):
        raise error_of(i, t)
    diagnostics = {"target_type": "mean_signal", "n_sim_returns": 3, "target_name": TARGETS[t]}
    if i == 1:
        diagnostics["per_replicate"] = ["é" * 40_000]  # 80 kB of UTF-8: over the store's cap
    return AggregationReturn(
        aggregation_id=f"agg-{i}-{t}",
        loss=loss_of(i, t),
        diagnostics=diagnostics,
        outputs={"incidence": b"\0" * 2000},  # never collected
    )


def expected(n):
    """Every record the study should yield: {(param_id, target short id): (loss | None, error)}."""
    out = {}
    for i in range(n):
        for t, name in enumerate(TARGETS):
            short = name.rsplit(":", 1)[-1]
            if fails(i, t):
                e = error_of(i, t)
                out[(param_id(i), short)] = (None, (type(e).__name__, str(e)))
            else:
                out[(param_id(i), short)] = (loss_of(i, t), None)
    return out
