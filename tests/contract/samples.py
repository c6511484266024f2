"""Default samples for the contract tests, one per group of field kinds, made in code."""

from __future__ import annotations

from typing import Any

import numpy as np


def image_sample() -> dict[str, Any]:
    """A 48x64 RGB gradient-and-noise image with a matching mask, two boxes and three keypoints."""
    rng = np.random.default_rng(1234)
    h, w = 48, 64
    yy, xx = np.mgrid[0:h, 0:w]
    base = np.stack([xx * 255 / w, yy * 255 / h, (xx + yy) * 255 / (h + w)], axis=-1)
    image = np.clip(base + rng.normal(0, 20, base.shape), 0, 255).astype(np.uint8)
    mask = np.zeros((h, w), np.uint8)
    mask[10:30, 8:40] = 1
    mask[25:45, 40:60] = 2
    return {
        "image": image,
        "mask": mask,
        "bboxes": np.array([[8.0, 10.0, 40.0, 30.0], [40.0, 25.0, 60.0, 45.0]]),
        "bbox_labels": [1, 2],
        "keypoints": np.array([[20.0, 20.0], [50.0, 35.0], [5.0, 5.0]]),
        "label": 7,
        "note": "passes through",
    }


def text_sample() -> dict[str, Any]:
    return {
        "text": "The quick brown fox didn't jump over the lazy dogs near 42 old houses, said Mary.",
        "label": 1,
        "note": "passes through",
    }


def audio_sample() -> dict[str, Any]:
    """One second of a two-tone signal with a little noise at 16 kHz."""
    sr = 16000
    t = np.arange(sr) / sr
    rng = np.random.default_rng(99)
    audio = 0.3 * np.sin(2 * np.pi * 220 * t) + 0.2 * np.sin(2 * np.pi * 1250 * t) + 0.01 * rng.standard_normal(sr)
    audio[4000:4100] += 0.4  # an onset
    return {"audio": audio.astype(np.float32), "sample_rate": sr, "label": 3, "note": "passes through"}


def spectrogram_sample() -> dict[str, Any]:
    rng = np.random.default_rng(7)
    spec = rng.normal(-20.0, 5.0, size=(40, 120)).astype(np.float32)
    return {"spectrogram": spec, "label": 0, "note": "passes through"}


def default_sample(kinds: frozenset[str]) -> dict[str, Any]:
    """The default sample for a step whose kernels cover ``kinds``."""
    if "image" in kinds or "mask" in kinds or "bboxes" in kinds:
        return image_sample()
    if "audio" in kinds:
        return audio_sample()
    if "spectrogram" in kinds:
        return spectrogram_sample()
    if "text" in kinds or "caption" in kinds:
        return text_sample()
    return text_sample()


#: For each kind, a value that must be refused with an AugmentationError.
BAD_VALUES: dict[str, Any] = {
    "image": np.full((8, 8, 3), np.nan, np.float32),
    "mask": np.zeros((3, 3), np.float32),
    "bboxes": [[1.0, 2.0, float("nan"), 4.0]],
    "keypoints": [[1.0]],
    "text": 123,
    "caption": ["not", "a", "string"],
    "audio": np.array([0.0, np.nan, 0.1], np.float32),
    "spectrogram": np.zeros((0, 0), np.float32),
}
