"""Fusion of consecutive point operations on ``uint8`` images into one lookup table.

Brightness/contrast, gamma, posterize, solarize and invert each map every pixel value through a
256-entry table. Run one after another, ``k`` of them cost ``k`` passes over the image; composed
(``second[first]``), they cost one. The steps join the ``"image.point"`` fusion group and build
their table with ``point_lut(params, mean)``, the same method their own ``uint8`` kernel uses,
so a fused run is bit-identical to the steps run one by one (and to a replay).

A table may depend on the image it is applied to through its mean (contrast pivots on it). In a
fused run the image in between two steps is never materialised, so the mean is computed exactly
from the histogram of the input pushed through the tables composed so far: an integer sum, the
same number ``cv2.sumElems`` gives on the real intermediate image.

Example:
    >>> import numpy as np
    >>> import multiaug as ma
    >>> from multiaug import image as I
    >>> pipe = ma.Pipeline([I.Invert(p=1.0), I.Posterize(bits=2, p=1.0)], seed=0)
    >>> pipe(np.array([[0, 100, 255]], np.uint8)).tolist()
    [[192, 128, 0]]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from multiaug.core.augmenter import Augmenter
from multiaug.core.fields import Sample
from multiaug.core.fusion import draw, register_fuser
from multiaug.image import functional as F

__all__ = ["GROUP", "mean_u8", "run_point_ops"]

GROUP = "image.point"
_LEVELS = np.arange(256, dtype=np.int64)


def mean_u8(img: np.ndarray) -> float:
    """Mean over all pixels and channels of a ``uint8`` image, as an exact integer sum / count.

    Example:
        >>> mean_u8(np.array([[0, 1], [2, 3]], np.uint8))
        1.5
    """
    import cv2

    if not img.flags.c_contiguous:
        img = np.ascontiguousarray(img)
    flat = img.reshape(img.shape[0], -1)
    return float(cv2.sumElems(flat)[0]) / img.size


class _VirtualImage:
    """An input image seen through a table, with the statistics steps may ask for."""

    __slots__ = ("_hist", "image", "lut")

    def __init__(self, image: np.ndarray) -> None:
        self.image = image
        self.lut: np.ndarray | None = None
        self._hist: np.ndarray | None = None

    def mean(self) -> float:
        if self.lut is None:
            return mean_u8(self.image)
        if self._hist is None:
            self._hist = np.bincount(self.image.reshape(-1), minlength=256).astype(np.int64)
        total = int(np.dot(self._hist, self.lut.astype(np.int64)))  # exact: the sum of the looked-up values
        return float(total) / self.image.size

    def then(self, table: np.ndarray) -> None:
        self.lut = table if self.lut is None else table[self.lut]


def run_point_ops(image: np.ndarray, tables: Sequence[Callable[[Callable[[], float]], np.ndarray]]) -> np.ndarray:
    """Apply point operations given as table builders (``builder(mean) -> table``) in one pass."""
    virtual = _VirtualImage(image)
    for build in tables:
        virtual.then(np.asarray(build(virtual.mean), dtype=np.uint8))
    return image if virtual.lut is None else F.apply_lut(image, virtual.lut)


@register_fuser(GROUP)
def _fuse_point_ops(
    steps: Sequence[Augmenter], sample: Sample, rng: np.random.Generator, record: list[dict[str, Any]] | None
) -> Sample | None:
    image_keys = [key for key, kind in sample.kinds.items() if kind == "image"]
    if not image_keys or any(sample[key].dtype != np.uint8 for key in image_keys):
        return None
    present = {kind for kind in sample.kinds.values() if kind is not None and kind != "image"}
    if any(present & step.kernels().keys() for step in steps):
        return None  # a step also changes another field: run them one by one
    fired = [(step, params) for step in steps if (params := draw(step, sample, rng, record)) is not None]
    if not fired:
        return sample
    updates = {
        key: run_point_ops(
            sample[key],
            [lambda mean, step=step, params=params: step.point_lut(params, mean) for step, params in fired],
        )
        for key in image_keys
    }
    return sample.derive(updates)
