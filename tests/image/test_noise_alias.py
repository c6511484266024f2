"""Gaussian noise on uint8 by the alias method: exactly the 65536-quantile distribution, applied with saturation."""

from __future__ import annotations

import numpy as np
import pytest

import multiaug as ma
from multiaug import image as I
from multiaug.image import noise_alias as na
from multiaug.image.functional import _normal_quantiles, gaussian_noise


def _all_draws(tables: tuple[np.ndarray, ...]) -> np.ndarray:
    """The noise value of each of the 65536 (slot byte, second byte) pairs."""
    positive, negative, threshold, alias = tables
    slot = np.repeat(np.arange(256), 256)
    second = np.tile(np.arange(256), 256)
    chosen = np.where(second < threshold[slot], slot, alias[slot])
    return positive[chosen].astype(int) - negative[chosen].astype(int)


@pytest.mark.parametrize(("sigma255", "shift"), [(0.0, 0), (0.4, 0), (5.1, 0), (12.75, 3), (25.5, 0), (28.0, -10),
                                                 (20.0, 240), (20.0, -250)])
def test_alias_tables_give_exactly_the_quantile_distribution(sigma255: float, shift: int) -> None:
    tables = na.normal_alias(sigma255, shift)
    assert tables is not None
    want = np.clip(_normal_quantiles(sigma255).astype(int) + shift, -255, 255)  # beyond 255 saturation is the same
    assert np.array_equal(np.sort(_all_draws(tables)), np.sort(want))


def test_too_many_values_fall_back_to_the_table_lookup() -> None:
    assert na.normal_alias(40.0, 0) is None  # about 300 distinct values
    assert na.alias_slots(list(range(257)), [255] * 256 + [256]) is None
    img = np.full((128, 128, 3), 128, np.uint8)
    out = gaussian_noise(img, 40.0 / 255, 0.0, 1, True)
    assert (out.astype(float) - 128).std() == pytest.approx(40.0, rel=0.05)


def test_the_noise_is_added_with_saturation_and_follows_the_seed() -> None:
    mid = np.full((64, 48, 3), 128, np.uint8)
    noise = gaussian_noise(mid, 0.08, 0.0, 7, True).astype(int) - 128  # |noise| < 128 at this sigma
    assert np.abs(noise).max() < 128 and noise.std() == pytest.approx(0.08 * 255, rel=0.05)
    for level in (0, 5, 250, 255):
        img = np.full_like(mid, level)
        assert np.array_equal(gaussian_noise(img, 0.08, 0.0, 7, True), np.clip(level + noise, 0, 255))
    assert not np.array_equal(gaussian_noise(mid, 0.08, 0.0, 8, True), noise + 128)


def test_layouts_shared_noise_and_views() -> None:
    img = np.random.default_rng(0).integers(0, 256, (40, 30, 3), np.uint8)
    mid = np.full((40, 30, 3), 128, np.uint8)
    same = gaussian_noise(mid, 0.05, 0.0, 3, per_channel=False)
    assert (same[..., 0] == same[..., 1]).all() and (same[..., 1] == same[..., 2]).all()
    shared = same[..., :1].astype(int) - 128  # each channel of a real image gets that one noise, clipped
    assert np.array_equal(gaussian_noise(img, 0.05, 0.0, 3, per_channel=False), np.clip(img + shared, 0, 255))
    view = img[:, ::2]
    assert np.array_equal(gaussian_noise(view, 0.05, 0.0, 3, True),
                          gaussian_noise(np.ascontiguousarray(view), 0.05, 0.0, 3, True))
    assert gaussian_noise(img[..., :1], 0.05, 0.0, 3, True).shape == (40, 30, 1)
    assert gaussian_noise(img[..., 0], 0.05, 0.0, 3, True).shape == (40, 30)
    assert gaussian_noise(np.zeros((0, 4, 3), np.uint8), 0.05, 0.0, 3, True).shape == (0, 4, 3)


def test_drawn_std_is_on_the_grid_and_a_fixed_std_is_exact() -> None:
    assert na.snap_sigma(0.05) == na.snap_sigma(0.05002) and na.snap_sigma(0.0) == 0.0
    assert abs(na.snap_sigma(0.05) / 0.05 - 1) < 0.003
    fixed = ma.Pipeline([I.GaussianNoise(std_range=(0.05, 0.05), p=1)], seed=0)
    _, rec = fixed(np.zeros((4, 4, 3), np.uint8), return_record=True)
    assert rec["steps"][0]["params"]["std"] == 0.05
    drawn = ma.Pipeline([I.GaussianNoise(std_range=(0.02, 0.1), p=1)], seed=0)
    stds = {drawn(np.zeros((4, 4, 3), np.uint8), index=i, return_record=True)[1]["steps"][0]["params"]["std"]
            for i in range(200)}
    assert all(0.02 <= s <= 0.1 for s in stds) and len(stds) < 200  # grid points repeat
    assert all(s in (0.02, 0.1) or s == na.snap_sigma(s) for s in stds)
