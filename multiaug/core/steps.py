"""Core steps that belong to no modality."""

from __future__ import annotations

from typing import Any

from multiaug.core.augmenter import Augmenter
from multiaug.core.fields import Sample
from multiaug.core.registry import register

__all__ = ["Identity"]


@register
class Identity(Augmenter):
    """Returns the sample unchanged (a placeholder branch in ``OneOf``, or a no-op baseline).

    Example:
        >>> import multiaug as ma
        >>> ma.Identity()("unchanged")
        'unchanged'
    """

    def __init__(self, p: float = 1.0) -> None:
        super().__init__(p=p)

    def apply(self, sample: Sample, params: dict[str, Any]) -> Sample:
        return sample
