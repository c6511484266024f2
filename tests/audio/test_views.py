"""RandomCrop returns a view of its input: no pipeline that contains it may change the caller's array."""

from __future__ import annotations

import numpy as np
import pytest

import multiaug as ma
from multiaug import audio as A
from multiaug.core.registry import available, get
from tests.contract.cases.audio import CASES

SR = 16000


def _audio(channels: int) -> np.ndarray:
    rng = np.random.default_rng(channels)
    t = np.arange(SR // 2) / SR
    x = 0.3 * np.sin(2 * np.pi * 330 * t) + 0.05 * rng.standard_normal(t.size)
    x[2000:2100] += 0.4
    x = x.astype(np.float32)
    return x if channels == 0 else np.stack([x, -0.5 * x][:channels])


def _audio_steps() -> list[ma.Augmenter]:
    """Every registered audio step with an audio kernel, built as the contract tests build it, forced to fire."""
    steps = []
    for name in available("audio"):
        cls = get(name)
        if "audio" not in cls.kernels():
            continue
        case = CASES.get(name)
        steps.append(cls(**(case.kwargs if case else {}), p=1.0))
    return steps


def test_random_crop_returns_a_view_with_the_right_samples() -> None:
    x = np.arange(16, dtype=np.float32)
    out, rec = ma.Pipeline([A.RandomCrop(duration=0.5, p=1.0)], seed=0)({"audio": x, "sample_rate": 8},
                                                                          return_record=True)
    start = rec["steps"][0]["params"]["start"]
    assert np.shares_memory(out["audio"], x)  # no copy, as audiomentations does
    assert out["audio"].tolist() == x[start : start + 4].tolist()


@pytest.mark.parametrize("channels", [0, 2])
def test_no_pipeline_with_random_crop_modifies_the_callers_array(channels: int) -> None:
    steps = _audio_steps()
    assert len(steps) >= 20  # the registry really was walked
    x = _audio(channels)
    before = x.copy()
    crop = A.RandomCrop(duration=0.4, p=1.0)
    short = A.RandomCrop(duration=0.3, position="center", p=1.0)
    for seed, step in enumerate(steps):
        for order in ([crop, step], [step, crop], [crop, step, short, step]):
            out = ma.Pipeline(order, seed=seed)({"audio": x, "sample_rate": SR})
            assert np.array_equal(x, before), f"{[s.name for s in order]} changed the caller's array"
            assert out["audio"] is not x
    # replaying a record goes through the same kernels
    pipe = ma.Pipeline([crop, *steps[:5]], seed=1)
    _, rec = pipe({"audio": x, "sample_rate": SR}, return_record=True)
    pipe.replay(rec, {"audio": x, "sample_rate": SR})
    assert np.array_equal(x, before)


def test_random_crop_view_of_converted_input_never_aliases_the_callers_int16_array() -> None:
    pcm = (np.arange(8000, dtype=np.int64) % 2000 - 1000).astype(np.int16)
    out = ma.Pipeline([A.RandomCrop(duration=0.25, p=1.0)], seed=0)({"audio": pcm, "sample_rate": 8000})
    assert out["audio"].dtype == np.float32 and not np.shares_memory(out["audio"], pcm)
