"""Fusion of consecutive steps: same draws, same records, same outputs as running them one by one."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import multiaug as ma
from multiaug.core import fusion
from multiaug.core.fusion import draw, register_fuser

from .steps import AppendWord

CALLS: list[int] = []
DECLINE: list[bool] = [False]


class AddToLabel(ma.Augmenter):
    """Adds a random integer to ``label``; fusable (the sums compose)."""

    name = "testing.AddToLabel"
    fusion = "testing.add"

    def __init__(self, high: int = 10, p: float = 1.0) -> None:
        super().__init__(p=p)
        self.high = high

    def make_params(self, sample: ma.Sample, rng: np.random.Generator) -> dict[str, Any]:
        return {"n": int(rng.integers(self.high))}

    def apply_label(self, value: int, params: dict[str, Any], sample: ma.Sample) -> int:
        return value + params["n"]


@register_fuser("testing.add")
def _fuse_adds(steps, sample, rng, record):  # type: ignore[no-untyped-def]
    if DECLINE[0]:
        return None
    CALLS.append(len(steps))
    total = 0
    for step in steps:
        params = draw(step, sample, rng, record)
        if params is not None:
            total += params["n"]
    return sample.derive({"label": sample["label"] + total})


def _pipe(seed: int) -> ma.Pipeline:
    return ma.Pipeline(
        [
            AddToLabel(p=0.7),
            AddToLabel(high=100, p=0.5),
            AddToLabel(),
            AppendWord(),
            AddToLabel(high=1000, p=0.5),
            ma.Sequential([AddToLabel(high=7), AddToLabel(high=3, p=0.5)]),
        ],
        seed=seed,
    )


@pytest.fixture(autouse=True)
def _reset() -> None:
    CALLS.clear()
    DECLINE[0] = False


@pytest.mark.parametrize("seed", range(20))
def test_fused_run_equals_unfused_run_and_replay(seed: int) -> None:
    sample = {"label": 0, "text": "x"}
    fused, rec = _pipe(seed)(sample, index=seed, return_record=True)
    assert CALLS == [3, 2]  # the first three steps, then the nested pair; the lone step is not fused
    with fusion.disabled():
        plain, plain_rec = _pipe(seed)(sample, index=seed, return_record=True)
    assert fused == plain
    assert rec == plain_rec
    assert _pipe(seed).replay(rec, sample) == fused


def test_the_fused_total_is_the_sum_of_the_recorded_draws() -> None:
    out, rec = ma.Pipeline([AddToLabel(), AddToLabel(), AddToLabel()], seed=3)({"label": 5}, return_record=True)
    assert out["label"] == 5 + sum(entry["params"]["n"] for entry in rec["steps"])


def test_a_declining_fuser_leaves_the_steps_to_run_one_by_one() -> None:
    DECLINE[0] = True
    out, rec = _pipe(1)({"label": 0, "text": "x"}, index=4, return_record=True)
    with fusion.disabled():
        plain, plain_rec = _pipe(1)({"label": 0, "text": "x"}, index=4, return_record=True)
    assert (out, rec) == (plain, plain_rec)
    assert CALLS == []


def test_disabled_restores_fusion_after_an_error() -> None:
    with pytest.raises(RuntimeError), fusion.disabled():
        raise RuntimeError("boom")
    _pipe(0)({"label": 0, "text": "x"})
    assert CALLS
