"""The fast finite check used at pipeline entry must be exact."""

from __future__ import annotations

import numpy as np
import pytest

import multiaug as ma
from multiaug.core.fields import all_finite


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("where", [0, 777, -1])
def test_any_non_finite_value_is_found(dtype: type, bad: float, where: int) -> None:
    x = np.random.default_rng(0).standard_normal(5000).astype(dtype)
    assert all_finite(x)
    x[where] = bad
    assert not all_finite(x)
    assert not all_finite(x.reshape(50, 100))
    assert not all_finite(x.reshape(50, 100).T)  # not C-contiguous: the exact path


def test_huge_finite_values_whose_squares_overflow_are_still_finite() -> None:
    x = np.full(100, 3e38, dtype=np.float32)  # x * x overflows float32: the exact fallback decides
    assert all_finite(x)
    assert all_finite(np.array([1e300, -1e300]))


def test_non_contiguous_and_empty_arrays() -> None:
    x = np.ones((10, 10), np.float32)[:, ::2]
    assert all_finite(x)
    assert all_finite(np.zeros(0, np.float32))


def test_pipeline_entry_rejects_nan_audio_and_float_images() -> None:
    pipe = ma.Pipeline([ma.Identity()], seed=0)
    audio = np.zeros(16000, np.float32)
    audio[12345] = np.nan
    with pytest.raises(ma.AugmentationError, match="NaN"):
        pipe({"audio": audio, "sample_rate": 16000})
    image = np.zeros((8, 8, 3), np.float32)
    image[3, 4, 1] = np.inf
    with pytest.raises(ma.AugmentationError, match="NaN or infinite"):
        pipe(image)
