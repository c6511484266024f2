"""Turning what a caller passes into a :class:`Sample`, and the result back into the caller's form."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from multiaug.core.errors import AugmentationError
from multiaug.core.fields import Sample, check_cross_fields, prepare_field, resolve_kinds

__all__ = ["finish_sample", "prepare_sample"]

Finisher = Callable[[Sample], Any]


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
    options: Mapping[str, Any],
) -> tuple[Sample, tuple[str | None, dict[str, Callable[[Any], Any]]]]:
    """Validate and convert a caller's sample.

    Returns the internal :class:`Sample` and what :func:`finish_sample` needs to give the result
    back in the caller's form: the bare key (when a bare value was given) and per-field restorers.
    """
    bare: str | None = None
    if sample is None:
        data = dict(keywords)
    elif isinstance(sample, Mapping):
        data = {**sample, **keywords}
    else:
        bare = _bare_kind(sample)
        if bare is None:
            raise AugmentationError(
                f"a sample must be a dict of fields, a str or an image, got {type(sample).__name__}"
            )
        data = {bare: sample, **keywords}
    if not data:
        raise AugmentationError("the sample is empty: pass fields such as image=..., text=... or audio=...")
    kinds = resolve_kinds(data, fields)
    restorers: dict[str, Callable[[Any], Any]] = {}
    for key, kind in kinds.items():
        if kind is None:
            continue
        value, restore = prepare_field(key, kind, data[key])
        data[key] = value
        if restore is not None:
            restorers[key] = restore
    prepared = Sample(data, kinds, options)
    check_cross_fields(prepared)
    return prepared, (bare, restorers)


def finish_sample(sample: Sample, how: tuple[str | None, dict[str, Callable[[Any], Any]]]) -> Any:
    """The caller's form of a result: a plain dict (or the bare value), types restored."""
    bare, restorers = how
    out = dict(sample)
    for key, restore in restorers.items():
        if key in out:
            out[key] = restore(out[key])
    return out[bare] if bare is not None else out
