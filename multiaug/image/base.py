"""Base classes of the image steps: shared validation and the geometric-step machinery.

A geometric step describes its transform as a 3x3 matrix in continuous pixel coordinates (see
:mod:`multiaug.image.targets`) plus an output size; from that one description the base class moves
the image, the masks (nearest neighbour), the boxes and the keypoints, so they cannot disagree.
Steps override :meth:`GeometricStep.warp_image` where a faster exact kernel exists (flips, crops).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from multiaug.core.augmenter import Augmenter
from multiaug.core.errors import AugmentationError
from multiaug.core.fields import Sample
from multiaug.core.params import check_choice, check_number
from multiaug.core.random import uniform, uniform_int
from multiaug.image import functional as F
from multiaug.image import targets

__all__ = ["GeometricStep", "ImageStep", "check_fill", "require_rgb", "uniform", "uniform_int"]


class ImageStep(Augmenter):
    """Base of every image step: boxes are validated in their format before any kernel runs."""

    def sample_checks(self, kinds: Mapping[str, str | None]) -> tuple[Callable[[Sample, str], None], ...]:
        return (targets.check_boxes,) if "bboxes" in kinds.values() else ()


def require_rgb(img: np.ndarray, step: str) -> None:
    """Raise unless ``img`` is RGB (3 channels) or RGBA (4 channels, alpha kept)."""
    if img.ndim != 3 or img.shape[2] not in (3, 4):
        shape = "x".join(str(s) for s in img.shape)
        raise AugmentationError(
            f"this colour step needs an RGB (HxWx3) or RGBA (HxWx4, alpha kept) image, got {shape}; "
            "use a per-channel step (e.g. RandomBrightnessContrast) for other channel layouts",
            step=step,
        )


def check_fill(value: Any, owner: str, param: str) -> Any:
    """A fill value: a number in 0..255 or a list of them (one per channel); given in 0..255 units."""
    if isinstance(value, (list, tuple)):
        if not value:
            raise ValueError(f"{owner}: {param} must not be an empty list")
        for v in value:
            check_number(v, owner, param, low=0, high=255)
        return value
    check_number(value, owner, param, low=0, high=255)
    return value


class GeometricStep(ImageStep):
    """Base of the steps that move pixels; subclasses implement :meth:`geometry`.

    Subclasses store ``interpolation``, ``border_mode``, ``fill`` and ``fill_mask`` (or inherit the
    defaults below) and may override :meth:`warp_image` / :meth:`warp_mask` with exact fast kernels.
    """

    moves = "geometry"
    interpolation = "linear"
    border_mode = "constant"
    fill: Any = 0
    fill_mask: Any = 0

    def _init_border(self, interpolation: str, border_mode: str, fill: Any, fill_mask: Any) -> None:
        self.interpolation = check_choice(interpolation, self.name, "interpolation", list(F.INTERPOLATIONS))
        self.border_mode = check_choice(border_mode, self.name, "border_mode", list(F.BORDER_MODES))
        self.fill = check_fill(fill, self.name, "fill")
        check_number(fill_mask, self.name, "fill_mask")
        self.fill_mask = fill_mask

    # ------------------------------------------------------------------ to implement
    def geometry(self, params: dict[str, Any], height: int, width: int) -> tuple[np.ndarray, tuple[int, int]]:
        """The 3x3 matrix (continuous coordinates, input -> output) and the output ``(height, width)``."""
        raise NotImplementedError

    def warp_image(
        self, img: np.ndarray, params: dict[str, Any], matrix: np.ndarray, out_hw: tuple[int, int]
    ) -> np.ndarray:
        return F.warp(img, matrix, out_hw, self.interpolation, self.border_mode, self.fill)

    def warp_mask(
        self, mask: np.ndarray, params: dict[str, Any], matrix: np.ndarray, out_hw: tuple[int, int]
    ) -> np.ndarray:
        return F.warp_nearest(mask, matrix, out_hw, self.border_mode, self.fill_mask)

    def point_map(self, params: dict[str, Any], height: int, width: int):  # type: ignore[no-untyped-def]
        """Function moving N x 2 points from input to output coordinates, and the output size."""
        matrix, out_hw = self.geometry(params, height, width)
        return (lambda pts: targets.transform_points(pts, matrix)), out_hw

    box_samples_per_edge = 1  # points per box edge to move (1: the corners; more for curved maps)

    # ------------------------------------------------------------------ kernels
    #: False for steps whose ``warp_image``/``warp_mask`` ignore the matrix (flips, crops): skips building it
    warp_needs_matrix = True

    def apply_image(self, value: np.ndarray, params: dict[str, Any], sample: Sample) -> np.ndarray:
        if not self.warp_needs_matrix:
            return self.warp_image(value, params, None, None)  # type: ignore[arg-type]
        matrix, out_hw = self.geometry(params, value.shape[0], value.shape[1])
        return self.warp_image(value, params, matrix, out_hw)

    def apply_mask(self, value: np.ndarray, params: dict[str, Any], sample: Sample) -> np.ndarray:
        if not self.warp_needs_matrix:
            return self.warp_mask(value, params, None, None)  # type: ignore[arg-type]
        matrix, out_hw = self.geometry(params, value.shape[0], value.shape[1])
        return self.warp_mask(value, params, matrix, out_hw)

    def apply_bboxes(self, value: np.ndarray, params: dict[str, Any], sample: Sample) -> Any:
        h, w = targets.image_size(sample, self.name)
        fn, out_hw = self.point_map(params, h, w)
        return targets.move_boxes(
            value, sample, self._key(sample, "bboxes", value), fn, out_hw, self.name, self.box_samples_per_edge
        )

    def apply_keypoints(self, value: np.ndarray, params: dict[str, Any], sample: Sample) -> Any:
        h, w = targets.image_size(sample, self.name)
        fn, out_hw = self.point_map(params, h, w)
        return targets.move_keypoints(value, sample, self._key(sample, "keypoints", value), fn, out_hw, self.name)

    @staticmethod
    def _key(sample: Sample, kind: str, value: Any) -> str:
        for key in sample.keys_of(kind):
            if sample[key] is value:
                return key
        return sample.keys_of(kind)[0]


def translation(tx: float, ty: float) -> np.ndarray:
    """3x3 translation matrix."""
    return np.array([[1.0, 0.0, tx], [0.0, 1.0, ty], [0.0, 0.0, 1.0]])


def scaling(sx: float, sy: float) -> np.ndarray:
    """3x3 scaling matrix (about the origin)."""
    return np.array([[sx, 0.0, 0.0], [0.0, sy, 0.0], [0.0, 0.0, 1.0]])


def rotation(degrees: float) -> np.ndarray:
    """3x3 counter-clockwise rotation (as seen on screen, y down) about the origin."""
    a = np.deg2rad(degrees)
    c, s = np.cos(a), np.sin(a)
    return np.array([[c, s, 0.0], [-s, c, 0.0], [0.0, 0.0, 1.0]])


def shearing(x_degrees: float, y_degrees: float) -> np.ndarray:
    """3x3 shear matrix: x += tan(x_degrees) * y, y += tan(y_degrees) * x."""
    return np.array(
        [[1.0, np.tan(np.deg2rad(x_degrees)), 0.0], [np.tan(np.deg2rad(y_degrees)), 1.0, 0.0], [0.0, 0.0, 1.0]]
    )


def image_hw(sample: Sample, step: str) -> tuple[int, int]:
    """Size of the sample's image (or mask) for steps whose draws depend on it."""
    return targets.image_size(sample, step)
