"""Erasing steps: rectangles of the image replaced by a constant, random values or the image mean.

Erasing hides pixels without moving them, so boxes and keypoints keep their coordinates (an
erased object is occluded, not gone). Masks are left as they are unless ``fill_mask`` is given,
in which case the erased rectangles are set to it there too.
"""

from __future__ import annotations

import math
from typing import Any

import cv2
import numpy as np

from multiaug.core.fields import Sample
from multiaug.core.params import check_choice, check_number, to_int_range, to_range
from multiaug.core.registry import register
from multiaug.image import functional as F
from multiaug.image.base import ImageStep, check_fill, image_hw, uniform, uniform_int

__all__ = ["CoarseDropout", "RandomErasing"]

_FILLS = ("constant", "random", "mean")


class _Erase(ImageStep):
    """Shared kernels: params ``holes`` (``[x1, y1, x2, y2]`` pixel rectangles) and ``seed``."""

    fill = "constant"
    fill_value: Any = 0
    fill_mask: float | None = None

    def _init_fill(self, fill: str, fill_value: Any, fill_mask: float | None) -> None:
        self.fill = check_choice(fill, self.name, "fill", _FILLS)
        self.fill_value = check_fill(fill_value, self.name, "fill_value")
        if fill_mask is not None:
            check_number(fill_mask, self.name, "fill_mask")
        self.fill_mask = fill_mask

    def apply_image(self, value: np.ndarray, params: dict[str, Any], sample: Sample) -> np.ndarray:
        holes = params["holes"]
        if not holes:
            return value
        if self.fill == "constant":
            fills: list[Any] = [self._constant(F.channels(value), value.dtype, value.ndim)] * len(holes)
        elif self.fill == "mean":
            mean = _channel_means(value)
            mean = np.rint(mean).astype(value.dtype) if value.dtype == np.uint8 else mean.astype(value.dtype)
            fills = [mean if value.ndim == 3 else mean[0]] * len(holes)
        else:
            rng = np.random.default_rng(int(params["seed"]))
            fills = []
            for x1, y1, x2, y2 in holes:
                shape = (y2 - y1, x2 - x1) + value.shape[2:]
                if value.dtype == np.uint8:
                    fills.append(rng.integers(0, 256, size=shape, dtype=np.uint8))
                else:
                    fills.append(rng.random(shape, dtype=np.float32))
        return F.erase(value, holes, fills)

    def _constant(self, channels: int, dtype: np.dtype, ndim: int) -> Any:
        """The fill colour for this layout: a plain number when every channel gets the same (fastest fill)."""
        cache = self.__dict__.setdefault("_fill_cache", {})
        key = (channels, dtype, ndim)
        fill = cache.get(key)
        if fill is None:
            colour = np.asarray(F.fill_values(self.fill_value, channels, dtype), dtype=dtype)
            if (colour == colour[0]).all():
                fill = colour[0].item()
            else:
                fill = colour if ndim == 3 else colour[0]
            cache[key] = fill
        return fill

    def apply_mask(self, value: np.ndarray, params: dict[str, Any], sample: Sample) -> np.ndarray:
        if self.fill_mask is None or not params["holes"]:
            return value
        fill = np.asarray(self.fill_mask).astype(value.dtype)
        return F.erase(value, params["holes"], [fill] * len(params["holes"]))


def _channel_means(img: np.ndarray) -> np.ndarray:
    """Per-channel mean (float64), one pass for up to 4 channels."""
    c = F.channels(img)
    if c <= 4 and img.dtype in (np.uint8, np.float32):
        return np.asarray(cv2.mean(np.ascontiguousarray(img))[:c], dtype=np.float64)
    return img.reshape(-1, c).mean(axis=0)


@register
class CoarseDropout(_Erase):
    """Erases a random number of rectangles of random sizes (cutout).

    Args:
        num_holes: Inclusive range of the number of rectangles.
        hole_height: Range of rectangle heights as a fraction of the image height.
        hole_width: Range of rectangle widths as a fraction of the image width.
        fill: ``"constant"`` (``fill_value``), ``"random"`` (uniform noise) or ``"mean"`` (per-channel image mean).
        fill_value: Colour for ``"constant"``, in 0..255 units (a number or one per channel).
        fill_mask: Value written into masks under the rectangles; None leaves masks unchanged.
        p: Probability of applying the step.

    Example:
        >>> import numpy as np
        >>> out = CoarseDropout(fill_value=255, p=1.0)(np.zeros((32, 32), np.uint8))
        >>> bool(out.max() == 255)
        True
    """

    def __init__(
        self,
        num_holes: int | tuple[int, int] = (1, 8),
        hole_height: float | tuple[float, float] = (0.05, 0.2),
        hole_width: float | tuple[float, float] = (0.05, 0.2),
        fill: str = "constant",
        fill_value: Any = 0,
        fill_mask: float | None = None,
        p: float = 0.5,
    ) -> None:
        super().__init__(p=p)
        self._n = to_int_range(num_holes, self.name, "num_holes", low=0, high=10000)
        self._h = to_range(hole_height, self.name, "hole_height", low=0, high=1, scalar="fixed")
        self._w = to_range(hole_width, self.name, "hole_width", low=0, high=1, scalar="fixed")
        self.num_holes, self.hole_height, self.hole_width = num_holes, hole_height, hole_width
        self._init_fill(fill, fill_value, fill_mask)

    def make_params(self, sample: Sample, rng: np.random.Generator) -> dict[str, Any]:
        h, w = image_hw(sample, self.name)
        n = self._n[0] + uniform_int(rng, self._n[1] - self._n[0] + 1)
        # one vector draw for every hole (height, width, top, left), read back as Python floats
        draws = rng.random(4 * n).tolist() if n else []
        (h0, h1), (w0, w1) = self._h, self._w
        holes = []
        for i in range(0, 4 * n, 4):
            uh, uw, uy, ux = draws[i : i + 4]
            hh = max(1, int(round((h0 + (h1 - h0) * uh) * h)))
            ww = max(1, int(round((w0 + (w1 - w0) * uw) * w)))
            y1 = min(int(uy * (max(h - hh, 0) + 1)), max(h - hh, 0))
            x1 = min(int(ux * (max(w - ww, 0) + 1)), max(w - ww, 0))
            holes.append([x1, y1, min(w, x1 + ww), min(h, y1 + hh)])
        return {"holes": holes, "seed": int(rng.integers(2**63)) if self.fill == "random" else 0}


@register
class RandomErasing(_Erase):
    """Erases one rectangle of random area and aspect ratio (Zhong et al. 2017).

    Args:
        scale: Range of the erased area as a fraction of the image area.
        ratio: Range of the aspect ratio (height / width), drawn log-uniformly.
        fill: ``"constant"``, ``"random"`` or ``"mean"``.
        fill_value: Colour for ``"constant"``, in 0..255 units.
        fill_mask: Value written into masks under the rectangle; None leaves masks unchanged.
        p: Probability of applying the step.

    Example:
        >>> import numpy as np
        >>> RandomErasing(p=1.0, fill_value=9)(np.zeros((20, 20), np.uint8)).max()
        np.uint8(9)
    """

    def __init__(
        self,
        scale: tuple[float, float] = (0.02, 0.33),
        ratio: tuple[float, float] = (0.3, 3.3),
        fill: str = "constant",
        fill_value: Any = 0,
        fill_mask: float | None = None,
        p: float = 0.5,
    ) -> None:
        super().__init__(p=p)
        self._scale = to_range(scale, self.name, "scale", low=0, high=1, scalar="upper")
        self._ratio = to_range(ratio, self.name, "ratio", low=1e-3, high=1e3, scalar="fixed")
        self.scale, self.ratio = scale, ratio
        self._init_fill(fill, fill_value, fill_mask)

    def make_params(self, sample: Sample, rng: np.random.Generator) -> dict[str, Any]:
        h, w = image_hw(sample, self.name)
        log_ratio = (math.log(self._ratio[0]), math.log(self._ratio[1]))
        holes = []
        for _ in range(10):
            area = h * w * uniform(rng, self._scale)
            aspect = math.exp(uniform(rng, log_ratio))
            eh = int(round(math.sqrt(area * aspect)))
            ew = int(round(math.sqrt(area / aspect)))
            if 0 < eh <= h and 0 < ew <= w:
                y1 = uniform_int(rng, h - eh + 1)
                x1 = uniform_int(rng, w - ew + 1)
                holes = [[x1, y1, x1 + ew, y1 + eh]]
                break
        return {"holes": holes, "seed": int(rng.integers(2**63)) if self.fill == "random" else 0}
