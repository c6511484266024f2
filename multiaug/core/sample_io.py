"""Turning what a caller passes into a :class:`Sample`, and the result back into the caller's form.

This is the per-call entry and exit of every pipeline, so it is written for speed: the kinds of a
given set of keys are resolved once and cached by the pipeline, plain NumPy fields take a direct
path, and the cross-field checks run only when a field that needs them is present.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

import numpy as np

from multiaug.core.errors import AugmentationError
from multiaug.core.fields import (
    CROSS_CHECKED_KINDS,
    FIELD_OPTION_DEFAULTS,
    Sample,
    check_cross_fields,
    check_image_array,
    prepare_field,
    resolve_kinds,
)

__all__ = ["KindPlan", "finish_sample", "prepare_sample"]

Finisher = Callable[[Sample], Any]
Restorers = dict[str, Callable[[Any], Any]]

_KIND_CACHE_LIMIT = 256


class KindPlan(NamedTuple):
    """What a pipeline knows about one set of keys: their kinds and the fields to validate."""

    kinds: dict[str, str | None]
    typed: tuple[tuple[str, str], ...]
    cross_checked: bool


def _plan_for(data: Mapping[str, Any], fields: Mapping[str, str] | None) -> KindPlan:
    kinds = resolve_kinds(data, fields)
    typed = tuple((key, kind) for key, kind in kinds.items() if kind is not None)
    return KindPlan(kinds, typed, any(kind in CROSS_CHECKED_KINDS for _, kind in typed))


_FAST_BARE: dict[type, str] = {np.ndarray: "image", str: "text"}
_BARE_KEYS = {"image": ("image",), "text": ("text",)}
_NO_RESTORERS: Restorers = {}  # shared and never written: most calls convert nothing
_IMAGE_KEY = _BARE_KEYS["image"]
_IMAGE_TYPED = (("image", "image"),)  # the plan of a bare image whose key keeps its own kind
_BARE_IMAGE: tuple[str | None, Restorers] = ("image", _NO_RESTORERS)


def _bare_kind(value: Any) -> str | None:
    if isinstance(value, str):
        return "text"
    module = type(value).__module__
    if isinstance(value, np.ndarray) or module.startswith("PIL.") or module.startswith("torch"):
        return "image"
    return None


def prepare_sample(
    sample: Any,
    keywords: Mapping[str, Any],
    fields: Mapping[str, str] | None,
    options: Mapping[str, Any] | None = None,
    plans: dict[tuple[str, ...], KindPlan] | None = None,
) -> tuple[Sample, tuple[str | None, Restorers]]:
    """Validate and convert a caller's sample.

    Args:
        sample: A dict of fields, a bare str or image, or None (fields given as ``keywords``).
        keywords: Fields given as keyword arguments.
        fields: The pipeline's key -> kind map.
        options: The pipeline's field options.
        plans: A cache of :class:`KindPlan` by key tuple, owned by the caller (one per pipeline,
            since the kinds depend on ``fields``).

    Returns:
        The internal :class:`Sample` and what :func:`finish_sample` needs to give the result back
        in the caller's form: the bare key (when a bare value was given) and per-field restorers.

    Example:
        >>> s, how = prepare_sample("a cat", {}, None)
        >>> finish_sample(s, how)
        'a cat'
    """
    if type(sample) is np.ndarray and not keywords and plans is not None:
        # a bare NumPy image, the commonest call of all: the generic path below minus its bookkeeping
        plan = plans.get(_IMAGE_KEY)
        if plan is not None and plan.typed == _IMAGE_TYPED:
            check_image_array(sample, "image", "image")
            opts = options if options is not None else FIELD_OPTION_DEFAULTS
            return Sample._sharing({"image": sample}, plan.kinds, opts), _BARE_IMAGE
    bare: str | None = None
    kind_of_type = _FAST_BARE.get(type(sample))
    if kind_of_type is not None and not keywords:
        bare = kind_of_type
        data = {bare: sample}
        key = _BARE_KEYS[bare]
    else:
        if type(sample) is dict and not keywords:
            data = dict(sample)
        elif sample is None:
            data = dict(keywords)
        elif isinstance(sample, Mapping):
            data = {**sample, **keywords}
        else:
            bare = _bare_kind(sample)
            if bare is None:
                raise AugmentationError(
                    f"a sample must be a dict of fields, a str or an image, got {type(sample).__name__}"
                )
            data = {bare: sample, **keywords} if keywords else {bare: sample}
        if not data:
            raise AugmentationError("the sample is empty: pass fields such as image=..., text=... or audio=...")
        key = tuple(data)
    plan = plans.get(key) if plans is not None else None
    if plan is None:
        plan = _plan_for(data, fields)
        if plans is not None and len(plans) < _KIND_CACHE_LIMIT:
            plans[key] = plan
    restorers: Restorers = _NO_RESTORERS
    for name, kind in plan.typed:
        value = data[name]
        if kind == "image" and type(value) is np.ndarray:  # the commonest field: no conversion to undo
            check_image_array(value, name, kind)
            continue
        value, restore = prepare_field(name, kind, value)
        data[name] = value
        if restore is not None:
            if restorers is _NO_RESTORERS:
                restorers = {}
            restorers[name] = restore
    prepared = Sample._sharing(data, plan.kinds, options if options is not None else FIELD_OPTION_DEFAULTS)
    if plan.cross_checked:
        check_cross_fields(prepared)
    return prepared, (bare, restorers)


def finish_sample(sample: Sample, how: tuple[str | None, Restorers]) -> Any:
    """The caller's form of a result: a plain dict (or the bare value), types restored."""
    bare, restorers = how
    if bare is not None:
        value = sample[bare]
        if not restorers:
            return value
        restore = restorers.get(bare)
        return restore(value) if restore is not None else value
    out = dict(sample)
    for key, restore in restorers.items():
        if key in out:
            out[key] = restore(out[key])
    return out
