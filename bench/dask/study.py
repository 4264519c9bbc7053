"""The bench's aggregation: an AggregationReturn-shaped result with ~0.5 kB of diagnostics and
2 kB of outputs (what a naive gather pulls onto the client), ~2 % failing."""

from dataclasses import dataclass, field


@dataclass
class AggregationReturn:
    aggregation_id: str
    loss: float
    diagnostics: dict
    outputs: dict = field(default_factory=dict)
    n_replicates: int = 3


def aggregate(i):
    if i % 50 == 7:
        raise RuntimeError(f"aggregation {i} diverged")
    return AggregationReturn(
        aggregation_id=f"agg-{i}",
        loss=5.0 + (i * 37 % 1000) / 10,
        diagnostics={"target_type": "mean_signal", "n_sim_returns": 3, "per_replicate": [float(i)] * 40},
        outputs={"incidence": b"\0" * 2048},
    )
