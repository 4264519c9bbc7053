"""A running Dask study for e2e/dask-live.spec.ts: a real LocalCluster (2 worker processes) whose
aggregations take a while, collected with losslens_dask.collect_target_losses_streaming into the
store named on the command line, so the browser can watch the store grow while the cluster runs.
Usage: live_study.py STORE N_SETS DELAY_SECONDS"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "integrations" / "dask"))

from distributed import Client, LocalCluster  # noqa: E402

from losslens_dask import collect_target_losses_streaming  # noqa: E402
from tests import study  # noqa: E402


def main(store, n, delay):
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    client = Client(cluster)
    try:
        def submitting():
            for i in range(n):
                for t, name in enumerate(study.TARGETS):
                    yield study.param_id(i), name, client.submit(study.aggregate, i, t, delay, key=f"live-{i}-{t}")

        stats = {}
        collect_target_losses_streaming(client, "job-dask-live", submitting(), batch_size=20, output_path=store,
                                        flush_seconds=0.3, stats=stats)
        print(f"collected {stats['records']} records, {stats['failed']} failed", flush=True)
    finally:
        client.close()
        cluster.close()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), float(sys.argv[3]))
