"""Collect the losses of a Dask study into a Losslens store without gathering the results.

Client-side: collect_target_losses_streaming(client, job_id, futures, batch_size=100).
Worker-side: spool_collection(...).wrap(aggregate) / spooled(...), followed by
`losslens collect SPOOL --follow`. Summary: loss_summary(store, "loss_summary.parquet").
Standard library + distributed only; the collector is the `losslens` CLI (LOSSLENS_BIN or PATH).
"""

from .collector import CollectorError, collector_command
from .records import DIAGNOSTICS_CAP_BYTES, exception_record, result_record
from .spool import Ack, SpoolWriter, spool_collection, spooled
from .store import info, iter_summary, loss_summary, manifest, scan_store, shard_paths
from .streaming import collect_target_losses_streaming

__all__ = [
    "Ack",
    "CollectorError",
    "DIAGNOSTICS_CAP_BYTES",
    "SpoolWriter",
    "collect_target_losses_streaming",
    "collector_command",
    "exception_record",
    "info",
    "iter_summary",
    "loss_summary",
    "manifest",
    "result_record",
    "scan_store",
    "shard_paths",
    "spool_collection",
    "spooled",
]
