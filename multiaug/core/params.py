"""Validation helpers for augmenter parameters.

Every augmenter validates its arguments in ``__init__`` with these helpers, so that the
messages are uniform: they name the augmenter, the parameter, the allowed range and the value
given. Ranges accept a scalar (meaning a range symmetric around a centre, or ``(0, x)``, as the
augmenter chooses) or a ``(low, high)`` pair; lists are accepted as pairs so that configs loaded
from JSON/YAML work unchanged.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from numbers import Integral, Real
from typing import Any

from multiaug.core.errors import InvalidParameterError, InvalidParameterTypeError

__all__ = [
    "check_choice",
    "check_int",
    "check_number",
    "check_probability",
    "to_int_range",
    "to_range",
]


def _fmt_bounds(low: float | None, high: float | None) -> str:
    lo = "-inf" if low is None else f"{low:g}"
    hi = "inf" if high is None else f"{high:g}"
    return f"[{lo}, {hi}]"


def _is_number(value: Any) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool)


def check_number(
    value: Any,
    owner: str,
    param: str,
    *,
    low: float | None = None,
    high: float | None = None,
) -> float:
    """Check that ``value`` is a finite real number within ``[low, high]``.

    Example:
        >>> check_number(0.5, "image.Blur", "sigma", low=0)
        0.5
    """
    if not _is_number(value):
        raise InvalidParameterTypeError(
            f"{owner}: {param} must be a number in {_fmt_bounds(low, high)}, got {value!r}",
            owner=owner,
            param=param,
        )
    value = float(value)
    if not math.isfinite(value) or (low is not None and value < low) or (high is not None and value > high):
        raise InvalidParameterError(
            f"{owner}: {param} must be in {_fmt_bounds(low, high)}, got {value!r}", owner=owner, param=param
        )
    return value


def check_int(value: Any, owner: str, param: str, *, low: int | None = None, high: int | None = None) -> int:
    """Check that ``value`` is an integer within ``[low, high]``.

    Example:
        >>> check_int(3, "core.SomeOf", "n", low=0)
        3
    """
    if not isinstance(value, Integral) or isinstance(value, bool):
        raise InvalidParameterTypeError(
            f"{owner}: {param} must be an integer in {_fmt_bounds(low, high)}, got {value!r}",
            owner=owner,
            param=param,
        )
    value = int(value)
    if (low is not None and value < low) or (high is not None and value > high):
        raise InvalidParameterError(
            f"{owner}: {param} must be an integer in {_fmt_bounds(low, high)}, got {value!r}",
            owner=owner,
            param=param,
        )
    return value


def check_probability(value: Any, owner: str, param: str = "p") -> float:
    """Check a probability in ``[0, 1]``.

    Example:
        >>> check_probability(1, "image.HorizontalFlip")
        1.0
    """
    return check_number(value, owner, param, low=0.0, high=1.0)


def check_choice(value: Any, owner: str, param: str, choices: Sequence[Any]) -> Any:
    """Check that ``value`` is one of ``choices``.

    Example:
        >>> check_choice("reflect", "image.Rotate", "border_mode", ["constant", "reflect"])
        'reflect'
    """
    if value not in choices:
        allowed = ", ".join(repr(c) for c in choices)
        raise InvalidParameterError(
            f"{owner}: {param} must be one of {allowed}, got {value!r}", owner=owner, param=param
        )
    return value


def to_range(
    value: Any,
    owner: str,
    param: str,
    *,
    low: float | None = None,
    high: float | None = None,
    scalar: str = "symmetric",
    center: float = 0.0,
) -> tuple[float, float]:
    """Turn a scalar or a ``(low, high)`` pair into a checked ``(low, high)`` tuple of floats.

    Args:
        value: A number or a 2-sequence of numbers.
        owner: Registry name of the augmenter, for messages.
        param: Parameter name, for messages.
        low: Smallest allowed value of either end (None: unbounded).
        high: Largest allowed value of either end (None: unbounded).
        scalar: How a scalar ``x`` is read: ``"symmetric"`` gives ``(center - x, center + x)``,
            ``"upper"`` gives ``(low, x)`` (``low`` must then be set), ``"fixed"`` gives ``(x, x)``.
        center: Centre of a symmetric range.

    Returns:
        ``(low, high)`` with ``low <= high``.

    Example:
        >>> to_range(15, "image.Rotate", "limit")
        (-15.0, 15.0)
        >>> to_range([0.8, 1.2], "image.Affine", "scale", low=0, center=1)
        (0.8, 1.2)
    """
    if _is_number(value):
        x = float(value)
        if scalar == "symmetric":
            if x < 0:
                raise InvalidParameterError(
                    f"{owner}: {param} as a single number means ±{param} and must be >= 0, got {value!r}",
                    owner=owner,
                    param=param,
                )
            pair = (center - x, center + x)
        elif scalar == "upper":
            pair = (float(low if low is not None else 0.0), x)
        elif scalar == "fixed":
            pair = (x, x)
        else:  # pragma: no cover - programming error in an augmenter
            raise ValueError(f"unknown scalar mode {scalar!r}")
    elif isinstance(value, (Sequence,)) and not isinstance(value, str) and len(value) == 2:
        if not all(_is_number(v) for v in value):
            raise InvalidParameterTypeError(
                f"{owner}: {param} must be a number or a (low, high) pair of numbers, got {value!r}",
                owner=owner,
                param=param,
            )
        pair = (float(value[0]), float(value[1]))
    else:
        raise InvalidParameterTypeError(
            f"{owner}: {param} must be a number or a (low, high) pair of numbers, got {value!r}",
            owner=owner,
            param=param,
        )
    lo, hi = pair
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise InvalidParameterError(f"{owner}: {param} must be finite, got {value!r}", owner=owner, param=param)
    if lo > hi:
        raise InvalidParameterError(
            f"{owner}: {param} must be (low, high) with low <= high, got {value!r}", owner=owner, param=param
        )
    if (low is not None and lo < low) or (high is not None and hi > high):
        raise InvalidParameterError(
            f"{owner}: {param} must lie within {_fmt_bounds(low, high)}, got {value!r}", owner=owner, param=param
        )
    return pair


def to_int_range(
    value: Any, owner: str, param: str, *, low: int | None = None, high: int | None = None
) -> tuple[int, int]:
    """Turn an int or a ``(low, high)`` pair of ints into a checked inclusive integer range.

    A single integer ``n`` means exactly ``n`` (``(n, n)``).

    Example:
        >>> to_int_range(2, "core.SomeOf", "n", low=0)
        (2, 2)
        >>> to_int_range([1, 3], "core.SomeOf", "n", low=0)
        (1, 3)
    """
    def bad_type() -> InvalidParameterTypeError:
        return InvalidParameterTypeError(
            f"{owner}: {param} must be an integer or a (low, high) pair of integers, got {value!r}",
            owner=owner,
            param=param,
        )

    if isinstance(value, Integral) and not isinstance(value, bool):
        pair = (int(value), int(value))
    elif isinstance(value, Sequence) and not isinstance(value, str) and len(value) == 2:
        if not all(isinstance(v, Integral) and not isinstance(v, bool) for v in value):
            raise bad_type()
        pair = (int(value[0]), int(value[1]))
    else:
        raise bad_type()
    if pair[0] > pair[1]:
        raise InvalidParameterError(
            f"{owner}: {param} must be (low, high) with low <= high, got {value!r}", owner=owner, param=param
        )
    if (low is not None and pair[0] < low) or (high is not None and pair[1] > high):
        raise InvalidParameterError(
            f"{owner}: {param} must lie within {_fmt_bounds(low, high)}, got {value!r}", owner=owner, param=param
        )
    return pair
