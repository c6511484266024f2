"""Filters, noise and compression steps (they change pixel values only, never geometry)."""

from __future__ import annotations

from typing import Any

import numpy as np

from multiaug.core.errors import AugmentationError
from multiaug.core.fields import Sample
from multiaug.core.params import to_int_range, to_range
from multiaug.core.registry import register
from multiaug.image import functional as F
from multiaug.image.base import ImageStep, uniform
from multiaug.image.noise_alias import snap_sigma

__all__ = [
    "GaussianBlur",
    "GaussianNoise",
    "JpegCompression",
    "MedianBlur",
    "MotionBlur",
    "SaltAndPepper",
    "Sharpen",
]


def _odd_range(value: Any, owner: str, param: str, low: int = 3) -> tuple[int, int]:
    lo, hi = to_int_range(value, owner, param, low=low, high=255)
    if lo % 2 == 0 or hi % 2 == 0:
        raise ValueError(f"{owner}: {param} must be odd kernel sizes, got {value!r}")
    return lo, hi


def _draw_odd(rng: np.random.Generator, lo: int, hi: int) -> int:
    return int(lo + 2 * rng.integers(0, (hi - lo) // 2 + 1))


@register
class GaussianBlur(ImageStep):
    """Gaussian blur with a random standard deviation.

    Args:
        sigma_limit: Range of the standard deviation in pixels.
        blur_limit: Range of odd kernel sizes; 0 derives the size from sigma: radius ``round(3 sigma)``
            (``2 * int(3 sigma + 0.5) + 1``, the truncation of ``scipy.ndimage.gaussian_filter(truncate=3)``).
        p: Probability of applying the step.

    Example:
        >>> import numpy as np
        >>> GaussianBlur(p=1.0)(np.zeros((8, 8, 3), np.uint8)).shape
        (8, 8, 3)
    """

    def __init__(
        self,
        sigma_limit: float | tuple[float, float] = (0.5, 2.0),
        blur_limit: int | tuple[int, int] = 0,
        p: float = 0.5,
    ) -> None:
        super().__init__(p=p)
        self._sigma = to_range(sigma_limit, self.name, "sigma_limit", low=0.05, high=100, scalar="fixed")
        self._ksize = (0, 0) if blur_limit == 0 else _odd_range(blur_limit, self.name, "blur_limit")
        self.sigma_limit, self.blur_limit = sigma_limit, blur_limit

    def make_params(self, sample: Sample, rng: np.random.Generator) -> dict[str, Any]:
        sigma = uniform(rng, self._sigma)
        ksize = F.gaussian_ksize(sigma) if self._ksize == (0, 0) else _draw_odd(rng, *self._ksize)
        return {"sigma": sigma, "ksize": ksize}

    def apply_image(self, value: np.ndarray, params: dict[str, Any], sample: Sample) -> np.ndarray:
        return F.gaussian_blur(value, int(params["ksize"]), float(params["sigma"]))


@register
class MotionBlur(ImageStep):
    """Blurs along a random line, as a moving camera does.

    Args:
        blur_limit: Range of odd line lengths (kernel sizes) in pixels.
        angle: Range of the line angle in degrees.
        direction: Range of the weight bias along the line, within ``[-1, 1]`` (0: symmetric).
        p: Probability of applying the step.

    Example:
        >>> import numpy as np
        >>> MotionBlur(p=1.0)(np.zeros((8, 8), np.uint8)).shape
        (8, 8)
    """

    def __init__(
        self,
        blur_limit: int | tuple[int, int] = (3, 9),
        angle: float | tuple[float, float] = (0, 360),
        direction: float | tuple[float, float] = (-1.0, 1.0),
        p: float = 0.5,
    ) -> None:
        super().__init__(p=p)
        self._k = _odd_range(blur_limit, self.name, "blur_limit")
        self._angle = to_range(angle, self.name, "angle", low=-360, high=360)
        self._dir = to_range(direction, self.name, "direction", low=-1, high=1)
        self.blur_limit, self.angle, self.direction = blur_limit, angle, direction

    def make_params(self, sample: Sample, rng: np.random.Generator) -> dict[str, Any]:
        return {
            "ksize": _draw_odd(rng, *self._k),
            "angle": uniform(rng, self._angle),
            "direction": uniform(rng, self._dir),
        }

    def apply_image(self, value: np.ndarray, params: dict[str, Any], sample: Sample) -> np.ndarray:
        kernel = F.motion_kernel(int(params["ksize"]), float(params["angle"]), float(params["direction"]))
        return F.filter2d(value, kernel)


@register
class MedianBlur(ImageStep):
    """Median filter with a random odd window size.

    Args:
        blur_limit: Range of odd window sizes.
        p: Probability of applying the step.

    Example:
        >>> import numpy as np
        >>> int(MedianBlur(3, p=1.0)(np.array([[0, 0, 0], [0, 255, 0], [0, 0, 0]], np.uint8)).max())
        0
    """

    def __init__(self, blur_limit: int | tuple[int, int] = (3, 7), p: float = 0.5) -> None:
        super().__init__(p=p)
        self._k = _odd_range(blur_limit, self.name, "blur_limit")
        self.blur_limit = blur_limit

    def make_params(self, sample: Sample, rng: np.random.Generator) -> dict[str, Any]:
        return {"ksize": _draw_odd(rng, *self._k)}

    def apply_image(self, value: np.ndarray, params: dict[str, Any], sample: Sample) -> np.ndarray:
        return F.median_blur(value, int(params["ksize"]))


@register
class Sharpen(ImageStep):
    """Sharpens by blending the image with a Laplacian-sharpened copy.

    Args:
        alpha: Range of the blend factor (0: unchanged, 1: fully sharpened).
        lightness: Range of the centre boost of the sharpening kernel (brightness of the result).
        p: Probability of applying the step.

    Example:
        >>> import numpy as np
        >>> Sharpen(p=1.0)(np.full((5, 5), 100, np.uint8)).shape
        (5, 5)
    """

    def __init__(
        self,
        alpha: float | tuple[float, float] = (0.2, 0.5),
        lightness: float | tuple[float, float] = (0.5, 1.0),
        p: float = 0.5,
    ) -> None:
        super().__init__(p=p)
        self._alpha = to_range(alpha, self.name, "alpha", low=0, high=1, scalar="fixed")
        self._light = to_range(lightness, self.name, "lightness", low=0, high=10, scalar="fixed")
        self.alpha, self.lightness = alpha, lightness

    def make_params(self, sample: Sample, rng: np.random.Generator) -> dict[str, Any]:
        return {"alpha": uniform(rng, self._alpha), "lightness": uniform(rng, self._light)}

    def apply_image(self, value: np.ndarray, params: dict[str, Any], sample: Sample) -> np.ndarray:
        return F.filter2d(value, F.sharpen_kernel(float(params["alpha"]), float(params["lightness"])))


@register
class GaussianNoise(ImageStep):
    """Adds Gaussian noise with a random standard deviation (in units of the full scale).

    Args:
        std_range: Range of the noise standard deviation, a fraction of the full scale (255 on uint8).
            A draw from a range is rounded to a grid of 1/120 octave (0.6%); a fixed value is exact.
        mean: Mean of the noise, same units.
        per_channel: Independent noise per channel (False: the same noise on every channel).
        p: Probability of applying the step.

    Example:
        >>> import numpy as np
        >>> GaussianNoise(p=1.0)(np.full((4, 4, 3), 128, np.uint8)).dtype
        dtype('uint8')
    """

    def __init__(
        self,
        std_range: float | tuple[float, float] = (0.02, 0.1),
        mean: float = 0.0,
        per_channel: bool = True,
        p: float = 0.5,
    ) -> None:
        super().__init__(p=p)
        self._std = to_range(std_range, self.name, "std_range", low=0, high=1, scalar="fixed")
        to_range(mean, self.name, "mean", low=-1, high=1, scalar="fixed")
        if not isinstance(per_channel, bool):
            raise TypeError(f"{self.name}: per_channel must be true or false, got {per_channel!r}")
        self.std_range, self.mean, self.per_channel = std_range, mean, per_channel

    def make_params(self, sample: Sample, rng: np.random.Generator) -> dict[str, Any]:
        low, high = self._std
        std = uniform(rng, self._std)
        if low < high:  # a drawn std on a 0.6% grid, so that uint8 images reuse their noise tables
            std = min(max(snap_sigma(std), low), high)
        return {"std": std, "seed": int(rng.integers(2**63))}

    def apply_image(self, value: np.ndarray, params: dict[str, Any], sample: Sample) -> np.ndarray:
        return F.gaussian_noise(value, float(params["std"]), float(self.mean), int(params["seed"]), self.per_channel)


@register
class SaltAndPepper(ImageStep):
    """Turns a random fraction of pixels white (salt) or black (pepper).

    Args:
        amount: Range of the fraction of pixels changed.
        salt_vs_pepper: Range of the share of salt among them.
        p: Probability of applying the step.

    Example:
        >>> import numpy as np
        >>> SaltAndPepper(amount=(1.0, 1.0), p=1.0)(np.full((2, 2), 9, np.uint8)).tolist() != [[9, 9], [9, 9]]
        True
    """

    def __init__(
        self,
        amount: float | tuple[float, float] = (0.01, 0.06),
        salt_vs_pepper: float | tuple[float, float] = (0.4, 0.6),
        p: float = 0.5,
    ) -> None:
        super().__init__(p=p)
        self._amount = to_range(amount, self.name, "amount", low=0, high=1, scalar="fixed")
        self._svp = to_range(salt_vs_pepper, self.name, "salt_vs_pepper", low=0, high=1, scalar="fixed")
        self.amount, self.salt_vs_pepper = amount, salt_vs_pepper

    def make_params(self, sample: Sample, rng: np.random.Generator) -> dict[str, Any]:
        return {
            "amount": uniform(rng, self._amount),
            "salt_vs_pepper": uniform(rng, self._svp),
            "seed": int(rng.integers(2**63)),
        }

    def apply_image(self, value: np.ndarray, params: dict[str, Any], sample: Sample) -> np.ndarray:
        return F.salt_and_pepper(value, float(params["amount"]), float(params["salt_vs_pepper"]), int(params["seed"]))


@register
class JpegCompression(ImageStep):
    """Encodes and decodes as JPEG at a random quality (1 or 3 channels; RGBA keeps its alpha).

    Args:
        quality: Inclusive range of JPEG quality, within 1..100.
        p: Probability of applying the step.

    Example:
        >>> import numpy as np
        >>> JpegCompression(p=1.0)(np.zeros((8, 8, 3), np.uint8)).shape
        (8, 8, 3)
    """

    def __init__(self, quality: int | tuple[int, int] = (50, 95), p: float = 0.5) -> None:
        super().__init__(p=p)
        self._q = to_int_range(quality, self.name, "quality", low=1, high=100)
        self.quality = quality

    def make_params(self, sample: Sample, rng: np.random.Generator) -> dict[str, Any]:
        return {"quality": int(rng.integers(self._q[0], self._q[1] + 1))}

    def apply_image(self, value: np.ndarray, params: dict[str, Any], sample: Sample) -> np.ndarray:
        if F.channels(value) not in (1, 3, 4):
            raise AugmentationError(
                f"JPEG stores 1 (grey) or 3 (RGB) channels, plus a kept alpha channel; got {F.channels(value)}"
            )
        return F.jpeg(value, int(params["quality"]))
