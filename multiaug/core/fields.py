"""Field kinds, the :class:`Sample` container and input validation/conversion.

A sample is a plain ``dict``. Each key has a *kind* (``image``, ``bboxes``, ``caption`` ...),
taken from its name unless the pipeline maps it (``fields={"thumb": "image"}``). Inside a
pipeline the dict travels as a :class:`Sample`, a ``dict`` that also knows each key's kind and
the pipeline's field options; callers always get a plain ``dict`` back.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from numbers import Integral, Real
from typing import Any

import numpy as np

from multiaug.core.errors import AugmentationError, ConfigError

__all__ = [
    "AUX_KINDS",
    "DEPENDENTS",
    "KINDS",
    "Sample",
    "Updates",
    "all_finite",
    "check_image_array",
    "field_values_equal",
    "normalize_field_options",
    "resolve_kinds",
]

#: The data kinds of DESIGN.md section 3.
KINDS: frozenset[str] = frozenset(
    {"image", "mask", "bboxes", "keypoints", "text", "caption", "audio", "transcript", "spectrogram", "label"}
)
#: Companion kinds: values that describe or index another field.
AUX_KINDS: frozenset[str] = frozenset({"sample_rate", "bbox_labels", "keypoint_labels", "spectrogram_lengths"})
ALL_KINDS: frozenset[str] = KINDS | AUX_KINDS

#: What a step that moves geometry or time must also move: a step that declares ``moves`` and meets
#: one of these kinds without a kernel for it raises instead of leaving the field stale.
DEPENDENTS: dict[str, frozenset[str]] = {
    "geometry": frozenset({"mask", "bboxes", "keypoints"}),
    "time": frozenset({"transcript", "spectrogram"}),
}

#: Options that steps read from the pipeline (``Pipeline(..., field_options={...})``), with defaults.
FIELD_OPTION_DEFAULTS: dict[str, Any] = {
    "bbox_format": "pascal_voc",
    "min_area": 0.0,
    "min_visibility": 0.0,
    "keypoint_mode": "flag",
}
_FIELD_OPTION_CHOICES: dict[str, tuple[str, ...]] = {
    "bbox_format": ("pascal_voc", "coco", "yolo"),
    "keypoint_mode": ("flag", "drop"),
}


class Updates(dict):
    """Returned by a kernel that must change sibling fields too (boxes drop their labels).

    Example:
        >>> Updates({"bboxes": [], "bbox_labels": []})
        {'bboxes': [], 'bbox_labels': []}
    """


class Sample(dict):
    """A sample inside a pipeline: a ``dict`` of fields plus their kinds and the field options.

    Example:
        >>> s = Sample({"thumb": "x"}, kinds={"thumb": "text"})
        >>> s.keys_of("text")
        ['thumb']
    """

    __slots__ = ("kinds", "options")

    def __init__(
        self,
        data: Mapping[str, Any],
        kinds: Mapping[str, str | None],
        options: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(data)
        self.kinds: dict[str, str | None] = dict(kinds)
        self.options: Mapping[str, Any] = options if options is not None else FIELD_OPTION_DEFAULTS

    @staticmethod
    def _sharing(data: Mapping[str, Any], kinds: dict[str, str | None], options: Mapping[str, Any]) -> Sample:
        # The hot path: samples derived inside a pipeline share one kinds dict, which is never
        # mutated after creation (derive() makes a new one when kinds change).
        out = _SharedSample(data)
        out.kinds = kinds
        out.options = options
        return out

    def kind(self, key: str) -> str | None:
        """The kind of ``key`` (None for a pass-through field)."""
        return self.kinds.get(key)

    def keys_of(self, kind: str) -> list[str]:
        """Keys whose kind is ``kind``, in insertion order."""
        return [k for k in self if self.kinds.get(k) == kind]

    def first(self, kind: str, default: Any = None) -> Any:
        """The value of the first field of ``kind``, or ``default``."""
        for k in self:
            if self.kinds.get(k) == kind:
                return self[k]
        return default

    def has(self, kind: str) -> bool:
        """Whether any field is of ``kind``."""
        return kind in self.kinds.values()

    def derive(self, updates: Mapping[str, Any], kinds: Mapping[str, str | None] | None = None) -> Sample:
        """A new sample with ``updates`` applied; ``kinds`` gives the kinds of new keys."""
        out = Sample._sharing(self, {**self.kinds, **kinds} if kinds else self.kinds, self.options)
        dict.update(out, updates)
        return out

    def copy(self) -> Sample:  # type: ignore[override]
        return Sample._sharing(self, self.kinds, self.options)


class _SharedSample(Sample):
    """A :class:`Sample` made by :meth:`Sample._sharing`: dict's own constructor, no Python ``__init__``."""

    __slots__ = ()
    __init__ = dict.__init__  # type: ignore[assignment]


def resolve_kinds(keys: Iterable[str], fields: Mapping[str, str] | None) -> dict[str, str | None]:
    """Map each key to its kind: ``fields`` first, then the key's own name, else ``None``."""
    fields = fields or {}
    return {k: fields.get(k, k if k in ALL_KINDS else None) for k in keys}


def normalize_field_options(options: Mapping[str, Any] | None) -> dict[str, Any]:
    """Validate ``field_options`` and fill in defaults; raises :class:`ConfigError` on a bad one."""
    out = dict(FIELD_OPTION_DEFAULTS)
    for name, value in (options or {}).items():
        if name not in FIELD_OPTION_DEFAULTS:
            raise ConfigError(
                f"unknown field option {name!r}; known options: {', '.join(sorted(FIELD_OPTION_DEFAULTS))}",
                path=f"field_options.{name}",
            )
        choices = _FIELD_OPTION_CHOICES.get(name)
        if choices is not None and value not in choices:
            raise ConfigError(f"must be one of {choices}, got {value!r}", path=f"field_options.{name}")
        upper = 1.0 if name == "min_visibility" else math.inf
        if choices is None and (not isinstance(value, Real) or isinstance(value, bool) or not 0 <= value <= upper):
            raise ConfigError(f"must be a number in [0, {upper:g}], got {value!r}", path=f"field_options.{name}")
        out[name] = value
    return out


# --------------------------------------------------------------------------------------------
# Conversion of the types callers may give (PIL images, torch tensors, int16 audio) to the
# internal NumPy form, with a function that turns the result back into the caller's type.

Restore = Callable[[Any], Any]


def _is_pil(value: Any) -> bool:
    return type(value).__module__.startswith("PIL.")


def _is_torch(value: Any) -> bool:
    return type(value).__module__.startswith("torch") and hasattr(value, "detach")


def _pil_to_array(img: Any, key: str) -> tuple[np.ndarray, Restore]:
    from PIL import Image  # only reached when the caller gave a PIL image

    if img.mode not in ("L", "RGB", "RGBA", "1", "P"):
        raise AugmentationError(
            f"PIL image mode {img.mode!r} is not supported; convert it to 'L', 'RGB' or 'RGBA' first", field=key
        )
    mode = img.mode
    if mode in ("1", "P"):
        img = img.convert("L" if mode == "1" else "RGBA" if "transparency" in img.info else "RGB")
    arr = np.asarray(img)

    def restore(out: np.ndarray) -> Any:
        if out.dtype != np.uint8:
            out = (np.clip(out, 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8)
        if out.ndim == 3 and out.shape[2] == 1:
            out = out[:, :, 0]
        return Image.fromarray(np.ascontiguousarray(out))

    return arr, restore


def _torch_to_array(t: Any, key: str, kind: str) -> tuple[np.ndarray, Restore]:
    import torch

    if t.ndim not in (2, 3):
        raise AugmentationError(f"a torch {kind} must be CxHxW or HxW, got shape {tuple(t.shape)}", field=key)
    device, dtype = t.device, t.dtype
    arr = t.detach().cpu().numpy()
    channels_first = t.ndim == 3
    if channels_first:
        arr = np.ascontiguousarray(arr.transpose(1, 2, 0))

    def restore(out: np.ndarray) -> Any:
        if channels_first:
            out = out[:, :, None] if out.ndim == 2 else out.transpose(2, 0, 1)
        return torch.from_numpy(np.ascontiguousarray(out)).to(device=device, dtype=dtype)

    return arr, restore


def _as_float_table(value: Any, key: str, kind: str, min_cols: int) -> np.ndarray:
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise AugmentationError(f"{kind} must be numeric, got {type(value).__name__}: {exc}", field=key) from None
    if arr.size == 0:
        return arr.reshape(0, max(min_cols, arr.shape[-1] if arr.ndim == 2 else min_cols))
    if arr.ndim != 2 or arr.shape[1] < min_cols:
        raise AugmentationError(
            f"{kind} must be an N x {min_cols}+ table (one row per item), got shape {arr.shape}", field=key
        )
    if not np.isfinite(arr).all():
        raise AugmentationError(f"{kind} contain NaN or infinite values", field=key)
    return arr


_UINT8 = np.dtype(np.uint8)
_FLOAT32 = np.dtype(np.float32)
_FLOAT64 = np.dtype(np.float64)


def all_finite(arr: np.ndarray) -> bool:
    """Whether a floating-point array holds no NaN and no infinity.

    One BLAS dot product of the array with itself decides it for almost every input: a sum of
    squares is finite unless some element is NaN or infinite, or the squares overflow. Only a
    non-finite result (or an array a dot product cannot read) falls back to the exact, slower
    element-wise test, so the answer is always exact.

    Example:
        >>> all_finite(np.array([1.0, 2.0], dtype=np.float32)), all_finite(np.array([1.0, np.nan]))
        (True, False)
    """
    dtype = arr.dtype
    if (dtype is _FLOAT32 or dtype is _FLOAT64) and arr.flags.c_contiguous and arr.size:
        flat = arr.reshape(-1)
        if math.isfinite(float(np.dot(flat, flat))):
            return True
    return bool(np.isfinite(arr).all())


def check_image_array(arr: Any, key: str, kind: str) -> np.ndarray:
    """Validate an ``image`` or ``mask`` field given as a NumPy array (returned as it is)."""
    if type(arr) is not np.ndarray and not isinstance(arr, np.ndarray):
        raise AugmentationError(
            f"{kind} must be a numpy array, PIL image or torch tensor, got {type(arr).__name__}", field=key
        )
    shape = arr.shape
    if not 2 <= len(shape) <= 3 or 0 in shape:
        raise AugmentationError(f"{kind} must be a non-empty HxW or HxWxC array, got shape {shape}", field=key)
    if kind == "image":
        dtype = arr.dtype
        if dtype is _UINT8 or dtype == _UINT8:
            return arr
        if dtype != _FLOAT32:
            raise AugmentationError(
                f"image dtype must be uint8 or float32 (in [0, 1]), got {arr.dtype}", field=key
            )
        if not all_finite(arr):
            raise AugmentationError("image contains NaN or infinite values", field=key)
    else:  # mask
        if not (np.issubdtype(arr.dtype, np.integer) or arr.dtype == np.bool_):
            raise AugmentationError(f"mask dtype must be an integer type or bool, got {arr.dtype}", field=key)
    return arr


_AUDIO_SCALE = {np.dtype(np.int16): 32768.0, np.dtype(np.int32): 2147483648.0}


def _check_audio(value: Any, key: str) -> np.ndarray:
    if not isinstance(value, np.ndarray):
        raise AugmentationError(f"audio must be a numpy array, got {type(value).__name__}", field=key)
    dtype = value.dtype
    if dtype is _FLOAT32 or dtype == _FLOAT32:
        pass
    elif dtype in _AUDIO_SCALE:  # integer PCM: documented conversion to float32 in [-1, 1)
        value = value.astype(np.float32) / np.float32(_AUDIO_SCALE[dtype])
    elif dtype == np.float64:
        value = value.astype(np.float32)
    else:
        raise AugmentationError(f"audio dtype must be float32, float64, int16 or int32, got {value.dtype}", field=key)
    if value.ndim not in (1, 2) or value.shape[-1] == 0 or (value.ndim == 2 and value.shape[0] == 0):
        raise AugmentationError(f"audio must be a non-empty (N,) or (C, N) array, got shape {value.shape}", field=key)
    if not all_finite(value):
        raise AugmentationError("audio contains NaN or infinite samples", field=key)
    return value


def _check_transcript(value: Any, key: str) -> dict[str, Any]:
    if not isinstance(value, Mapping) or not isinstance(value.get("text"), str):
        raise AugmentationError('transcript must be a dict {"text": str, "words": [...]}', field=key)
    words = value.get("words", [])
    if not isinstance(words, list):
        raise AugmentationError("transcript 'words' must be a list", field=key)
    for i, w in enumerate(words):
        if not isinstance(w, Mapping) or not isinstance(w.get("word"), str):
            raise AugmentationError(f'transcript word {i} must be a dict {{"word", "start", "end"}}', field=key)
        start, end = w.get("start"), w.get("end")
        if not all(isinstance(t, Real) and not isinstance(t, bool) and math.isfinite(t) for t in (start, end)):
            raise AugmentationError(f"transcript word {i} needs finite numeric 'start' and 'end'", field=key)
        if start < 0 or end < start:
            raise AugmentationError(
                f"transcript word {i} has start={start}, end={end}; need 0 <= start <= end", field=key
            )
    return dict(value)


def prepare_field(key: str, kind: str | None, value: Any) -> tuple[Any, Restore | None]:
    """Validate one field of a caller's sample and convert it to its internal form.

    Returns the internal value and a function that converts a result back to the caller's type
    (None when no conversion is needed).
    """
    restore: Restore | None = None
    if kind == "image" or kind == "mask":
        if type(value) is np.ndarray:
            return check_image_array(value, key, kind), None
        if _is_pil(value):
            value, restore = _pil_to_array(value, key)
        elif _is_torch(value):
            value, restore = _torch_to_array(value, key, kind)
        value = check_image_array(value, key, kind)
    elif kind in ("text", "caption"):
        if not isinstance(value, str):
            raise AugmentationError(f"{kind} must be a str, got {type(value).__name__}", field=key)
    elif kind == "audio":
        value = _check_audio(value, key)
    elif kind == "bboxes":
        value = _as_float_table(value, key, "bboxes", 4)
    elif kind == "keypoints":
        value = _as_float_table(value, key, "keypoints", 2)
    elif kind == "transcript":
        value = _check_transcript(value, key)
    elif kind == "sample_rate":
        if type(value) is int and value > 0:
            return value, None
        if not isinstance(value, Real) or isinstance(value, bool) or value <= 0 or int(value) != value:
            raise AugmentationError(f"sample_rate must be a positive integer, got {value!r}", field=key)
        value = int(value)
    elif kind == "spectrogram":
        if isinstance(value, np.ndarray):
            if value.ndim not in (2, 3) or value.size == 0:
                raise AugmentationError(
                    f"spectrogram must be a non-empty (F, T) or (C, F, T) array, got shape {value.shape}", field=key
                )
            if not np.issubdtype(value.dtype, np.floating) or not all_finite(value):
                raise AugmentationError("spectrogram must be finite floating-point values", field=key)
        elif not _is_torch(value):
            raise AugmentationError(
                f"spectrogram must be a numpy array or torch tensor, got {type(value).__name__}", field=key
            )
    return value, restore


#: Kinds whose presence calls for :func:`check_cross_fields`.
CROSS_CHECKED_KINDS: frozenset[str] = frozenset({"mask", "audio", "bbox_labels", "keypoint_labels"})


def check_cross_fields(sample: Sample) -> None:
    """Checks that relate fields to each other: mask size vs image size, audio needs a rate."""
    by_kind: dict[str, list[str]] = {}
    for key, kind in sample.kinds.items():
        if kind is not None:
            by_kind.setdefault(kind, []).append(key)
    masks = by_kind.get("mask")
    if masks and "image" in by_kind:
        ref_key = by_kind["image"][0]
        h, w = sample[ref_key].shape[:2]
        for key in masks:
            if sample[key].shape[:2] != (h, w):
                raise AugmentationError(
                    f"mask is {sample[key].shape[0]}x{sample[key].shape[1]} but image {ref_key!r} is {h}x{w}",
                    field=key,
                )
    if "audio" in by_kind and "sample_rate" not in by_kind:
        raise AugmentationError("audio needs a 'sample_rate' field (Hz)", field=by_kind["audio"][0])
    for labels_kind, table_kind in (("bbox_labels", "bboxes"), ("keypoint_labels", "keypoints")):
        tables = by_kind.get(table_kind)
        for key in by_kind.get(labels_kind, ()):
            if tables and len(sample[key]) != len(sample[tables[0]]):
                raise AugmentationError(
                    f"{len(sample[key])} labels for {len(sample[tables[0]])} {table_kind}", field=key
                )


def field_values_equal(a: Any, b: Any) -> bool:
    """Exact equality for field values: arrays by shape, dtype and content; the rest by ``==``."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (
            isinstance(a, np.ndarray)
            and isinstance(b, np.ndarray)
            and a.shape == b.shape
            and a.dtype == b.dtype
            and bool(np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"))
        )
    if _is_torch(a) or _is_torch(b):
        return _is_torch(a) and _is_torch(b) and a.shape == b.shape and a.dtype == b.dtype and bool((a == b).all())
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        return a.keys() == b.keys() and all(field_values_equal(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(field_values_equal(x, y) for x, y in zip(a, b))
    try:
        return bool(a == b)
    except Exception:  # noqa: BLE001 - exotic types whose == is not a bool
        return a is b


def is_integral(value: Any) -> bool:
    """True for ints (not bools)."""
    return isinstance(value, Integral) and not isinstance(value, bool)
