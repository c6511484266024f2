"""Class balancing: how many variants each source needs so that every class reaches a target count.

Example:
    >>> plan = balance_plan(["cat", "cat", "cat", "dog"], target=None)
    >>> plan.variants, plan.before, plan.after
    ([0, 0, 0, 2], {'cat': 3, 'dog': 1}, {'cat': 3, 'dog': 3})
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from multiaug.core.errors import ConfigError

__all__ = ["BalancePlan", "balance_plan", "class_key"]


@dataclass(frozen=True)
class BalancePlan:
    """Variants per source and class counts before and after (originals plus variants).

    Attributes:
        variants: Number of variants to make of each source, in input order.
        before: Class -> count among the given sources.
        after: Class -> count once the variants are added.
        target: The count every class is brought up to.
    """

    variants: list[int]
    before: dict[str, int]
    after: dict[str, int]
    target: int


def class_key(value: Any) -> str:
    """The class name of a label value (lists and dicts by their JSON form).

    Example:
        >>> class_key(3), class_key(["a", "b"])
        ('3', '["a","b"]')
    """
    if isinstance(value, str):
        return value
    if isinstance(value, Hashable) and not isinstance(value, (tuple, frozenset)):
        return str(value)
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)


def balance_plan(labels: Sequence[Any], target: int | None = None) -> BalancePlan:
    """Spread the variants of each class over its sources, in order, as evenly as possible.

    Args:
        labels: The class of each source.
        target: Count to bring every class up to; None means the largest class's count. Classes
            already at or above it get no variants.

    Raises:
        ConfigError: ``target`` is not a positive integer.
    """
    if target is not None and (isinstance(target, bool) or not isinstance(target, int) or target < 1):
        raise ConfigError(f"--target must be a positive integer, got {target!r}")
    keys = [class_key(v) for v in labels]
    before = dict(sorted(Counter(keys).items()))
    goal = target if target is not None else max(before.values(), default=0)
    seen: Counter[str] = Counter()
    variants = []
    for key in keys:
        count = before[key]
        extra = max(0, goal - count)
        rank = seen[key]
        seen[key] += 1
        variants.append(extra // count + (1 if rank < extra % count else 0))
    after = {k: max(c, goal) for k, c in before.items()}
    return BalancePlan(variants, before, after, goal)
