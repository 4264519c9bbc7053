"""The bench's Dask cluster in its own process (scheduler + 2 worker processes), so the client
processes measured by client.py hold only what a job runner's client holds. Prints the scheduler
address, then runs until its stdin closes."""

import sys

from distributed import LocalCluster

if __name__ == "__main__":
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    print(cluster.scheduler_address, flush=True)
    sys.stdin.read()
    cluster.close()
