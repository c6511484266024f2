"""How a registered augmenter is exercised by the contract tests.

Most steps need nothing: the contract picks a sample from the kinds the step has kernels for.
A step that needs constructor arguments, a special sample, or that is special in a documented
way, gets a :class:`Case` in ``tests/contract/cases/<modality>.py`` (a ``CASES`` dict keyed by
registry name).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Case:
    """Contract settings for one registered augmenter.

    Attributes:
        kwargs: Constructor arguments (``p`` is set by the tests; do not put it here).
        sample: Builds the input sample; None picks the default for the step's kinds.
        may_be_identity: The step can legitimately return its input unchanged for every draw on
            this sample (then the "changes something" check is skipped; say why in ``why``).
        batch_only: The step works on batches only (MixUp, CutMix): the single-sample checks run
            through ``Pipeline.batch`` on ``batch_size`` copies of the sample instead.
        batch_size: Batch size used when ``batch_only``.
        skip: A reason to skip the generic checks entirely; the step must have its own tests.
        why: Why the case deviates from the defaults.
    """

    kwargs: dict[str, Any] = field(default_factory=dict)
    sample: Callable[[], dict[str, Any]] | None = None
    may_be_identity: bool = False
    batch_only: bool = False
    batch_size: int = 4
    skip: str | None = None
    why: str = ""
