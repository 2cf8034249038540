"""The publish gate of the recommend DAG: a new model goes live only if none of its ranking
metrics falls below the published model's by more than a tolerance."""
from __future__ import annotations

from dataclasses import dataclass

#: Metrics of the chosen model (``evaluation.json`` → ``chosen``) that must hold up.
GATED_METRICS = ("ndcg_at_10", "map_at_10", "precision_at_10", "recall_at_10")


@dataclass(frozen=True)
class Verdict:
    publish: bool
    reasons: tuple[str, ...]

    def summary(self) -> str:
        return "; ".join(self.reasons)


def judge(candidate: dict, published: dict | None, tolerance: float) -> Verdict:
    """Compares a staged evaluation with the published one.

    ``tolerance`` is relative: with 0.05 a metric may drop to 95 % of the published value.
    With nothing published yet the candidate goes live.
    """
    if not 0 <= tolerance < 1:
        raise ValueError(f"the tolerance must be a fraction in [0, 1), got {tolerance}")
    new = _chosen(candidate, "the staged evaluation")
    if published is None:
        return Verdict(True, ("nothing published yet",))
    old = _chosen(published, "the published evaluation")
    drops = []
    for metric in GATED_METRICS:
        floor = old[metric] * (1 - tolerance)
        if new[metric] < floor:
            drops.append(f"{metric} {new[metric]:.4f} < {floor:.4f} (published {old[metric]:.4f}, tolerance {tolerance:.0%})")
    if drops:
        return Verdict(False, tuple(drops))
    return Verdict(True, tuple(f"{m} {new[m]:.4f} vs published {old[m]:.4f}" for m in GATED_METRICS))


def _chosen(evaluation: dict, what: str) -> dict[str, float]:
    chosen = evaluation.get("chosen")
    if not isinstance(chosen, dict):
        raise ValueError(f"{what} has no 'chosen' model metrics")
    missing = [m for m in GATED_METRICS if not isinstance(chosen.get(m), (int, float))]
    if missing:
        raise ValueError(f"{what} lacks {', '.join(missing)}")
    return {m: float(chosen[m]) for m in GATED_METRICS}
