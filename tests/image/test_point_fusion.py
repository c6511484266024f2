"""Consecutive point operations on uint8 images run as one table, bit-identical to one by one."""

from __future__ import annotations

import numpy as np
import pytest

import multiaug as ma
from multiaug import image as I
from multiaug.core import fusion
from multiaug.image import functional as F
from multiaug.image import point_fusion

POINT_STEPS = [
    lambda p: I.RandomBrightnessContrast(brightness_limit=0.3, contrast_limit=0.5, p=p),
    lambda p: I.RandomGamma(gamma_limit=(60, 160), p=p),
    lambda p: I.Posterize(bits=(3, 7), p=p),
    lambda p: I.Solarize(threshold=(0.3, 0.9), p=p),
    lambda p: I.Invert(p=p),
]


def _random_pipeline(seed: int) -> ma.Pipeline:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 6))
    picks = rng.integers(len(POINT_STEPS), size=n)
    probabilities = rng.choice([1.0, 0.5], size=n)
    return ma.Pipeline([POINT_STEPS[i](float(q)) for i, q in zip(picks, probabilities)], seed=seed)


def test_every_point_step_is_in_the_fusion_group() -> None:
    for make in POINT_STEPS:
        assert make(1.0).fusion == point_fusion.GROUP


@pytest.mark.parametrize("seed", range(40))
def test_fused_equals_one_by_one_and_replay(seed: int, chelsea: np.ndarray) -> None:
    image = [chelsea, chelsea[:, :, 0], np.dstack([chelsea, chelsea[:, :, :1]])][seed % 3]
    sample = {"image": image, "label": 1}
    fused, record = _random_pipeline(seed)(sample, index=seed, return_record=True)
    with fusion.disabled():
        plain, plain_record = _random_pipeline(seed)(sample, index=seed, return_record=True)
    assert record == plain_record
    np.testing.assert_array_equal(fused["image"], plain["image"])
    np.testing.assert_array_equal(_random_pipeline(seed).replay(record, sample)["image"], fused["image"])


def test_contrast_after_another_table_uses_the_exact_intermediate_mean(coffee: np.ndarray) -> None:
    # The contrast pivot of the second step is the mean of the inverted, posterised image.
    steps = lambda: [I.Invert(p=1), I.Posterize(bits=3, p=1), I.RandomBrightnessContrast(0, (0.9, 0.9), p=1)]  # noqa: E731
    fused = ma.Pipeline(steps(), seed=0)(coffee)
    intermediate = F.apply_lut(F.apply_lut(coffee, 255 - np.arange(256)), F.posterize_lut(3))
    m = int(intermediate.sum(dtype=np.int64)) / intermediate.size / 255.0
    expected = F.apply_lut(intermediate, F.lut_from(lambda x: (x - m) * 1.9 + m))
    np.testing.assert_array_equal(fused, expected)


def test_one_pass_over_the_pixels(monkeypatch: pytest.MonkeyPatch, chelsea: np.ndarray) -> None:
    calls: list[int] = []
    real = F.apply_lut

    def counting(img: np.ndarray, lut: np.ndarray) -> np.ndarray:
        calls.append(1)
        return real(img, lut)

    monkeypatch.setattr(F, "apply_lut", counting)
    steps = lambda: [I.RandomGamma(p=1), I.Solarize(p=1), I.Invert(p=1), I.RandomBrightnessContrast(p=1)]  # noqa: E731
    ma.Pipeline(steps(), seed=1)(chelsea)
    assert len(calls) == 1
    calls.clear()
    with fusion.disabled():
        ma.Pipeline(steps(), seed=1)(chelsea)
    assert len(calls) == 4


def test_float_images_run_one_by_one(chelsea: np.ndarray) -> None:
    image = chelsea.astype(np.float32) / 255.0
    steps = lambda: [I.RandomGamma(p=1), I.Solarize(p=1), I.Invert(p=1)]  # noqa: E731
    fused = ma.Pipeline(steps(), seed=2)(image)
    with fusion.disabled():
        plain = ma.Pipeline(steps(), seed=2)(image)
    np.testing.assert_array_equal(fused, plain)


def test_masks_boxes_and_captions_pass_through(photo: dict) -> None:
    sample = {k: photo[k] for k in ("image", "mask", "bboxes", "caption") if k in photo}
    steps = lambda: [I.Invert(p=1), I.RandomGamma(p=1)]  # noqa: E731
    fused = ma.Pipeline(steps(), seed=3)(sample)
    with fusion.disabled():
        plain = ma.Pipeline(steps(), seed=3)(sample)
    for key in sample:
        if isinstance(sample[key], np.ndarray):
            np.testing.assert_array_equal(fused[key], plain[key])
        else:
            assert fused[key] == plain[key]
