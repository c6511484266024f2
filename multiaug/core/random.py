"""Seeding: per-sample generators and a fork-safe per-pipeline stream.

All randomness in multiaug flows through a :class:`numpy.random.Generator` that the pipeline
hands to each step. Nothing here or anywhere in the package touches a global RNG.

* ``generator_for(seed, index, epoch)`` derives the generator of one sample from
  ``SeedSequence([seed, epoch, index])``: the same sample gets the same augmentation whatever the
  number of DataLoader workers or processes.
* :class:`Stream` is the generator used by calls without an index. After ``os.fork`` each
  child re-derives it from its own process id, so forked workers never repeat each other.
"""

from __future__ import annotations

import os

import numpy as np

__all__ = ["Stream", "fresh_entropy", "generator_for"]

_FORK_TAG = 0x666F726B  # "fork": keeps post-fork streams apart from index-derived ones
_fork_generation = 0
_fork_pid = os.getpid()


def _after_fork_in_child() -> None:
    global _fork_generation, _fork_pid
    _fork_generation += 1
    _fork_pid = os.getpid()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def fresh_entropy() -> int:
    """A random 128-bit seed from the operating system (used when the caller gives no seed)."""
    return int(np.random.SeedSequence().entropy)


def generator_for(seed: int, index: int, epoch: int = 0) -> np.random.Generator:
    """The generator of sample ``index`` in ``epoch`` of a pipeline seeded with ``seed``.

    Example:
        >>> a = generator_for(0, 5).random()
        >>> b = generator_for(0, 5).random()
        >>> a == b
        True
    """
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, epoch, index])))


class Stream:
    """The generator of calls made without an index; distinct in every forked process.

    Example:
        >>> s = Stream(seed=0)
        >>> x = s.generator().random()
    """

    __slots__ = ("_gen", "_generation", "seed")

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self._generation = -1
        self._gen: np.random.Generator | None = None

    def generator(self) -> np.random.Generator:
        """The current generator, re-derived after a fork."""
        if self._generation != _fork_generation:
            if _fork_generation == 0:
                seq = np.random.SeedSequence(self.seed)
            else:
                seq = np.random.SeedSequence([self.seed, _FORK_TAG, _fork_generation, _fork_pid])
            self._gen = np.random.Generator(np.random.PCG64(seq))
            self._generation = _fork_generation
        return self._gen  # type: ignore[return-value]

    def reset(self) -> None:
        """Start the stream again from its seed."""
        self._generation = -1

    def spawn(self, n: int) -> list[np.random.Generator]:
        """``n`` independent child generators drawn from the stream (used by batches)."""
        return self.generator().spawn(n)
