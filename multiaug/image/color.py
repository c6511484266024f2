"""Colour and intensity steps.

Point operations (brightness, contrast, gamma, posterize, solarize, invert, equalize,
autocontrast) are 256-entry lookup tables on ``uint8`` images (``RandomBrightnessContrast`` is a
single table); on ``float32`` images the same functions are evaluated directly. ``ColorJitter``
runs brightness and contrast as tables, saturation as one 3x3 colour matrix and hue as a byte
rotation in OpenCV's full-range HSV.

Intensity steps work on any number of channels (every channel alike). The steps that need colour
semantics (``ColorJitter``, ``Grayscale``) need an RGB or RGBA image (alpha is kept) and raise
:class:`~multiaug.AugmentationError` otherwise.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import cv2
import numpy as np

from multiaug.core.fields import Sample
from multiaug.core.params import check_choice, to_int_range, to_range
from multiaug.core.registry import register
from multiaug.image import functional as F
from multiaug.image.base import ImageStep, require_rgb, uniform
from multiaug.image.point_fusion import GROUP as POINT_GROUP

__all__ = [
    "AutoContrast",
    "ColorJitter",
    "Equalize",
    "Grayscale",
    "Invert",
    "Posterize",
    "RandomBrightnessContrast",
    "RandomGamma",
    "Solarize",
]


def _factor_range(value: Any, owner: str, param: str, high: float = 100.0) -> tuple[float, float]:
    """A multiplicative factor: ``x`` means ``(max(0, 1 - x), 1 + x)``, a pair is taken as is."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        lo, hi = to_range(value, owner, param, low=0, high=high, scalar="upper")
        return max(0.0, 1.0 - hi), 1.0 + hi
    return to_range(value, owner, param, low=0, high=high)


def _split_alpha(img: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    if img.shape[2] == 4:
        return np.ascontiguousarray(img[:, :, :3]), img[:, :, 3:]
    return img, None


def _join_alpha(rgb: np.ndarray, alpha: np.ndarray | None) -> np.ndarray:
    return rgb if alpha is None else np.concatenate([rgb, alpha], axis=2)


def lut_or_float(img: np.ndarray, lut: np.ndarray) -> np.ndarray:
    """Apply a uint8 table; on float images look up the nearest of the 256 levels."""
    if img.dtype == np.uint8:
        return F.apply_lut(img, lut)
    idx = np.clip(np.rint(img * 255.0), 0, 255).astype(np.uint8)
    return F.apply_lut(idx, lut).astype(np.float32) / np.float32(255.0)


@register
class ColorJitter(ImageStep):
    """Randomly changes brightness, contrast, saturation and hue (in that order) of an RGB image.

    Brightness multiplies the values, contrast blends with the mean luma, saturation blends with
    the luma image and hue rotates the HSV hue (in 1/256 turn steps on uint8 images).

    Args:
        brightness: Factor range, ``x`` meaning ``(max(0, 1 - x), 1 + x)``; 0 disables.
        contrast: Factor range, as ``brightness``.
        saturation: Factor range, as ``brightness``.
        hue: Hue shift range in turns, ``x`` meaning ``(-x, x)``, within ``[-0.5, 0.5]``.
        p: Probability of applying the step.

    Example:
        >>> import numpy as np
        >>> ColorJitter(p=1.0)(np.full((4, 4, 3), 100, np.uint8)).dtype
        dtype('uint8')
    """

    def __init__(
        self,
        brightness: float | tuple[float, float] = 0.2,
        contrast: float | tuple[float, float] = 0.2,
        saturation: float | tuple[float, float] = 0.2,
        hue: float | tuple[float, float] = 0.05,
        p: float = 0.5,
    ) -> None:
        super().__init__(p=p)
        self._b = _factor_range(brightness, self.name, "brightness")
        self._c = _factor_range(contrast, self.name, "contrast")
        self._s = _factor_range(saturation, self.name, "saturation")
        self._h = to_range(hue, self.name, "hue", low=-0.5, high=0.5)
        self.brightness, self.contrast, self.saturation, self.hue = brightness, contrast, saturation, hue

    def make_params(self, sample: Sample, rng: np.random.Generator) -> dict[str, Any]:
        return {
            "brightness": uniform(rng, self._b),
            "contrast": uniform(rng, self._c),
            "saturation": uniform(rng, self._s),
            "hue": uniform(rng, self._h),
        }

    def apply_image(self, value: np.ndarray, params: dict[str, Any], sample: Sample) -> np.ndarray:
        require_rgb(value, self.name)
        rgb, alpha = _split_alpha(value)
        b, c, s, h = params["brightness"], params["contrast"], params["saturation"], params["hue"]
        if b != 1.0 or c != 1.0:
            rgb = brightness_contrast(rgb, b, c)
        if s != 1.0:
            rgb = F.blend_gray(rgb, s)
        if h != 0.0:
            rgb = F.shift_hue(rgb, h)
        return _join_alpha(rgb, alpha)


def brightness_contrast(rgb: np.ndarray, b: float, c: float) -> np.ndarray:
    """``x * b`` (clipped), then a contrast blend ``(y - m) * c + m`` with ``m`` the mean luma of ``y``."""
    if rgb.dtype == np.uint8:
        # y is needed for its mean anyway: one table pass for it, one per-channel sum, one more table
        y = rgb if b == 1.0 else F.apply_lut(rgb, F.linear_lut(b))
        if c == 1.0:
            return y
        return F.apply_lut(y, F.linear_lut(c, F.mean_gray(y)))
    y = np.clip(rgb * np.float32(b), 0.0, 1.0)
    m = F.mean_gray(y)
    return np.clip((y - np.float32(m)) * np.float32(c) + np.float32(m), 0.0, 1.0).astype(np.float32)


@register
class RandomBrightnessContrast(ImageStep):
    """Random brightness offset and contrast factor on every channel, as one lookup table.

    The output is ``(x - m) * (1 + contrast) + m + brightness`` in 0..1 units, where ``m`` is the
    image mean (over all pixels and channels), clipped to the valid range.

    Args:
        brightness_limit: Offset range, ``x`` meaning ``(-x, x)``, within ``[-1, 1]``.
        contrast_limit: Contrast change range, ``x`` meaning ``(-x, x)``, within ``[-1, 10]``.
        p: Probability of applying the step.

    Example:
        >>> import numpy as np
        >>> RandomBrightnessContrast(p=1.0)(np.full((2, 2), 100, np.uint8)).shape
        (2, 2)
    """

    fusion = POINT_GROUP  # consecutive table steps run as one table (see point_fusion)

    def __init__(
        self,
        brightness_limit: float | tuple[float, float] = 0.2,
        contrast_limit: float | tuple[float, float] = 0.2,
        p: float = 0.5,
    ) -> None:
        super().__init__(p=p)
        self._b = to_range(brightness_limit, self.name, "brightness_limit", low=-1, high=1)
        self._c = to_range(contrast_limit, self.name, "contrast_limit", low=-1, high=10)
        self.brightness_limit, self.contrast_limit = brightness_limit, contrast_limit

    def make_params(self, sample: Sample, rng: np.random.Generator) -> dict[str, Any]:
        return {"brightness": uniform(rng, self._b), "contrast": uniform(rng, self._c)}

    def point_lut(self, params: dict[str, Any], mean: Callable[[], float]) -> np.ndarray:
        """The uint8 table of these parameters for an image whose mean (0..255 units) ``mean()`` gives.

        The mean is asked for only when the contrast changes (it is the pivot of the contrast).
        """
        a, beta = 1.0 + params["contrast"], params["brightness"]
        m = mean() / 255.0 if a != 1.0 else 0.0
        return F.linear_lut(a, m, beta)

    def apply_image(self, value: np.ndarray, params: dict[str, Any], sample: Sample) -> np.ndarray:
        a, beta = 1.0 + params["contrast"], params["brightness"]
        if value.dtype == np.uint8:  # point_lut(params, lambda: _mean_u8(value)), inlined: this is the hot path
            return F.apply_lut(value, F.linear_lut(a, _mean_u8(value) / 255.0 if a != 1.0 else 0.0, beta))
        m = float(value.mean(dtype=np.float64))
        return np.clip((value - np.float32(m)) * np.float32(a) + np.float32(m + beta), 0.0, 1.0).astype(np.float32)


def _no_mean() -> float:  # for tables that do not depend on the image
    raise AssertionError("this table does not depend on the image mean")


_INVERT = (255 - np.arange(256)).astype(np.uint8)
_INVERT.flags.writeable = False


def _mean_u8(img: np.ndarray) -> float:
    """Mean over all pixels and channels (``cv2.sumElems`` on a one-channel view: a single fast pass)."""
    if not img.flags.c_contiguous:
        img = np.ascontiguousarray(img)
    return float(cv2.sumElems(img.reshape(img.shape[0], -1))[0]) / img.size


@register
class RandomGamma(ImageStep):
    """Gamma correction ``x ** gamma`` with ``gamma`` drawn from ``gamma_limit / 100``.

    Args:
        gamma_limit: Range of ``100 * gamma``, e.g. ``(80, 120)``.
        p: Probability of applying the step.

    Example:
        >>> import numpy as np
        >>> RandomGamma((200, 200), p=1.0)(np.array([[0, 128, 255]], np.uint8)).tolist()
        [[0, 64, 255]]
    """

    fusion = POINT_GROUP  # consecutive table steps run as one table (see point_fusion)

    def __init__(self, gamma_limit: tuple[float, float] = (80, 120), p: float = 0.5) -> None:
        super().__init__(p=p)
        self._g = to_range(gamma_limit, self.name, "gamma_limit", low=1, high=1000, scalar="fixed")
        self.gamma_limit = gamma_limit

    def make_params(self, sample: Sample, rng: np.random.Generator) -> dict[str, Any]:
        return {"gamma": uniform(rng, self._g) / 100.0}

    def point_lut(self, params: dict[str, Any], mean: Callable[[], float]) -> np.ndarray:
        """The uint8 table of these parameters (``mean`` is not needed)."""
        g = params["gamma"]
        return F.lut_from(lambda x: np.power(np.clip(x, 0.0, 1.0), g))

    def apply_image(self, value: np.ndarray, params: dict[str, Any], sample: Sample) -> np.ndarray:
        if value.dtype == np.uint8:
            return F.apply_lut(value, self.point_lut(params, _no_mean))
        g = params["gamma"]
        return F.point(value, lambda x: np.power(np.clip(x, 0.0, 1.0), g))


@register
class Grayscale(ImageStep):
    """Converts an RGB(A) image to grey (ITU-R 601 luma), keeping 3 channels by default.

    Args:
        num_output_channels: 3 (grey repeated, alpha kept) or 1.
        p: Probability of applying the step.

    Example:
        >>> import numpy as np
        >>> Grayscale(p=1.0)(np.array([[[255, 0, 0]]], np.uint8)).tolist()
        [[[76, 76, 76]]]
    """

    def __init__(self, num_output_channels: int = 3, p: float = 0.5) -> None:
        super().__init__(p=p)
        self.num_output_channels = check_choice(num_output_channels, self.name, "num_output_channels", [1, 3])

    def apply_image(self, value: np.ndarray, params: dict[str, Any], sample: Sample) -> np.ndarray:
        require_rgb(value, self.name)
        return F.grayscale(value, self.num_output_channels)


@register
class Posterize(ImageStep):
    """Keeps only the ``bits`` most significant bits of every value.

    Args:
        bits: Number of bits kept, an int or an inclusive ``(low, high)`` range within 1..8.
        p: Probability of applying the step.

    Example:
        >>> import numpy as np
        >>> Posterize(bits=2, p=1.0)(np.array([[0, 100, 255]], np.uint8)).tolist()
        [[0, 64, 192]]
    """

    fusion = POINT_GROUP  # consecutive table steps run as one table (see point_fusion)

    def __init__(self, bits: int | tuple[int, int] = (4, 6), p: float = 0.5) -> None:
        super().__init__(p=p)
        self._bits = to_int_range(bits, self.name, "bits", low=1, high=8)
        self.bits = bits

    def make_params(self, sample: Sample, rng: np.random.Generator) -> dict[str, Any]:
        return {"bits": int(rng.integers(self._bits[0], self._bits[1] + 1))}

    def point_lut(self, params: dict[str, Any], mean: Callable[[], float]) -> np.ndarray:
        """The uint8 table of these parameters (``mean`` is not needed)."""
        return F.posterize_lut(int(params["bits"]))

    def apply_image(self, value: np.ndarray, params: dict[str, Any], sample: Sample) -> np.ndarray:
        return lut_or_float(value, self.point_lut(params, _no_mean))


@register
class Solarize(ImageStep):
    """Inverts every value at or above a random threshold.

    Args:
        threshold: Threshold range as a fraction of the full scale, within ``[0, 1]``.
        p: Probability of applying the step.

    Example:
        >>> import numpy as np
        >>> Solarize(threshold=(0.5, 0.5), p=1.0)(np.array([[0, 100, 200]], np.uint8)).tolist()
        [[0, 100, 55]]
    """

    fusion = POINT_GROUP  # consecutive table steps run as one table (see point_fusion)

    def __init__(self, threshold: float | tuple[float, float] = (0.5, 1.0), p: float = 0.5) -> None:
        super().__init__(p=p)
        self._t = to_range(threshold, self.name, "threshold", low=0, high=1, scalar="fixed")
        self.threshold = threshold

    def make_params(self, sample: Sample, rng: np.random.Generator) -> dict[str, Any]:
        return {"threshold": uniform(rng, self._t)}

    def point_lut(self, params: dict[str, Any], mean: Callable[[], float]) -> np.ndarray:
        """The uint8 table of these parameters (``mean`` is not needed)."""
        return F.solarize_lut(math.ceil(params["threshold"] * 255.0 - 1e-9))

    def apply_image(self, value: np.ndarray, params: dict[str, Any], sample: Sample) -> np.ndarray:
        t = params["threshold"]
        if value.dtype == np.uint8:
            return F.apply_lut(value, self.point_lut(params, _no_mean))
        return np.where(value >= np.float32(t), np.float32(1.0) - value, value).astype(np.float32)


@register
class Equalize(ImageStep):
    """Equalises the histogram of every channel (Pillow's rule; float images go through 256 levels).

    Example:
        >>> import numpy as np
        >>> out = Equalize(p=1.0)(np.repeat(np.array([[10, 20, 30]], np.uint8), 200, axis=1))
        >>> sorted(set(out.ravel().tolist()))
        [0, 200, 255]
    """

    def __init__(self, p: float = 0.5) -> None:
        super().__init__(p=p)

    def apply_image(self, value: np.ndarray, params: dict[str, Any], sample: Sample) -> np.ndarray:
        return F.equalize(value)


@register
class AutoContrast(ImageStep):
    """Stretches every channel so that its darkest value becomes 0 and its brightest the maximum.

    Example:
        >>> import numpy as np
        >>> AutoContrast(p=1.0)(np.array([[50, 100, 150]], np.uint8)).tolist()
        [[0, 127, 255]]
    """

    def __init__(self, p: float = 0.5) -> None:
        super().__init__(p=p)

    def apply_image(self, value: np.ndarray, params: dict[str, Any], sample: Sample) -> np.ndarray:
        return F.autocontrast(value)


@register
class Invert(ImageStep):
    """Inverts every value (``255 - x`` on uint8, ``1 - x`` on float).

    Example:
        >>> import numpy as np
        >>> Invert(p=1.0)(np.array([[0, 55]], np.uint8)).tolist()
        [[255, 200]]
    """

    fusion = POINT_GROUP  # consecutive table steps run as one table (see point_fusion)

    def __init__(self, p: float = 0.5) -> None:
        super().__init__(p=p)

    def point_lut(self, params: dict[str, Any], mean: Callable[[], float]) -> np.ndarray:
        """The uint8 table (``mean`` is not needed)."""
        return _INVERT

    def apply_image(self, value: np.ndarray, params: dict[str, Any], sample: Sample) -> np.ndarray:
        if value.dtype == np.uint8:
            return F.apply_lut(value, _INVERT)
        return (np.float32(1.0) - value).astype(np.float32)
