"""Automatic augmentation policies built from the image steps: RandAugment and TrivialAugmentWide.

A policy draws which operations to run and their magnitudes, then hands each operation's
parameters to the underlying step (``Affine``, ``Rotate``, ``ColorJitter``, ``Sharpen``,
``Posterize``, ``Solarize``, ``AutoContrast``, ``Equalize``). The record lists the operations
with those parameters (``{"ops": [{"op": "Rotate", "params": {"angle": 12.0}}, ...]}``), so a
policy call replays exactly and its parameters are plain JSON. Geometric operations move masks,
boxes and keypoints as the steps themselves do. Colour operations need an RGB(A) image.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from multiaug.core.augmenter import Augmenter
from multiaug.core.errors import AugmentationError
from multiaug.core.fields import Sample
from multiaug.core.params import check_int
from multiaug.core.registry import register
from multiaug.image.base import ImageStep, check_fill
from multiaug.image.blur_noise import Sharpen
from multiaug.image.color import AutoContrast, ColorJitter, Equalize, Posterize, Solarize
from multiaug.image.geometric import Affine, Rotate

__all__ = ["RandAugment", "TrivialAugmentWide"]

_NO_MOVE = {"scale": 1.0, "tx": 0.0, "ty": 0.0, "angle": 0.0, "shear_x": 0.0, "shear_y": 0.0}
_NO_JITTER = {"brightness": 1.0, "contrast": 1.0, "saturation": 1.0, "hue": 0.0}

# op name -> (step key, signed, params from a magnitude value v)
_OPS: dict[str, tuple[str, bool, Callable[[float], dict[str, Any]]]] = {
    "Identity": ("identity", False, lambda v: {}),
    "ShearX": ("affine", True, lambda v: {**_NO_MOVE, "shear_x": math.degrees(math.atan(v))}),
    "ShearY": ("affine", True, lambda v: {**_NO_MOVE, "shear_y": math.degrees(math.atan(v))}),
    "TranslateX": ("affine", True, lambda v: {**_NO_MOVE, "tx": v}),
    "TranslateY": ("affine", True, lambda v: {**_NO_MOVE, "ty": v}),
    "Rotate": ("rotate", True, lambda v: {"angle": v}),
    "Brightness": ("jitter", True, lambda v: {**_NO_JITTER, "brightness": 1.0 + v}),
    "Color": ("jitter", True, lambda v: {**_NO_JITTER, "saturation": 1.0 + v}),
    "Contrast": ("jitter", True, lambda v: {**_NO_JITTER, "contrast": 1.0 + v}),
    "Sharpness": ("sharpen", False, lambda v: {"alpha": min(1.0, v), "lightness": 1.0}),
    "Posterize": ("posterize", False, lambda v: {"bits": int(v)}),
    "Solarize": ("solarize", False, lambda v: {"threshold": v}),
    "AutoContrast": ("autocontrast", False, lambda v: {}),
    "Equalize": ("equalize", False, lambda v: {}),
}


class _Policy(ImageStep):
    """Shared machinery: a table of operations with magnitude scales, applied through the steps."""

    moves = "geometry"
    num_magnitude_bins = 31

    def _build_steps(self, fill: Any) -> None:
        self.fill = check_fill(fill, self.name, "fill")
        from multiaug.core.steps import Identity

        self._steps: dict[str, Augmenter] = {
            "identity": Identity(),
            "affine": Affine(fill=fill, p=1.0),
            "rotate": Rotate(fill=fill, p=1.0),
            "jitter": ColorJitter(p=1.0),
            "sharpen": Sharpen(p=1.0),
            "posterize": Posterize(p=1.0),
            "solarize": Solarize(p=1.0),
            "autocontrast": AutoContrast(p=1.0),
            "equalize": Equalize(p=1.0),
        }

    @classmethod
    def target_kinds(cls) -> frozenset[str]:
        return frozenset({"image", "mask", "bboxes", "keypoints"})

    def _magnitudes(self, op: str, width: int, height: int) -> np.ndarray:
        """Magnitude value of ``op`` for each of the ``num_magnitude_bins`` bins."""
        raise NotImplementedError

    def _draw_op(self, op: str, bin_index: int, rng: np.random.Generator, hw: tuple[int, int]) -> dict[str, Any]:
        key, signed, make = _OPS[op]
        values = self._magnitudes(op, hw[1], hw[0])
        v = float(values[bin_index]) if values.size else 0.0
        if signed and rng.random() < 0.5:
            v = -v
        return {"op": op, "params": make(v)}

    def apply(self, sample: Sample, params: dict[str, Any]) -> Sample:
        ops = params.get("ops")
        if not isinstance(ops, list):
            raise AugmentationError("record lacks the list of 'ops'", step=self.name)
        for entry in ops:
            op = entry.get("op") if isinstance(entry, dict) else None
            if op not in _OPS:
                raise AugmentationError(f"unknown policy operation {op!r} in the record", step=self.name)
            try:
                sample = self._steps[_OPS[op][0]].apply(sample, entry.get("params", {}))
            except AugmentationError as exc:
                exc.step = f"{self.name} ({op})"
                raise
        return sample


def _size(sample: Sample) -> tuple[int, int]:
    from multiaug.image.targets import image_size

    return image_size(sample)


@register
class RandAugment(_Policy):
    """Applies ``num_ops`` random operations at one shared magnitude (Cubuk et al. 2020).

    Operations: Identity, ShearX/Y, TranslateX/Y, Rotate, Brightness, Color, Contrast, Sharpness,
    Posterize, Solarize, AutoContrast, Equalize, with the magnitude scales of torchvision's
    RandAugment (shear up to 0.3, translation up to 45% of the size, rotation up to 30 degrees,
    colour factors 1 +- 0.9, posterize down to 4 bits) at bin ``magnitude`` of
    ``num_magnitude_bins``; signed operations take a random sign.

    Args:
        num_ops: Number of operations applied in sequence.
        magnitude: Magnitude bin, ``0 .. num_magnitude_bins - 1``.
        num_magnitude_bins: Number of magnitude bins.
        fill: Fill colour for the geometric operations (0..255 units).
        p: Probability of applying the step.

    Example:
        >>> import numpy as np
        >>> RandAugment(num_ops=2, magnitude=9, p=1.0)(np.zeros((16, 16, 3), np.uint8)).shape
        (16, 16, 3)
    """

    def __init__(
        self, num_ops: int = 2, magnitude: int = 9, num_magnitude_bins: int = 31, fill: Any = 0, p: float = 1.0
    ) -> None:
        super().__init__(p=p)
        self.num_ops = check_int(num_ops, self.name, "num_ops", low=0, high=16)
        self.num_magnitude_bins = check_int(num_magnitude_bins, self.name, "num_magnitude_bins", low=2, high=1000)
        self.magnitude = check_int(magnitude, self.name, "magnitude", low=0, high=self.num_magnitude_bins - 1)
        self._build_steps(fill)

    def _magnitudes(self, op: str, width: int, height: int) -> np.ndarray:
        n = self.num_magnitude_bins
        table = {
            "ShearX": np.linspace(0.0, 0.3, n),
            "ShearY": np.linspace(0.0, 0.3, n),
            "TranslateX": np.linspace(0.0, 150.0 / 331.0, n),
            "TranslateY": np.linspace(0.0, 150.0 / 331.0, n),
            "Rotate": np.linspace(0.0, 30.0, n),
            "Brightness": np.linspace(0.0, 0.9, n),
            "Color": np.linspace(0.0, 0.9, n),
            "Contrast": np.linspace(0.0, 0.9, n),
            "Sharpness": np.linspace(0.0, 0.9, n),
            "Posterize": 8 - np.round(np.arange(n) / ((n - 1) / 4)),
            "Solarize": np.linspace(1.0, 0.0, n),
        }
        return table.get(op, np.zeros(0))

    def make_params(self, sample: Sample, rng: np.random.Generator) -> dict[str, Any]:
        hw = _size(sample)
        names = list(_OPS)
        ops = []
        for _ in range(self.num_ops):
            op = names[int(rng.integers(len(names)))]
            ops.append(self._draw_op(op, self.magnitude, rng, hw))
        return {"ops": ops}


@register
class TrivialAugmentWide(_Policy):
    """Applies one random operation at a random magnitude, with wide ranges (Müller & Hutter 2021).

    Ranges: shear up to 0.99, translation up to 32 pixels, rotation up to 135 degrees, colour
    factors 1 +- 0.99, posterize down to 2 bits, solarize over the whole range.

    Args:
        num_magnitude_bins: Number of magnitude bins.
        fill: Fill colour for the geometric operations (0..255 units).
        p: Probability of applying the step.

    Example:
        >>> import numpy as np
        >>> TrivialAugmentWide(p=1.0)(np.zeros((16, 16, 3), np.uint8)).dtype
        dtype('uint8')
    """

    def __init__(self, num_magnitude_bins: int = 31, fill: Any = 0, p: float = 1.0) -> None:
        super().__init__(p=p)
        self.num_magnitude_bins = check_int(num_magnitude_bins, self.name, "num_magnitude_bins", low=2, high=1000)
        self._build_steps(fill)

    def _magnitudes(self, op: str, width: int, height: int) -> np.ndarray:
        n = self.num_magnitude_bins
        table = {
            "ShearX": np.linspace(0.0, 0.99, n),
            "ShearY": np.linspace(0.0, 0.99, n),
            "TranslateX": np.linspace(0.0, 32.0, n) / width,
            "TranslateY": np.linspace(0.0, 32.0, n) / height,
            "Rotate": np.linspace(0.0, 135.0, n),
            "Brightness": np.linspace(0.0, 0.99, n),
            "Color": np.linspace(0.0, 0.99, n),
            "Contrast": np.linspace(0.0, 0.99, n),
            "Sharpness": np.linspace(0.0, 0.99, n),
            "Posterize": 8 - np.round(np.arange(n) / ((n - 1) / 6)),
            "Solarize": np.linspace(1.0, 0.0, n),
        }
        return table.get(op, np.zeros(0))

    def make_params(self, sample: Sample, rng: np.random.Generator) -> dict[str, Any]:
        hw = _size(sample)
        names = list(_OPS)
        op = names[int(rng.integers(len(names)))]
        return {"ops": [self._draw_op(op, int(rng.integers(self.num_magnitude_bins)), rng, hw)]}
