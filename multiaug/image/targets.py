"""Boxes, keypoints and masks: format conversion, validation and moving them with a geometric transform.

Coordinates are continuous pixel coordinates: pixel ``(row i, column j)`` covers
``[j, j + 1) x [i, i + 1)``, so an image of width ``W`` spans ``x`` in ``[0, W]`` and the centre of
its first pixel is ``(0.5, 0.5)``. A geometric step describes itself as a 3x3 matrix in these
coordinates (affine or projective), which moves every target the same way as the image.

Boxes:
    * Formats (``sample.options["bbox_format"]``): ``pascal_voc`` (``x1, y1, x2, y2`` in pixels, the
      default), ``coco`` (``x, y, w, h`` in pixels) and ``yolo`` (``cx, cy, w, h`` as fractions of
      the image size). Columns after the fourth (class ids, scores...) are kept as they are.
    * A moved box is the tight box of its four moved corners, clipped to the image. Boxes with no
      area left inside the image, less than ``min_area`` pixels, or less than ``min_visibility``
      of their moved area inside the image are dropped, together with the matching entries of the
      ``bbox_labels`` fields (lists stay lists, arrays stay arrays, so integer labels stay integers).

Keypoints:
    * ``x, y`` plus extra columns, kept as they are.
    * ``keypoint_mode="flag"`` (the default): points that leave the image keep their exact moved
      coordinates, which then lie outside ``[0, W) x [0, H)``; that is the flag, and
      :func:`keypoints_visible` turns it into a boolean column. Nothing is lost, and a later step
      that brings a point back moves it to the right place.
    * ``keypoint_mode="drop"``: points outside the image are removed, with their
      ``keypoint_labels`` entries.

Example:
    >>> import numpy as np
    >>> to_voc(np.array([[0.5, 0.5, 0.5, 0.5]]), "yolo", 100, 50, "image.Rotate").tolist()
    [[25.0, 12.5, 75.0, 37.5]]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from multiaug.core.errors import AugmentationError
from multiaug.core.fields import Sample, Updates

__all__ = [
    "boxes_to_mask",
    "clip_and_filter",
    "from_voc",
    "image_size",
    "keypoints_visible",
    "move_boxes",
    "move_keypoints",
    "take_rows",
    "to_voc",
    "transform_points",
]

BBOX_FORMATS = ("pascal_voc", "coco", "yolo")


def image_size(sample: Sample, step: str = "") -> tuple[int, int]:
    """``(height, width)`` of the sample's first image (or mask), which boxes and keypoints live in."""
    ref = sample.first("image")
    if ref is None:
        ref = sample.first("mask")
    if ref is None:
        raise AugmentationError(
            "boxes and keypoints need an image or mask field in the sample to know the image size", step=step or None
        )
    return int(ref.shape[0]), int(ref.shape[1])


def to_voc(boxes: np.ndarray, fmt: str, width: int, height: int, step: str = "") -> np.ndarray:
    """Validate boxes in ``fmt`` and return them as pascal_voc pixels (extra columns kept).

    Raises:
        AugmentationError: unknown format, or a box with a negative size (``x2 < x1``, ``w < 0``...).
    """
    if fmt not in BBOX_FORMATS:
        raise AugmentationError(f"bbox_format must be one of {BBOX_FORMATS}, got {fmt!r}", step=step or None)
    boxes = np.asarray(boxes, dtype=np.float64)
    if boxes.ndim != 2 or boxes.shape[1] < 4:
        raise AugmentationError(f"bboxes must be an N x 4+ table, got shape {boxes.shape}", step=step or None)
    if len(boxes) == 0:
        return boxes.copy()
    out = boxes.copy()
    if fmt == "pascal_voc":
        bad = (boxes[:, 2] < boxes[:, 0]) | (boxes[:, 3] < boxes[:, 1])
        what = "x2 < x1 or y2 < y1"
    else:
        bad = (boxes[:, 2] < 0) | (boxes[:, 3] < 0)
        what = "a negative width or height"
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise AugmentationError(
            f"box {i} {boxes[i, :4].tolist()} has {what} ({fmt} format); check bbox_format", step=step or None
        )
    if fmt == "coco":
        out[:, 2] = boxes[:, 0] + boxes[:, 2]
        out[:, 3] = boxes[:, 1] + boxes[:, 3]
    elif fmt == "yolo":
        out[:, 0] = (boxes[:, 0] - boxes[:, 2] / 2) * width
        out[:, 1] = (boxes[:, 1] - boxes[:, 3] / 2) * height
        out[:, 2] = (boxes[:, 0] + boxes[:, 2] / 2) * width
        out[:, 3] = (boxes[:, 1] + boxes[:, 3] / 2) * height
    return out


def from_voc(boxes: np.ndarray, fmt: str, width: int, height: int) -> np.ndarray:
    """Inverse of :func:`to_voc` (no validation: the boxes come from a transform)."""
    out = boxes.copy()
    if len(boxes) == 0 or fmt == "pascal_voc":
        return out
    if fmt == "coco":
        out[:, 2] = boxes[:, 2] - boxes[:, 0]
        out[:, 3] = boxes[:, 3] - boxes[:, 1]
    else:
        out[:, 0] = (boxes[:, 0] + boxes[:, 2]) / 2 / width
        out[:, 1] = (boxes[:, 1] + boxes[:, 3]) / 2 / height
        out[:, 2] = (boxes[:, 2] - boxes[:, 0]) / width
        out[:, 3] = (boxes[:, 3] - boxes[:, 1]) / height
    return out


def transform_points(points: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    """Apply a 3x3 affine or projective ``matrix`` to an N x 2 array of points."""
    pts = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    m = np.asarray(matrix, dtype=np.float64)
    x = pts[:, 0] * m[0, 0] + pts[:, 1] * m[0, 1] + m[0, 2]
    y = pts[:, 0] * m[1, 0] + pts[:, 1] * m[1, 1] + m[1, 2]
    if m[2, 0] != 0 or m[2, 1] != 0 or m[2, 2] != 1:
        z = pts[:, 0] * m[2, 0] + pts[:, 1] * m[2, 1] + m[2, 2]
        z = np.where(np.abs(z) < 1e-12, 1e-12, z)
        x, y = x / z, y / z
    return np.stack([x, y], axis=1)


PointMap = Callable[[np.ndarray], np.ndarray]


def _box_outline(boxes: np.ndarray, per_edge: int) -> np.ndarray:
    """Points along the outline of each box: (N, 4 * per_edge, 2)."""
    t = np.linspace(0.0, 1.0, per_edge, endpoint=False)
    x1, y1, x2, y2 = (boxes[:, i : i + 1] for i in range(4))
    top = np.stack([x1 + (x2 - x1) * t, np.broadcast_to(y1, (len(boxes), per_edge))], -1)
    right = np.stack([np.broadcast_to(x2, (len(boxes), per_edge)), y1 + (y2 - y1) * t], -1)
    bottom = np.stack([x2 - (x2 - x1) * t, np.broadcast_to(y2, (len(boxes), per_edge))], -1)
    left = np.stack([np.broadcast_to(x1, (len(boxes), per_edge)), y2 - (y2 - y1) * t], -1)
    return np.concatenate([top, right, bottom, left], axis=1)


def tight_boxes(boxes: np.ndarray, point_map: PointMap, per_edge: int = 1) -> np.ndarray:
    """The tight box of each box's moved outline (its 4 corners when ``per_edge`` is 1)."""
    outline = _box_outline(boxes[:, :4], per_edge)
    moved = point_map(outline.reshape(-1, 2)).reshape(outline.shape)
    out = boxes.copy()
    out[:, 0] = moved[..., 0].min(axis=1)
    out[:, 1] = moved[..., 1].min(axis=1)
    out[:, 2] = moved[..., 0].max(axis=1)
    out[:, 3] = moved[..., 1].max(axis=1)
    return out


def clip_and_filter(
    boxes: np.ndarray, width: int, height: int, min_area: float = 0.0, min_visibility: float = 0.0
) -> tuple[np.ndarray, np.ndarray]:
    """Clip pascal_voc boxes to the image; return the kept boxes and the indices kept."""
    if len(boxes) == 0:
        return boxes.copy(), np.zeros(0, dtype=np.intp)
    full = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
    clipped = boxes.copy()
    clipped[:, [0, 2]] = np.clip(boxes[:, [0, 2]], 0, width)
    clipped[:, [1, 3]] = np.clip(boxes[:, [1, 3]], 0, height)
    w = clipped[:, 2] - clipped[:, 0]
    h = clipped[:, 3] - clipped[:, 1]
    area = w * h
    keep = (w > 0) & (h > 0) & (area >= min_area)
    if min_visibility > 0:
        with np.errstate(divide="ignore", invalid="ignore"):
            vis = np.where(full > 0, area / np.where(full > 0, full, 1), 0.0)
        keep &= vis >= min_visibility
    idx = np.flatnonzero(keep)
    return clipped[idx], idx


def take_rows(labels: Any, idx: np.ndarray) -> Any:
    """Rows ``idx`` of a label container, keeping its type (list, tuple, array)."""
    if isinstance(labels, np.ndarray):
        return labels[idx]
    if isinstance(labels, tuple):
        return tuple(labels[i] for i in idx)
    if isinstance(labels, (str, bytes)) or not hasattr(labels, "__getitem__"):
        raise AugmentationError(f"labels must be a list, tuple or array, got {type(labels).__name__}")
    return [labels[int(i)] for i in idx]


def _companions(sample: Sample, table_kind: str, labels_kind: str, key: str) -> list[str]:
    """Label fields that belong to table ``key`` (labels pair with the first table of the kind)."""
    tables = sample.keys_of(table_kind)
    return sample.keys_of(labels_kind) if tables and tables[0] == key else []


def move_boxes(
    value: np.ndarray,
    sample: Sample,
    key: str,
    point_map: PointMap,
    out_size: tuple[int, int],
    step: str,
    per_edge: int = 1,
) -> Any:
    """Move a bboxes field with ``point_map`` into an image of ``out_size`` (h, w).

    Returns the new table, or :class:`~multiaug.Updates` with the matching ``bbox_labels`` when
    boxes were dropped.
    """
    fmt = sample.options.get("bbox_format", "pascal_voc")
    h, w = image_size(sample, step)
    voc = to_voc(value, fmt, w, h, step)
    oh, ow = out_size
    if len(voc):
        voc = tight_boxes(voc, point_map, per_edge)
    kept, idx = clip_and_filter(
        voc, ow, oh, float(sample.options.get("min_area", 0.0)), float(sample.options.get("min_visibility", 0.0))
    )
    out = from_voc(kept, fmt, ow, oh)
    return finish_rows(out, idx, len(voc), sample, "bboxes", "bbox_labels", key)


def finish_rows(
    table: np.ndarray, idx: np.ndarray, n_before: int, sample: Sample, table_kind: str, labels_kind: str, key: str
) -> Any:
    """The new table, plus label fields cut to ``idx`` when rows were dropped."""
    if len(idx) == n_before:
        return table
    updates = Updates({key: table})
    for lk in _companions(sample, table_kind, labels_kind, key):
        updates[lk] = take_rows(sample[lk], idx)
    return updates


def keypoints_visible(keypoints: Any, image_shape: Sequence[int]) -> np.ndarray:
    """Boolean flags: which keypoints lie inside an image of shape ``(H, W, ...)``.

    Example:
        >>> keypoints_visible([[1.0, 1.0], [12.0, 1.0]], (10, 10)).tolist()
        [True, False]
    """
    kp = np.asarray(keypoints, dtype=np.float64)
    if kp.size == 0:
        return np.zeros(0, dtype=bool)
    kp = kp.reshape(-1, kp.shape[-1])
    h, w = int(image_shape[0]), int(image_shape[1])
    return (kp[:, 0] >= 0) & (kp[:, 0] < w) & (kp[:, 1] >= 0) & (kp[:, 1] < h)


def move_keypoints(
    value: np.ndarray, sample: Sample, key: str, point_map: PointMap, out_size: tuple[int, int], step: str
) -> Any:
    """Move a keypoints field with ``point_map``; flag or drop the points that leave the image."""
    kp = np.asarray(value, dtype=np.float64)
    out = kp.copy()
    if len(kp):
        out[:, :2] = point_map(kp[:, :2])
    if sample.options.get("keypoint_mode", "flag") == "drop" and len(out):
        idx = np.flatnonzero(keypoints_visible(out, out_size))
        return finish_rows(out[idx], idx, len(out), sample, "keypoints", "keypoint_labels", key)
    return out


def check_boxes(sample: Sample, step: str) -> None:
    """Validate every bboxes field of a sample in its format (x2 >= x1 and so on)."""
    keys = sample.keys_of("bboxes")
    if not keys:
        return
    fmt = sample.options.get("bbox_format", "pascal_voc")
    for key in keys:
        try:
            to_voc(sample[key], fmt, 1, 1, step)
        except AugmentationError as exc:
            raise exc.with_context(step=step, field=key) from None


def boxes_to_mask(boxes: Any, height: int, width: int) -> np.ndarray:
    """A label mask with box ``i`` (pascal_voc) painted as ``i + 1``, later boxes on top.

    A pixel belongs to a box when its centre lies inside it.

    Example:
        >>> boxes_to_mask([[1, 0, 3, 2]], 3, 4).tolist()
        [[0, 1, 1, 0], [0, 1, 1, 0], [0, 0, 0, 0]]
    """
    mask = np.zeros((height, width), np.int32)
    centres_x = np.arange(width) + 0.5
    centres_y = np.arange(height) + 0.5
    for i, (x1, y1, x2, y2) in enumerate(np.asarray(boxes, dtype=np.float64)[:, :4]):
        cols = (centres_x >= x1) & (centres_x < x2)
        rows = (centres_y >= y1) & (centres_y < y2)
        mask[np.ix_(rows, cols)] = i + 1
    return mask
