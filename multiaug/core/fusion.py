"""Fusion: running consecutive steps of one kind together, with results identical to one by one.

Some steps compose cheaply before they touch the data: consecutive point operations on a
``uint8`` image are each a 256-entry table, and two tables compose into one, so three colour
steps can cost one pass over the pixels instead of three. A step opts in by naming a fusion
group in its ``fusion`` class attribute; the modality registers one *fuser* per group with
:func:`register_fuser`. When a :class:`~multiaug.Sequential` (or a :class:`~multiaug.Pipeline`)
meets two or more consecutive steps of the same group, it hands them to the fuser.

The contract of a fuser, which is what keeps seeding, records and replay exact:

* It makes every step's random draws through :func:`draw`, in step order, so the generator is
  consumed exactly as in an unfused run and each step's record entry is the same.
* Its output equals, bit for bit, running the steps one by one with those parameters (which is
  what :meth:`~multiaug.Pipeline.replay` does).
* It may decline (return ``None``) before drawing anything, e.g. for a float image, and the
  steps then run one by one.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from multiaug.core.augmenter import Augmenter
    from multiaug.core.fields import Sample

__all__ = ["Fuser", "disabled", "draw", "fuser_for", "register_fuser", "run_steps"]

Record = list[dict[str, Any]]
#: ``fuser(steps, sample, rng, record) -> Sample | None``
Fuser = Callable[[Sequence["Augmenter"], "Sample", np.random.Generator, "Record | None"], "Sample | None"]

_FUSERS: dict[str, Fuser] = {}
_enabled = True


def register_fuser(group: str) -> Callable[[Fuser], Fuser]:
    """Register the fuser of a fusion group (steps with ``fusion = group``).

    Example:
        >>> @register_fuser("example.nothing")
        ... def _decline(steps, sample, rng, record):
        ...     return None  # always runs the steps one by one
    """

    def decorator(fn: Fuser) -> Fuser:
        _FUSERS[group] = fn
        return fn

    return decorator


def fuser_for(group: str) -> Fuser | None:
    """The fuser registered for ``group``, or None."""
    return _FUSERS.get(group)


@contextlib.contextmanager
def disabled() -> Iterator[None]:
    """Run every step one by one inside the block (for debugging and for checking fusers).

    Example:
        >>> with disabled():
        ...     pass
    """
    global _enabled
    before, _enabled = _enabled, False
    try:
        yield
    finally:
        _enabled = before


def draw(step: Augmenter, sample: Sample, rng: np.random.Generator, record: Record | None) -> dict[str, Any] | None:
    """A step's draws for one call, exactly as :meth:`Augmenter.run` makes them.

    Returns the parameters, or None when the step does not fire; appends the step's record
    entry either way.
    """
    if step.p < 1.0 and not rng.random() < step.p:
        if record is not None:
            record.append({"name": step.name, "applied": False})
        return None
    params = step.make_params(sample, rng)
    if record is not None:
        record.append({"name": step.name, "applied": True, "params": params})
    return params


def run_steps(steps: Sequence[Augmenter], sample: Sample, rng: np.random.Generator, record: Record | None) -> Sample:
    """Run ``steps`` in order, handing runs of two or more steps of one fusion group to its fuser."""
    if not _enabled:
        for step in steps:
            sample = step.run(sample, rng, record)
        return sample
    i, n = 0, len(steps)
    while i < n:
        step = steps[i]
        group = step.fusion
        if group is not None and i + 1 < n and steps[i + 1].fusion == group:
            j = i + 2
            while j < n and steps[j].fusion == group:
                j += 1
            fuser = _FUSERS.get(group)
            fused = fuser(steps[i:j], sample, rng, record) if fuser is not None else None
            if fused is None:
                for declined in steps[i:j]:
                    sample = declined.run(sample, rng, record)
            else:
                sample = fused
            i = j
            continue
        sample = step.run(sample, rng, record)
        i += 1
    return sample
