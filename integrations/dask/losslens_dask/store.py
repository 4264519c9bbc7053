"""Reading a loss store from Python without pyarrow: its manifest (store.json) lists the shards;
a lazy frame is polars' or duckdb's own scan over exactly those files; the job runner's summary
is computed by the collector (native DuckDB) into a file, so nothing is gathered here."""

import json
import os
from pathlib import Path

from .collector import run


def manifest(store):
    with open(Path(store) / "store.json", encoding="utf-8") as f:
        return json.load(f)


def shard_paths(store):
    """The store's listed shards with rows (never a glob: an unlisted file may be half-written)."""
    m = manifest(store)
    return [str(Path(store) / s["path"]) for s in m["shards"] if s["rows"] > 0]


def scan_store(store):
    """A lazy frame over the store: polars.LazyFrame where polars is installed, else a duckdb
    relation. Neither is a dependency of this package; without them, say how to get one."""
    files = shard_paths(store)
    try:
        import polars as pl
    except ImportError:
        pl = None
    if pl is not None:
        return pl.scan_parquet(files) if files else pl.LazyFrame()
    try:
        import duckdb
    except ImportError:
        raise ImportError(
            f"a lazy frame over {store} needs polars or duckdb: `pip install polars` (or duckdb); "
            f"without them, open the store with `losslens start {store}` or read its shards "
            "(losslens_dask.shard_paths) with any parquet reader"
        ) from None
    return duckdb.read_parquet(files, union_by_name=True)


def info(store):
    """`losslens info STORE --json`: counts, per-target ok/failed/missing, warnings."""
    return json.loads(run(["info", os.fspath(store), "--json"]))


def loss_summary(store, out):
    """The job runner's per-parameter-set summary (param_id, mean_loss, std_loss, min_loss,
    n_ok, n_failed and the parameters) written by the collector to `out` (.parquet, .csv or
    .ndjson, by extension), computed in DuckDB over the shards. Returns out."""
    run(["info", os.fspath(store), "--summary", os.fspath(out)])
    return Path(out)


def iter_summary(path):
    """Rows of an .ndjson summary one at a time (for a client with no parquet reader)."""
    with open(path, encoding="utf-8") as f:
        for text in f:
            if text.strip():
                yield json.loads(text)
