"""Mixing steps, which combine samples of a batch: MixUp and CutMix.

Use them through :meth:`multiaug.Pipeline.batch`: each sample that fires draws a partner from the
same batch (its index, with the mixing weight, is in the record) and is mixed with the partner's
*input* to this step. Labels become soft labels: an integer class (given ``num_classes``) becomes a
one-hot ``float32`` vector, a vector of ``num_classes`` scores is used as it is, and the two are
mixed with the same weight as the pixels. Samples that do not fire keep their label unchanged.

Called on a lone sample (``pipe(sample)``, or replaying one sample's record without its batch)
there is no partner: the sample is mixed with itself, which leaves the pixels unchanged and turns
the label into its one-hot form. That is why per-sample replay of a mixed batch is not exact
(``replays_per_sample = False``); replay the batch by running ``pipe.batch`` with the same
``indices``.

Example:
    >>> import numpy as np
    >>> import multiaug as ma
    >>> batch = [{"image": np.full((4, 4, 3), v, np.uint8), "label": v % 3} for v in (0, 90, 200)]
    >>> out = ma.Pipeline([MixUp(num_classes=3)], seed=0).batch(batch)
    >>> out[0]["label"].shape, out[0]["label"].dtype
    ((3,), dtype('float32'))
"""

from __future__ import annotations

from typing import Any

import numpy as np

from multiaug.core.errors import AugmentationError
from multiaug.core.fields import Sample
from multiaug.core.params import check_int, check_number
from multiaug.core.registry import register
from multiaug.image import targets
from multiaug.image.base import ImageStep

__all__ = ["CutMix", "MixUp"]


def soft_label(label: Any, num_classes: int | None, step: str, key: str) -> np.ndarray:
    """A label as a float32 vector: one-hot from an integer class, or a vector of scores as given."""
    if isinstance(label, (int, np.integer)) and not isinstance(label, bool):
        if num_classes is None:
            raise AugmentationError(
                "an integer label needs num_classes to become a soft label; pass num_classes=...", step=step, field=key
            )
        if not 0 <= int(label) < num_classes:
            raise AugmentationError(f"label {label} is outside 0..{num_classes - 1}", step=step, field=key)
        out = np.zeros(num_classes, np.float32)
        out[int(label)] = 1.0
        return out
    try:
        arr = np.asarray(label, dtype=np.float32)
    except (TypeError, ValueError):
        arr = None
    if arr is None or arr.ndim != 1 or (num_classes is not None and len(arr) != num_classes):
        raise AugmentationError(
            f"a mixed label must be an integer class or a vector of {num_classes or 'N'} scores, got {label!r}",
            step=step,
            field=key,
        )
    return arr


class _Mix(ImageStep):
    """Shared batch machinery: partners drawn from the batch, labels mixed."""

    replays_per_sample = False

    def __init__(self, alpha: float, num_classes: int | None, p: float) -> None:
        super().__init__(p=p)
        check_number(alpha, self.name, "alpha", low=1e-3, high=100)
        self.alpha = alpha
        self.num_classes = None if num_classes is None else check_int(num_classes, self.name, "num_classes", low=1)

    @classmethod
    def target_kinds(cls) -> frozenset[str]:
        return frozenset({"image", "mask", "bboxes", "bbox_labels", "label"})

    def make_params(self, sample: Sample, rng: np.random.Generator) -> dict[str, Any]:
        return {"lam": float(rng.beta(self.alpha, self.alpha)), "partner": None}

    def apply(self, sample: Sample, params: dict[str, Any]) -> Sample:
        return self._mix(sample, sample, params, alone=True)

    def run_batch(self, samples, rngs, records):  # type: ignore[no-untyped-def]
        outs = list(samples)
        for i, (sample, rng) in enumerate(zip(samples, rngs)):
            if self.p < 1.0 and not rng.random() < self.p:
                if records is not None:
                    records[i].append({"name": self.name, "applied": False})
                continue
            params = self.make_params(sample, rng)
            params["partner"] = int(rng.integers(len(samples)))
            outs[i] = self._mix(sample, samples[params["partner"]], params, alone=params["partner"] == i)
            if records is not None:
                records[i].append({"name": self.name, "applied": True, "params": params})
        return outs

    def _mix(self, sample: Sample, other: Sample, params: dict[str, Any], alone: bool) -> Sample:
        raise NotImplementedError

    def _check_pair(self, sample: Sample, other: Sample) -> None:
        if "bboxes" in sample.kinds.values():
            targets.check_boxes(sample, self.name)
        for key in sample.keys_of("image") + sample.keys_of("mask"):
            if key not in other or np.shape(other[key]) != np.shape(sample[key]):
                raise AugmentationError(
                    f"mixing needs same-shaped {key!r} fields across the batch, got {np.shape(sample[key])} "
                    f"and {np.shape(other.get(key))}; resize or crop first",
                    step=self.name,
                    field=key,
                )
            if other[key].dtype != sample[key].dtype:
                raise AugmentationError("mixing needs the same dtype across the batch", step=self.name, field=key)

    def _labels(self, sample: Sample, other: Sample, lam: float, updates: dict[str, Any]) -> None:
        for key in sample.keys_of("label"):
            mine = soft_label(sample[key], self.num_classes, self.name, key)
            theirs = soft_label(other.get(key, sample[key]), self.num_classes, self.name, key)
            if theirs.shape != mine.shape:
                raise AugmentationError("soft labels of different lengths in one batch", step=self.name, field=key)
            updates[key] = (np.float32(lam) * mine + np.float32(1.0 - lam) * theirs).astype(np.float32)


def _concat_labels(a: Any, b: Any) -> Any:
    if isinstance(a, np.ndarray):
        return np.concatenate([a, np.asarray(b, dtype=a.dtype)])
    if isinstance(a, tuple):
        return a + tuple(b)
    return list(a) + list(b)


@register
class MixUp(_Mix):
    """Blends each image with a partner from the batch and mixes their labels (Zhang et al. 2018).

    The mixing weight ``lam`` is drawn from Beta(alpha, alpha); the image becomes
    ``lam * image + (1 - lam) * partner`` and the label ``lam * label + (1 - lam) * partner_label``.
    Both samples' boxes are visible in the blend, so the partner's boxes (and ``bbox_labels``) are
    appended; masks and keypoints keep the sample's own. Run it with ``pipe.batch(samples)``.

    Args:
        alpha: Beta distribution parameter (small values give weights near 0 or 1).
        num_classes: Number of classes, to turn integer labels into one-hot vectors.
        p: Probability that a sample is mixed.

    Example:
        >>> import numpy as np
        >>> import multiaug as ma
        >>> batch = [{"image": np.full((2, 2, 3), v, np.uint8), "label": v} for v in (0, 1)]
        >>> outs = ma.Pipeline([MixUp(num_classes=2)], seed=1).batch(batch)
        >>> float(outs[0]["label"].sum())
        1.0
    """

    def __init__(self, alpha: float = 0.4, num_classes: int | None = None, p: float = 1.0) -> None:
        super().__init__(alpha, num_classes, p)

    def _mix(self, sample: Sample, other: Sample, params: dict[str, Any], alone: bool) -> Sample:
        self._check_pair(sample, other)
        lam = float(params["lam"])
        updates: dict[str, Any] = {}
        if not alone:
            import cv2

            for key in sample.keys_of("image"):
                a, b = sample[key], other[key]
                out = cv2.addWeighted(a, lam, b, 1.0 - lam, 0.0)
                updates[key] = out[:, :, None] if a.ndim == 3 and out.ndim == 2 else out
            boxes = sample.keys_of("bboxes")
            if boxes and boxes[0] in other:
                key = boxes[0]
                updates[key] = np.concatenate([sample[key], np.asarray(other[key], dtype=np.float64)], axis=0)
                for lk in sample.keys_of("bbox_labels"):
                    updates[lk] = _concat_labels(sample[lk], other.get(lk, []))
        self._labels(sample, other, lam, updates)
        return sample.derive(updates) if updates else sample


@register
class CutMix(_Mix):
    """Pastes a random rectangle of a partner image from the batch and mixes labels by area (Yun et al. 2019).

    The rectangle covers about ``1 - lam`` of the image (``lam`` from Beta(alpha, alpha)); the label
    weight is the exact share of the sample's own pixels left. Masks get the same rectangle from the
    partner's mask. Boxes: the sample's boxes stay where they are unless the rectangle hides too much
    of them (dropped by the ``min_area`` / ``min_visibility`` options, and always when fully hidden);
    the partner's boxes are clipped to the rectangle and added with their ``bbox_labels``.
    Keypoints keep the sample's own (a point under the rectangle is occluded, not moved).

    Args:
        alpha: Beta distribution parameter.
        num_classes: Number of classes, to turn integer labels into one-hot vectors.
        p: Probability that a sample is mixed.

    Example:
        >>> import numpy as np
        >>> import multiaug as ma
        >>> batch = [{"image": np.full((8, 8), v, np.uint8), "label": v // 100} for v in (0, 100, 200)]
        >>> outs = ma.Pipeline([CutMix(num_classes=3)], seed=3).batch(batch)
        >>> [round(float(o["label"].sum()), 5) for o in outs]
        [1.0, 1.0, 1.0]
    """

    def __init__(self, alpha: float = 1.0, num_classes: int | None = None, p: float = 1.0) -> None:
        super().__init__(alpha, num_classes, p)

    def make_params(self, sample: Sample, rng: np.random.Generator) -> dict[str, Any]:
        h, w = targets.image_size(sample, self.name)
        lam = float(rng.beta(self.alpha, self.alpha))
        r = np.sqrt(1.0 - lam)
        cw, ch = int(round(w * r)), int(round(h * r))
        cx, cy = int(rng.integers(0, w)), int(rng.integers(0, h))
        x1, x2 = int(np.clip(cx - cw // 2, 0, w)), int(np.clip(cx + cw - cw // 2, 0, w))
        y1, y2 = int(np.clip(cy - ch // 2, 0, h)), int(np.clip(cy + ch - ch // 2, 0, h))
        lam = 1.0 - (x2 - x1) * (y2 - y1) / float(w * h)
        return {"lam": lam, "box": [x1, y1, x2, y2], "partner": None}

    def _mix(self, sample: Sample, other: Sample, params: dict[str, Any], alone: bool) -> Sample:
        self._check_pair(sample, other)
        lam = float(params["lam"])
        x1, y1, x2, y2 = (int(v) for v in params["box"])
        updates: dict[str, Any] = {}
        if not alone and x2 > x1 and y2 > y1:
            for key in sample.keys_of("image") + sample.keys_of("mask"):
                out = sample[key].copy()
                out[y1:y2, x1:x2] = other[key][y1:y2, x1:x2]
                updates[key] = out
            boxes = sample.keys_of("bboxes")
            if boxes:
                self._boxes(sample, other, boxes[0], (x1, y1, x2, y2), updates)
        self._labels(sample, other, lam, updates)
        return sample.derive(updates) if updates else sample

    def _boxes(self, sample: Sample, other: Sample, key: str, patch: tuple[int, int, int, int], updates: dict) -> None:
        fmt = sample.options.get("bbox_format", "pascal_voc")
        min_area = float(sample.options.get("min_area", 0.0))
        min_vis = float(sample.options.get("min_visibility", 0.0))
        h, w = targets.image_size(sample, self.name)
        px1, py1, px2, py2 = patch
        own = targets.to_voc(sample[key], fmt, w, h, self.name)
        own, own_idx = targets.clip_and_filter(own, w, h)
        area = (own[:, 2] - own[:, 0]) * (own[:, 3] - own[:, 1])
        ix = np.clip(np.minimum(own[:, 2], px2) - np.maximum(own[:, 0], px1), 0, None)
        iy = np.clip(np.minimum(own[:, 3], py2) - np.maximum(own[:, 1], py1), 0, None)
        visible = area - ix * iy
        keep = (visible > 0) & (visible >= min_area) & (visible >= min_vis * area)
        own, own_idx = own[keep], own_idx[keep]
        theirs_keys = [k for k in other.keys_of("bboxes")] if isinstance(other, Sample) else []
        if theirs_keys:
            theirs = targets.to_voc(other[theirs_keys[0]], fmt, w, h, self.name)
            t_clip, t_idx = targets.clip_and_filter(theirs, w, h)
            pasted, p_idx = targets.clip_and_filter(
                np.concatenate(
                    [
                        t_clip[:, :1] - px1,
                        t_clip[:, 1:2] - py1,
                        t_clip[:, 2:3] - px1,
                        t_clip[:, 3:4] - py1,
                        t_clip[:, 4:],
                    ],
                    axis=1,
                ),
                px2 - px1,
                py2 - py1,
                min_area,
                min_vis,
            )
            pasted[:, [0, 2]] += px1
            pasted[:, [1, 3]] += py1
            t_idx = t_idx[p_idx]
        else:
            pasted, t_idx = np.zeros((0, own.shape[1])), np.zeros(0, dtype=np.intp)
        if pasted.shape[1] != own.shape[1]:
            raise AugmentationError("boxes of the batch have different numbers of columns", step=self.name, field=key)
        updates[key] = targets.from_voc(np.concatenate([own, pasted], axis=0), fmt, w, h)
        for lk in sample.keys_of("bbox_labels"):
            mine = targets.take_rows(sample[lk], own_idx)
            theirs = targets.take_rows(other[lk], t_idx) if lk in other else []
            updates[lk] = _concat_labels(mine, theirs)
