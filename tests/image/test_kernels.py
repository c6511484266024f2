"""The fast kernels against plain NumPy statements of what they compute, on real photographs."""

from __future__ import annotations

import colorsys

import numpy as np
import pytest

import multiaug as ma
from multiaug import image as I
from multiaug.image import base
from multiaug.image import functional as F

LUMA = np.array([0.299, 0.587, 0.114])


def reference_lut(fn) -> np.ndarray:
    x = np.arange(256, dtype=np.float64) / 255.0
    return np.clip(np.rint(fn(x) * 255.0), 0, 255).astype(np.uint8)


@pytest.mark.parametrize("seed", range(5))
def test_tables_equal_the_rounded_clipped_function(seed: int) -> None:
    rng = np.random.default_rng(seed)
    for _ in range(200):
        a, m, b, g = rng.uniform(0, 3), rng.random(), rng.uniform(-1, 1), rng.uniform(0.2, 5)

        def linear(x, a=a, m=m, b=b):
            return (x - m) * a + m + b

        def gamma(x, g=g):
            return x**g

        np.testing.assert_array_equal(F.lut_from(linear), reference_lut(linear))
        np.testing.assert_array_equal(F.linear_lut(a, m, b), reference_lut(linear))
        np.testing.assert_array_equal(F.lut_from(gamma), reference_lut(gamma))
    # ties round half to even, as np.rint; out-of-range values saturate
    np.testing.assert_array_equal(F.lut_from(lambda x: np.full_like(x, 2.5 / 255)), np.full(256, 2, np.uint8))
    np.testing.assert_array_equal(F.lut_from(lambda x: x * 0 - 3.0), np.zeros(256, np.uint8))
    np.testing.assert_array_equal(F.lut_from(lambda x: 0.5), np.full(256, 128, np.uint8))


def test_apply_lut_on_views_and_layouts(chelsea: np.ndarray) -> None:
    lut = (255 - np.arange(256)).astype(np.uint8)
    for img in (chelsea, chelsea[:, ::2], chelsea[10:50, 20:90], chelsea[:, :, 1], chelsea[:, :, :1]):
        out = F.apply_lut(img, lut)
        np.testing.assert_array_equal(out, 255 - img)
        assert out.shape == img.shape and out.flags.writeable and out.flags.c_contiguous
        assert not np.shares_memory(out, img)
    tables = np.stack([np.arange(256), 255 - np.arange(256), np.full(256, 7)], axis=1).astype(np.uint8)
    expected = np.dstack([chelsea[..., 0], 255 - chelsea[..., 1], np.full(chelsea.shape[:2], 7)])
    np.testing.assert_array_equal(F.apply_lut(chelsea, tables), expected)


def test_brightness_contrast_table_pivots_on_the_exact_mean(coffee: np.ndarray) -> None:
    step = I.RandomBrightnessContrast(p=1)
    params = {"brightness": 0.07, "contrast": 0.3}
    m = coffee.mean(dtype=np.float64) / 255
    expected = reference_lut(lambda x: (x - m) * 1.3 + m + 0.07)[coffee]
    np.testing.assert_array_equal(step.apply_image(coffee, params, None), expected)
    # without a contrast change the mean is never needed
    table = step.point_lut({"brightness": 0.1, "contrast": 0.0}, lambda: pytest.fail("mean asked for"))
    np.testing.assert_array_equal(table, reference_lut(lambda x: x + 0.1))


def test_saturation_is_the_exact_luma_blend(chelsea: np.ndarray) -> None:
    x = chelsea.astype(np.float64)
    g = (x @ LUMA)[..., None]
    for s in (0.0, 0.6, 1.0, 1.7):
        ref = np.clip(g + s * (x - g), 0, 255)
        out = F.blend_gray(chelsea, s)
        assert out.dtype == np.uint8 and np.abs(out - ref).max() <= 1.0
        f = F.blend_gray(chelsea.astype(np.float32) / 255, s)
        assert f.dtype == np.float32 and np.abs(f * 255 - ref).max() < 1e-3


@pytest.mark.parametrize("shift", [0.0, 0.05, -0.05, 0.25, -0.4, 0.5])
def test_hue_rotation_matches_colorsys(coffee: np.ndarray, shift: float) -> None:
    out = F.shift_hue(coffee, shift)
    pix = coffee[::9, ::11].reshape(-1, 3) / 255.0
    got = out[::9, ::11].reshape(-1, 3).astype(float)
    ref = []
    for r, g, b in pix:
        h, s, v = colorsys.rgb_to_hsv(r, g, b)
        ref.append(colorsys.hsv_to_rgb((h + shift) % 1.0, s, v))
    err = np.abs(got - np.array(ref) * 255)
    assert np.median(err) <= 1.0 and np.percentile(err, 99) <= 8


def test_mean_luma_is_the_weighted_channel_mean(chelsea: np.ndarray) -> None:
    exact = float((chelsea.astype(np.float64) @ LUMA).mean()) / 255
    assert F.mean_gray(chelsea) == pytest.approx(exact, abs=1e-12)
    assert F.mean_gray(chelsea.astype(np.float32) / 255) == pytest.approx(exact, abs=1e-6)


def test_grayscale_replicates_one_luma_plane(chelsea: np.ndarray) -> None:
    import cv2

    y = cv2.cvtColor(chelsea, cv2.COLOR_RGB2GRAY)
    out = F.grayscale(chelsea, 3)
    np.testing.assert_array_equal(out, np.dstack([y, y, y]))
    rgba = np.dstack([chelsea, np.arange(chelsea.shape[1], dtype=np.uint8)[None].repeat(chelsea.shape[0], 0)])
    out = F.grayscale(rgba, 3)
    np.testing.assert_array_equal(out[..., :3], np.dstack([y, y, y]))
    np.testing.assert_array_equal(out[..., 3], rgba[..., 3])
    np.testing.assert_array_equal(F.grayscale(chelsea, 1)[..., 0], y)


def test_dropout_fills(chelsea: np.ndarray) -> None:
    holes = [[3, 4, 30, 20], [100, 50, 140, 90]]
    params = {"holes": holes, "seed": 0}
    for fill_value, colour in ((0, [0, 0, 0]), (200, [200, 200, 200]), ((10, 20, 30), [10, 20, 30])):
        out = I.CoarseDropout(fill_value=fill_value, p=1).apply_image(chelsea, params, None)
        expected = chelsea.copy()
        for x1, y1, x2, y2 in holes:
            expected[y1:y2, x1:x2] = colour
        np.testing.assert_array_equal(out, expected)
    out = I.CoarseDropout(fill="mean", p=1).apply_image(chelsea, params, None)
    mean = np.rint(chelsea.reshape(-1, 3).mean(axis=0)).astype(np.uint8)
    assert (out[4:20, 3:30] == mean).all() and (out[0, 0] == chelsea[0, 0]).all()
    grey = chelsea[..., 0]
    out = I.CoarseDropout(fill_value=9, p=1).apply_image(grey, params, None)
    assert (out[4:20, 3:30] == 9).all() and out.shape == grey.shape


def test_dropout_holes_stay_inside_and_follow_the_ranges() -> None:
    step = I.CoarseDropout(num_holes=(2, 5), hole_height=(0.1, 0.3), hole_width=(0.2, 0.4), p=1)
    img = np.zeros((60, 90, 3), np.uint8)
    counts = set()
    for seed in range(200):
        _, record = ma.Pipeline([step], seed=seed)(img, return_record=True)
        holes = record["steps"][0]["params"]["holes"]
        counts.add(len(holes))
        for x1, y1, x2, y2 in holes:
            assert 0 <= x1 < x2 <= 90 and 0 <= y1 < y2 <= 60
            assert 6 <= y2 - y1 <= 18 and 18 <= x2 - x1 <= 36
    assert counts == {2, 3, 4, 5}


def test_scalar_draws() -> None:
    a, b = np.random.default_rng(3), np.random.default_rng(3)
    for lo, hi in [(0.8, 1.2), (-0.05, 0.05), (0.08, 1.0)] * 50:
        assert base.uniform(a, (lo, hi)) == float(b.uniform(lo, hi))
    rng = np.random.default_rng(4)
    seen = {base.uniform_int(rng, 7) for _ in range(500)}
    assert seen == set(range(7))
    assert base.uniform_int(rng, 1) == 0


def test_random_resized_crop_params_cover_the_ranges() -> None:
    step = I.RandomResizedCrop(32, scale=(0.2, 0.6), ratio=(0.5, 2.0), p=1)
    img = np.zeros((100, 120, 3), np.uint8)
    for seed in range(100):
        _, record = ma.Pipeline([step], seed=seed)(img, return_record=True)
        p = record["steps"][0]["params"]
        assert 0 <= p["x"] <= 120 - p["w"] and 0 <= p["y"] <= 100 - p["h"]
        assert 0.18 <= p["w"] * p["h"] / 12000 <= 0.62
        assert 0.45 <= p["w"] / p["h"] <= 2.2
