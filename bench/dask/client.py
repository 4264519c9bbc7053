"""One measured client: connect to the bench cluster, submit N aggregations, then
  compute  wait for them, fetch nothing (the cluster's own throughput),
  compute-lazy  the generator's submission pattern (one submit per task, a window of 1000 refilled
           as tasks finish, as the lazy collection reads it), waited for, nothing fetched,
  stream   collect_target_losses_streaming(batch_size=100) into a store, over the list of futures,
  lazy     the same over a generator that submits as the collection drains (no list of N futures),
  gather   the note's BAD example: client.gather(all futures) and a row per result,
and print JSON: seconds from submit to collected, records/s, the client's RSS after submitting
and its peak RSS (getrusage), the collector child's peak RSS, and the CPU seconds each used."""

import json
import os
import resource
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "integrations" / "dask"))
sys.path.insert(0, str(HERE))

from distributed import Client, as_completed, wait  # noqa: E402

import study  # noqa: E402
from losslens_dask import collect_target_losses_streaming  # noqa: E402


def rss_mb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main(address, mode, n, store):
    client = Client(address)
    t0 = time.perf_counter()
    if mode == "compute-lazy":
        after_submit = rss_mb()
        source = (client.submit(study.aggregate, i, key=f"bench-{os.getpid()}-{i}") for i in range(n))
        ac = as_completed([f for _, f in zip(range(1000), source)])
        for _ in ac:
            nxt = next(source, None)
            if nxt is not None:
                ac.add(nxt)
    elif mode == "lazy":
        def submitting():
            for i in range(n):
                yield f"{i:064x}", "targets.bench:loss", client.submit(study.aggregate, i, key=f"bench-{os.getpid()}-{i}")

        after_submit = rss_mb()
        collect_target_losses_streaming(client, "bench", submitting(), batch_size=100, output_path=store)
    else:
        futures = client.map(study.aggregate, range(n), key=[f"bench-{os.getpid()}-{i}" for i in range(n)])
        pairs = [(f"{i:064x}", "targets.bench:loss", f) for i, f in enumerate(futures)]
        after_submit = rss_mb()
    if mode == "compute":
        wait(futures)
    elif mode == "stream":
        collect_target_losses_streaming(client, "bench", pairs, batch_size=100, output_path=store)
    elif mode == "gather":
        results = client.gather(futures, errors="skip")
        rows = [{"param_id": p, "loss": r.loss, "n_replicates": r.n_replicates, "diagnostic_keys": list(r.diagnostics)}
                for (p, _, _), r in zip(pairs, results)]
        del rows, results
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    child = kids.ru_maxrss / 1024
    client.close()
    print(json.dumps({"mode": mode, "n": n, "seconds": seconds, "records_per_s": n / seconds,
                      "rss_after_submit_mb": after_submit, "peak_rss_mb": peak, "collector_peak_rss_mb": child,
                      "client_cpu_s": me.ru_utime + me.ru_stime, "collector_cpu_s": kids.ru_utime + kids.ru_stime}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] if len(sys.argv) > 4 else None)
