"""Geometric image steps: flips, rotations, affine and perspective warps, elastic warps, crops, resizing, padding.

Every step moves ``image`` (chosen interpolation), ``mask`` (nearest neighbour), ``bboxes`` and
``keypoints`` with the same drawn parameters; see :mod:`multiaug.image.targets` for how boxes and
keypoints are clipped, dropped and flagged.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from multiaug.core.errors import AugmentationError
from multiaug.core.fields import Sample
from multiaug.core.params import check_int, check_number, to_range
from multiaug.core.registry import register
from multiaug.image import functional as F
from multiaug.image.base import (
    GeometricStep,
    image_hw,
    rotation,
    scaling,
    shearing,
    translation,
    uniform,
    uniform_int,
)

__all__ = [
    "Affine",
    "CenterCrop",
    "ElasticTransform",
    "HorizontalFlip",
    "Pad",
    "Perspective",
    "RandomCrop",
    "RandomResizedCrop",
    "RandomRotate90",
    "Resize",
    "Rotate",
    "Transpose",
    "VerticalFlip",
]

_TEXT_SPATIAL = ("multiaug.text.spatial",)


def _about_centre(m: np.ndarray, height: int, width: int) -> np.ndarray:
    cx, cy = width / 2.0, height / 2.0
    return translation(cx, cy) @ m @ translation(-cx, -cy)


@register
class HorizontalFlip(GeometricStep):
    """Mirrors the image left-right (captions swap left/right when the text modality is installed).

    Example:
        >>> import numpy as np
        >>> HorizontalFlip(p=1.0)(np.array([[1, 2, 3]], np.uint8)).tolist()
        [[3, 2, 1]]
    """

    warp_needs_matrix = False

    kernel_modules = _TEXT_SPATIAL

    def __init__(self, p: float = 0.5) -> None:
        super().__init__(p=p)

    def geometry(self, params, height, width):  # type: ignore[no-untyped-def]
        return np.array([[-1.0, 0.0, width], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]), (height, width)

    def warp_image(self, img, params, matrix, out_hw):  # type: ignore[no-untyped-def]
        return F.hflip(img)

    warp_mask = warp_image

    def apply_image(self, value: np.ndarray, params: dict[str, Any], sample: Sample) -> np.ndarray:
        return F.hflip(value)  # the exact kernel, without the generic warp dispatch


@register
class VerticalFlip(GeometricStep):
    """Mirrors the image top-bottom (captions swap top/bottom words when the text modality is installed).

    Example:
        >>> import numpy as np
        >>> VerticalFlip(p=1.0)(np.array([[1], [2]], np.uint8)).tolist()
        [[2], [1]]
    """

    warp_needs_matrix = False

    kernel_modules = _TEXT_SPATIAL

    def __init__(self, p: float = 0.5) -> None:
        super().__init__(p=p)

    def geometry(self, params, height, width):  # type: ignore[no-untyped-def]
        return np.array([[1.0, 0.0, 0.0], [0.0, -1.0, height], [0.0, 0.0, 1.0]]), (height, width)

    def warp_image(self, img, params, matrix, out_hw):  # type: ignore[no-untyped-def]
        return F.vflip(img)

    warp_mask = warp_image


@register
class RandomRotate90(GeometricStep):
    """Rotates by a random multiple of 90 degrees (1, 2 or 3 quarter turns counter-clockwise).

    Example:
        >>> import numpy as np
        >>> RandomRotate90(p=1.0)(np.zeros((2, 5, 3), np.uint8)).shape in [(5, 2, 3), (2, 5, 3)]
        True
    """

    warp_needs_matrix = False

    def __init__(self, p: float = 0.5) -> None:
        super().__init__(p=p)

    def make_params(self, sample: Sample, rng: np.random.Generator) -> dict[str, Any]:
        return {"k": int(rng.integers(1, 4))}

    def geometry(self, params, height, width):  # type: ignore[no-untyped-def]
        m = np.eye(3)
        h, w = height, width
        for _ in range(int(params["k"]) % 4):
            m = np.array([[0.0, 1.0, 0.0], [-1.0, 0.0, w], [0.0, 0.0, 1.0]]) @ m
            h, w = w, h
        return m, (h, w)

    def warp_image(self, img, params, matrix, out_hw):  # type: ignore[no-untyped-def]
        return F.rot90(img, int(params["k"]))

    warp_mask = warp_image


@register
class Transpose(GeometricStep):
    """Swaps rows and columns (mirror about the main diagonal).

    Example:
        >>> import numpy as np
        >>> Transpose(p=1.0)(np.zeros((2, 5), np.uint8)).shape
        (5, 2)
    """

    warp_needs_matrix = False

    def __init__(self, p: float = 0.5) -> None:
        super().__init__(p=p)

    def geometry(self, params, height, width):  # type: ignore[no-untyped-def]
        return np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]), (width, height)

    def warp_image(self, img, params, matrix, out_hw):  # type: ignore[no-untyped-def]
        return F.transpose(img)

    warp_mask = warp_image


@register
class Rotate(GeometricStep):
    """Rotates about the image centre by a random angle; the output keeps the input size.

    Args:
        limit: Angle range in degrees, ``x`` meaning ``(-x, x)``; positive is counter-clockwise.
        interpolation: ``"nearest"``, ``"linear"``, ``"cubic"``, ``"area"`` or ``"lanczos"``.
        border_mode: ``"constant"``, ``"reflect"``, ``"replicate"`` or ``"wrap"``.
        fill: Fill colour for ``"constant"`` (0..255 units, a number or one per channel).
        fill_mask: Mask value for ``"constant"``.
        p: Probability of applying the step.

    Example:
        >>> import numpy as np
        >>> Rotate(limit=(90, 90), p=1.0)(np.zeros((4, 4), np.uint8)).shape
        (4, 4)
    """

    def __init__(
        self,
        limit: float | tuple[float, float] = 30,
        interpolation: str = "linear",
        border_mode: str = "constant",
        fill: Any = 0,
        fill_mask: float = 0,
        p: float = 0.5,
    ) -> None:
        super().__init__(p=p)
        self._limit = to_range(limit, self.name, "limit", low=-360, high=360)
        self.limit = limit
        self._init_border(interpolation, border_mode, fill, fill_mask)

    def make_params(self, sample: Sample, rng: np.random.Generator) -> dict[str, Any]:
        return {"angle": uniform(rng, self._limit)}

    def geometry(self, params, height, width):  # type: ignore[no-untyped-def]
        return _about_centre(rotation(params["angle"]), height, width), (height, width)


@register
class Affine(GeometricStep):
    """Random affine warp about the centre: scale, translation, rotation and shear in one resampling.

    Args:
        scale: Zoom factor range (a single number means exactly that factor).
        translate_percent: Shift range as a fraction of the image size, ``x`` meaning ``(-x, x)``,
            drawn separately for x and y.
        rotate: Rotation range in degrees (counter-clockwise positive), ``x`` meaning ``(-x, x)``.
        shear: Horizontal shear range in degrees, ``x`` meaning ``(-x, x)``.
        shear_y: Vertical shear range in degrees.
        interpolation: ``"nearest"``, ``"linear"``, ``"cubic"``, ``"area"`` or ``"lanczos"``.
        border_mode: ``"constant"``, ``"reflect"``, ``"replicate"`` or ``"wrap"``.
        fill: Fill colour for ``"constant"`` (0..255 units).
        fill_mask: Mask value for ``"constant"``.
        p: Probability of applying the step.

    Example:
        >>> import numpy as np
        >>> Affine(scale=(0.9, 1.1), rotate=10, p=1.0)(np.zeros((8, 8, 3), np.uint8)).shape
        (8, 8, 3)
    """

    def __init__(
        self,
        scale: float | tuple[float, float] = (0.9, 1.1),
        translate_percent: float | tuple[float, float] = 0.1,
        rotate: float | tuple[float, float] = 15,
        shear: float | tuple[float, float] = 10,
        shear_y: float | tuple[float, float] = 0,
        interpolation: str = "linear",
        border_mode: str = "constant",
        fill: Any = 0,
        fill_mask: float = 0,
        p: float = 0.5,
    ) -> None:
        super().__init__(p=p)
        self._scale = to_range(scale, self.name, "scale", low=1e-3, high=100, scalar="fixed")
        self._translate = to_range(translate_percent, self.name, "translate_percent", low=-1, high=1)
        self._rotate = to_range(rotate, self.name, "rotate", low=-360, high=360)
        self._shear = to_range(shear, self.name, "shear", low=-80, high=80)
        self._shear_y = to_range(shear_y, self.name, "shear_y", low=-80, high=80)
        self.scale, self.translate_percent, self.rotate = scale, translate_percent, rotate
        self.shear, self.shear_y = shear, shear_y
        self._init_border(interpolation, border_mode, fill, fill_mask)

    def make_params(self, sample: Sample, rng: np.random.Generator) -> dict[str, Any]:
        return {
            "scale": uniform(rng, self._scale),
            "tx": uniform(rng, self._translate),
            "ty": uniform(rng, self._translate),
            "angle": uniform(rng, self._rotate),
            "shear_x": uniform(rng, self._shear),
            "shear_y": uniform(rng, self._shear_y),
        }

    def geometry(self, params, height, width):  # type: ignore[no-untyped-def]
        s = params["scale"]
        core = rotation(params["angle"]) @ shearing(params["shear_x"], params["shear_y"]) @ scaling(s, s)
        m = translation(params["tx"] * width, params["ty"] * height) @ _about_centre(core, height, width)
        return m, (height, width)


@register
class Perspective(GeometricStep):
    """Random perspective warp: each image corner moves by up to ``scale`` of the image size.

    Args:
        scale: Range of the largest corner displacement, as a fraction of width/height.
        interpolation: ``"nearest"``, ``"linear"``, ``"cubic"``, ``"area"`` or ``"lanczos"``.
        border_mode: ``"constant"``, ``"reflect"``, ``"replicate"`` or ``"wrap"``.
        fill: Fill colour for ``"constant"`` (0..255 units).
        fill_mask: Mask value for ``"constant"``.
        p: Probability of applying the step.

    Example:
        >>> import numpy as np
        >>> Perspective(p=1.0)(np.zeros((8, 8), np.uint8)).shape
        (8, 8)
    """

    box_samples_per_edge = 1  # straight lines stay straight: the corners give the tight box

    def __init__(
        self,
        scale: float | tuple[float, float] = (0.05, 0.1),
        interpolation: str = "linear",
        border_mode: str = "constant",
        fill: Any = 0,
        fill_mask: float = 0,
        p: float = 0.5,
    ) -> None:
        super().__init__(p=p)
        self._scale = to_range(scale, self.name, "scale", low=0, high=0.45, scalar="upper")
        self.scale = scale
        self._init_border(interpolation, border_mode, fill, fill_mask)

    def make_params(self, sample: Sample, rng: np.random.Generator) -> dict[str, Any]:
        s = uniform(rng, self._scale)
        offsets = rng.uniform(-s, s, size=(4, 2))
        return {"offsets": [[float(a), float(b)] for a, b in offsets]}

    def geometry(self, params, height, width):  # type: ignore[no-untyped-def]
        import cv2

        src = np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float64)
        dst = src + np.asarray(params["offsets"], dtype=np.float64) * [width, height]
        m = cv2.getPerspectiveTransform(src.astype(np.float32), dst.astype(np.float32)).astype(np.float64)
        return m, (height, width)


@register
class ElasticTransform(GeometricStep):
    """Elastic deformation: a smooth random displacement field moves every pixel by up to ``alpha`` pixels.

    Keypoints and box outlines are moved by inverting the field with a fixed-point iteration,
    which is exact for fields that do not fold (``alpha`` small against ``sigma``, as by default).

    Args:
        alpha: Largest displacement in pixels.
        sigma: Smoothness of the field (Gaussian standard deviation, pixels).
        interpolation: ``"nearest"``, ``"linear"``, ``"cubic"``, ``"area"`` or ``"lanczos"``.
        border_mode: ``"constant"``, ``"reflect"``, ``"replicate"`` or ``"wrap"``.
        fill: Fill colour for ``"constant"`` (0..255 units).
        fill_mask: Mask value for ``"constant"``.
        p: Probability of applying the step.

    Example:
        >>> import numpy as np
        >>> ElasticTransform(p=1.0)(np.zeros((16, 16, 3), np.uint8)).shape
        (16, 16, 3)
    """

    box_samples_per_edge = 16

    def __init__(
        self,
        alpha: float = 6.0,
        sigma: float = 12.0,
        interpolation: str = "linear",
        border_mode: str = "reflect",
        fill: Any = 0,
        fill_mask: float = 0,
        p: float = 0.5,
    ) -> None:
        super().__init__(p=p)
        check_number(alpha, self.name, "alpha", low=0, high=1000)
        check_number(sigma, self.name, "sigma", low=0.5, high=1000)
        self.alpha, self.sigma = alpha, sigma
        self._init_border(interpolation, border_mode, fill, fill_mask)
        self._cache: tuple[tuple[int, int, int], tuple[np.ndarray, np.ndarray]] | None = None

    def make_params(self, sample: Sample, rng: np.random.Generator) -> dict[str, Any]:
        return {"seed": int(rng.integers(2**63))}

    def _field(self, seed: int, height: int, width: int) -> tuple[np.ndarray, np.ndarray]:
        key = (seed, height, width)
        if self._cache is None or self._cache[0] != key:
            self._cache = (key, F.elastic_field(seed, height, width, float(self.alpha), float(self.sigma)))
        return self._cache[1]

    def geometry(self, params, height, width):  # type: ignore[no-untyped-def]
        return np.eye(3), (height, width)

    def _maps(self, params: dict[str, Any], h: int, w: int) -> tuple[np.ndarray, np.ndarray]:
        dx, dy = self._field(int(params["seed"]), h, w)
        xs, ys = np.meshgrid(np.arange(w, dtype=np.float32), np.arange(h, dtype=np.float32))
        return xs + dx, ys + dy

    def warp_image(self, img, params, matrix, out_hw):  # type: ignore[no-untyped-def]
        mx, my = self._maps(params, img.shape[0], img.shape[1])
        return F.remap(img, mx, my, self.interpolation, self.border_mode, self.fill)

    def warp_mask(self, mask, params, matrix, out_hw):  # type: ignore[no-untyped-def]
        mx, my = self._maps(params, mask.shape[0], mask.shape[1])
        return F.remap(mask, mx, my, "nearest", self.border_mode, self.fill_mask)

    def point_map(self, params, height, width):  # type: ignore[no-untyped-def]
        dx, dy = self._field(int(params["seed"]), height, width)

        def sample_field(field: np.ndarray, pts: np.ndarray) -> np.ndarray:
            # bilinear sample at continuous coordinates (pixel centres at +0.5), edges clamped
            x = np.clip(pts[:, 0] - 0.5, 0, width - 1)
            y = np.clip(pts[:, 1] - 0.5, 0, height - 1)
            x0 = np.minimum(np.floor(x).astype(int), max(width - 2, 0))
            y0 = np.minimum(np.floor(y).astype(int), max(height - 2, 0))
            x1, y1 = np.minimum(x0 + 1, width - 1), np.minimum(y0 + 1, height - 1)
            fx, fy = x - x0, y - y0
            top = field[y0, x0] * (1 - fx) + field[y0, x1] * fx
            bottom = field[y1, x0] * (1 - fx) + field[y1, x1] * fx
            return top * (1 - fy) + bottom * fy

        def move(pts: np.ndarray) -> np.ndarray:
            # output point q satisfies q + d(q) = source point: iterate q <- src - d(q)
            src = np.asarray(pts, dtype=np.float64)
            q = src.copy()
            for _ in range(30):
                step = src - np.stack([sample_field(dx, q), sample_field(dy, q)], axis=1)
                q = 0.5 * q + 0.5 * step if _ > 15 else step
            return q

        return move, (height, width)


def _check_size(value: Any, owner: str, param: str) -> int:
    return check_int(value, owner, param, low=1, high=1 << 16)


def _crop_error(step: str, sample: Sample, height: int, width: int) -> AugmentationError:
    h, w = image_hw(sample, step)
    key = (sample.keys_of("image") or sample.keys_of("mask"))[0]
    return AugmentationError(f"cannot crop {height}x{width} out of a {h}x{w} image", step=step, field=key)


class _Crop(GeometricStep):
    """Shared kernels of the crop steps: params ``x``, ``y``, ``w``, ``h`` in pixels, then resize to ``out``."""

    def geometry(self, params, height, width):  # type: ignore[no-untyped-def]
        oh, ow = self._out_hw(params)
        m = scaling(ow / params["w"], oh / params["h"]) @ translation(-params["x"], -params["y"])
        return m, (oh, ow)

    def _out_hw(self, params: dict[str, Any]) -> tuple[int, int]:
        return int(params["h"]), int(params["w"])

    warp_needs_matrix = False

    def warp_image(self, img, params, matrix, out_hw):  # type: ignore[no-untyped-def]
        x, y, w, h = int(params["x"]), int(params["y"]), int(params["w"]), int(params["h"])
        part = img[y : y + h, x : x + w]  # a view: OpenCV resizes it in place, no copy first
        out_hw = self._out_hw(params)
        if (h, w) == tuple(out_hw):
            return part.copy()
        return F.resize(part, out_hw, self.interpolation)

    def warp_mask(self, mask, params, matrix, out_hw):  # type: ignore[no-untyped-def]
        x, y, w, h = (int(params[k]) for k in ("x", "y", "w", "h"))
        part = mask[y : y + h, x : x + w]
        out_hw = self._out_hw(params)
        return part.copy() if (h, w) == tuple(out_hw) else F.resize(part, out_hw, "nearest")


@register
class RandomCrop(_Crop):
    """Crops a ``height`` x ``width`` window at a random position.

    Args:
        height: Crop height in pixels (at most the image height).
        width: Crop width in pixels.
        p: Probability of applying the step.

    Example:
        >>> import numpy as np
        >>> RandomCrop(2, 3, p=1.0)(np.zeros((4, 5), np.uint8)).shape
        (2, 3)
    """

    def __init__(self, height: int, width: int, p: float = 1.0) -> None:
        super().__init__(p=p)
        self.height = _check_size(height, self.name, "height")
        self.width = _check_size(width, self.name, "width")

    def make_params(self, sample: Sample, rng: np.random.Generator) -> dict[str, Any]:
        h, w = image_hw(sample, self.name)
        if self.height > h or self.width > w:
            raise _crop_error(self.name, sample, self.height, self.width)
        x = uniform_int(rng, w - self.width + 1)
        y = uniform_int(rng, h - self.height + 1)
        return {"x": x, "y": y, "w": self.width, "h": self.height}


@register
class CenterCrop(_Crop):
    """Crops the central ``height`` x ``width`` window.

    Args:
        height: Crop height in pixels (at most the image height).
        width: Crop width in pixels.
        p: Probability of applying the step.

    Example:
        >>> import numpy as np
        >>> CenterCrop(1, 1, p=1.0)(np.arange(9, dtype=np.uint8).reshape(3, 3)).tolist()
        [[4]]
    """

    def __init__(self, height: int, width: int, p: float = 1.0) -> None:
        super().__init__(p=p)
        self.height = _check_size(height, self.name, "height")
        self.width = _check_size(width, self.name, "width")

    def make_params(self, sample: Sample, rng: np.random.Generator) -> dict[str, Any]:
        h, w = image_hw(sample, self.name)
        if self.height > h or self.width > w:
            raise _crop_error(self.name, sample, self.height, self.width)
        return {"x": (w - self.width) // 2, "y": (h - self.height) // 2, "w": self.width, "h": self.height}


def _size_pair(size: Any, owner: str) -> tuple[int, int]:
    if isinstance(size, (list, tuple)):
        if len(size) != 2:
            raise ValueError(f"{owner}: size must be an int or a (height, width) pair, got {size!r}")
        return _check_size(size[0], owner, "size"), _check_size(size[1], owner, "size")
    s = _check_size(size, owner, "size")
    return s, s


@register
class RandomResizedCrop(_Crop):
    """Crops a random area and aspect ratio, then resizes it to ``size`` (Inception-style).

    Args:
        size: Output size, an int or ``(height, width)``.
        scale: Range of the crop area as a fraction of the image area.
        ratio: Range of the crop aspect ratio (width / height), drawn log-uniformly.
        interpolation: ``"nearest"``, ``"linear"``, ``"cubic"``, ``"area"`` or ``"lanczos"``.
        p: Probability of applying the step.

    Example:
        >>> import numpy as np
        >>> RandomResizedCrop(4, p=1.0)(np.zeros((10, 12, 3), np.uint8)).shape
        (4, 4, 3)
    """

    def __init__(
        self,
        size: int | tuple[int, int],
        scale: tuple[float, float] = (0.08, 1.0),
        ratio: tuple[float, float] = (3 / 4, 4 / 3),
        interpolation: str = "linear",
        p: float = 1.0,
    ) -> None:
        super().__init__(p=p)
        self._size = _size_pair(size, self.name)
        self._scale = to_range(scale, self.name, "scale", low=1e-4, high=1.0, scalar="upper")
        self._ratio = to_range(ratio, self.name, "ratio", low=1e-3, high=1e3, scalar="fixed")
        self.size, self.scale, self.ratio = size, scale, ratio
        self._log_ratio = (math.log(self._ratio[0]), math.log(self._ratio[1]))
        self._init_border(interpolation, "constant", 0, 0)

    def _out_hw(self, params: dict[str, Any]) -> tuple[int, int]:
        return self._size

    def make_params(self, sample: Sample, rng: np.random.Generator) -> dict[str, Any]:
        h, w = image_hw(sample, self.name)
        area = h * w
        log_ratio = self._log_ratio
        for _ in range(10):  # scalar draws and math: a few microseconds, not tens
            target = area * uniform(rng, self._scale)
            aspect = math.exp(uniform(rng, log_ratio))
            cw = int(round(math.sqrt(target * aspect)))
            ch = int(round(math.sqrt(target / aspect)))
            if 0 < cw <= w and 0 < ch <= h:
                return {"x": uniform_int(rng, w - cw + 1), "y": uniform_int(rng, h - ch + 1), "w": cw, "h": ch}
        # fall back to a centred crop with the closest allowed aspect ratio
        in_ratio = w / h
        if in_ratio < self._ratio[0]:
            cw, ch = w, max(1, int(round(w / self._ratio[0])))
        elif in_ratio > self._ratio[1]:
            ch, cw = h, max(1, int(round(h * self._ratio[1])))
        else:
            cw, ch = w, h
        return {"x": (w - cw) // 2, "y": (h - ch) // 2, "w": cw, "h": ch}


@register
class Resize(GeometricStep):
    """Resizes to ``height`` x ``width``.

    Args:
        height: Output height in pixels.
        width: Output width in pixels.
        interpolation: ``"nearest"``, ``"linear"``, ``"cubic"``, ``"area"`` or ``"lanczos"``.
        p: Probability of applying the step.

    Example:
        >>> import numpy as np
        >>> Resize(2, 3)(np.zeros((4, 6), np.uint8)).shape
        (2, 3)
    """

    def __init__(self, height: int, width: int, interpolation: str = "linear", p: float = 1.0) -> None:
        super().__init__(p=p)
        self.height = _check_size(height, self.name, "height")
        self.width = _check_size(width, self.name, "width")
        self._init_border(interpolation, "constant", 0, 0)

    def geometry(self, params, height, width):  # type: ignore[no-untyped-def]
        return scaling(self.width / width, self.height / height), (self.height, self.width)

    def warp_image(self, img, params, matrix, out_hw):  # type: ignore[no-untyped-def]
        return F.resize(img, out_hw, self.interpolation)

    def warp_mask(self, mask, params, matrix, out_hw):  # type: ignore[no-untyped-def]
        return F.resize(mask, out_hw, "nearest")


@register
class Pad(GeometricStep):
    """Pads the borders by a fixed number of pixels.

    Args:
        padding: Pixels on every side, or ``(left, top, right, bottom)``.
        border_mode: ``"constant"``, ``"reflect"``, ``"replicate"`` or ``"wrap"``.
        fill: Fill colour for ``"constant"`` (0..255 units).
        fill_mask: Mask value for ``"constant"``.
        p: Probability of applying the step.

    Example:
        >>> import numpy as np
        >>> Pad(padding=(1, 0, 2, 3))(np.zeros((2, 2), np.uint8)).shape
        (5, 5)
    """

    warp_needs_matrix = False

    def __init__(
        self,
        padding: int | tuple[int, int, int, int] = 8,
        border_mode: str = "constant",
        fill: Any = 0,
        fill_mask: float = 0,
        p: float = 1.0,
    ) -> None:
        super().__init__(p=p)
        if isinstance(padding, (list, tuple)):
            if len(padding) != 4:
                raise ValueError(f"{self.name}: padding must be an int or (left, top, right, bottom), got {padding!r}")
            self._pad = tuple(check_int(v, self.name, "padding", low=0, high=1 << 14) for v in padding)
        else:
            v = check_int(padding, self.name, "padding", low=0, high=1 << 14)
            self._pad = (v, v, v, v)
        self.padding = padding
        self._init_border("linear", border_mode, fill, fill_mask)

    def geometry(self, params, height, width):  # type: ignore[no-untyped-def]
        left, top, right, bottom = self._pad
        return translation(left, top), (height + top + bottom, width + left + right)

    def warp_image(self, img, params, matrix, out_hw):  # type: ignore[no-untyped-def]
        left, top, right, bottom = self._pad
        return F.pad(img, top, bottom, left, right, self.border_mode, self.fill)

    def warp_mask(self, mask, params, matrix, out_hw):  # type: ignore[no-untyped-def]
        left, top, right, bottom = self._pad
        return F.pad(mask, top, bottom, left, right, self.border_mode, self.fill_mask)
