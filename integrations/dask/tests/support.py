"""Shared test plumbing: the repository's collector, native DuckDB (through @duckdb/node-api, the
same engine but not the collector's code path) over a store's listed shards, a LocalCluster."""

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
CLI = REPO / "bin" / "losslens.mjs"
os.environ.setdefault("LOSSLENS_BIN", str(CLI))

_DUCK = """
const { DuckDBInstance } = await import('@duckdb/node-api');
const db = await DuckDBInstance.create(':memory:');
const c = await db.connect();
const r = await c.runAndReadAll(process.argv[1]);
process.stdout.write(JSON.stringify(r.getRowObjectsJson()));
"""


def duck(sql):
    r = subprocess.run(["node", "--input-type=module", "-e", _DUCK, sql], cwd=REPO, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(r.stderr)
    return json.loads(r.stdout)


def relation(store):
    m = json.loads((Path(store) / "store.json").read_text())
    files = ", ".join("'" + str(Path(store) / s["path"]).replace("'", "''") + "'" for s in m["shards"] if s["rows"] > 0)
    return f"read_parquet([{files}], union_by_name = true)"


def tempdir(test, name):
    d = tempfile.mkdtemp(prefix=f"losslens-py-{name}-")
    test.addCleanup(shutil.rmtree, d, True)
    return Path(d)


def cluster():
    from distributed import Client, LocalCluster

    c = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    return c, Client(c)


def worker_pids(client):
    return client.run(os.getpid)
