"""Seeding: per-sample generators and a fork-safe per-pipeline stream.

All randomness in multiaug flows through a :class:`numpy.random.Generator` that the pipeline
hands to each step. Nothing here or anywhere in the package touches a global RNG.

* ``generator_for(seed, index, epoch)`` derives the generator of one sample from
  ``SeedSequence([seed, epoch, index])``: the same sample gets the same augmentation whatever the
  number of DataLoader workers or processes.
* :class:`Stream` is the generator used by calls without an index. In any process other than
  the one that made it (forked or spawned workers) it is re-derived, so workers never repeat
  each other.
"""

from __future__ import annotations

import os

import numpy as np

__all__ = ["Stream", "fresh_entropy", "generator_for", "uniform", "uniform_int"]

_PROCESS_TAG = 0x70726F63  # "proc": keeps per-process streams apart from index-derived ones


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


def uniform(rng: np.random.Generator, bounds: tuple[float, float]) -> float:
    """One draw from ``U(low, high)``: the same number ``rng.uniform(low, high)`` gives, at a fraction of the cost.

    NumPy computes ``uniform`` as ``low + (high - low) * random()``; calling ``random()`` directly
    skips the argument handling of ``uniform``, which dominates for a single scalar.

    Example:
        >>> a, b = np.random.default_rng(1), np.random.default_rng(1)
        >>> uniform(a, (0.8, 1.2)) == float(b.uniform(0.8, 1.2))
        True
    """
    low, high = bounds
    return low + (high - low) * rng.random()


def uniform_int(rng: np.random.Generator, n: int) -> int:
    """One integer drawn uniformly from ``0 .. n - 1`` (``n >= 1``) from a single ``rng.random()``.

    Example:
        >>> 0 <= uniform_int(np.random.default_rng(0), 5) < 5
        True
    """
    return min(int(rng.random() * n), n - 1)


_fork_epoch = 0  # bumped in every child process that os.fork makes


def _after_fork_in_child() -> None:
    global _fork_epoch
    _fork_epoch += 1


if hasattr(os, "register_at_fork"):  # POSIX; elsewhere processes are spawned, and unpickling resets
    os.register_at_fork(after_in_child=_after_fork_in_child)


class Stream:
    """The generator of calls made without an index; distinct in every other process.

    In the process that created it, the stream starts from ``SeedSequence(seed)`` and is
    reproducible. A copy that finds itself in another process (after ``os.fork``, or unpickled in
    a spawned worker) re-derives its generator from the seed, the process id and fresh OS
    entropy, so workers never repeat each other's draws.

    The process check is made only when it can have changed: after a fork (an ``os.fork`` hook
    bumps a counter in the child) and after unpickling, so a call costs no system call.

    Example:
        >>> s = Stream(seed=0)
        >>> x = s.generator().random()
    """

    __slots__ = ("_epoch", "_gen", "_gen_pid", "_home_pid", "seed")

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self._home_pid = os.getpid()
        self._gen_pid: int | None = None
        self._gen: np.random.Generator | None = None
        self._epoch = -1  # the fork epoch in which _gen was last checked; -1: check on next use

    def __getstate__(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in self.__slots__}

    def __setstate__(self, state: dict[str, object]) -> None:
        for name, value in state.items():
            setattr(self, name, value)
        self._epoch = -1  # maybe another process now: check the pid on first use

    def generator(self) -> np.random.Generator:
        """The current generator, re-derived when the stream is used in a new process."""
        if self._epoch == _fork_epoch:
            return self._gen  # type: ignore[return-value]
        pid = os.getpid()
        if pid != self._gen_pid:
            if pid == self._home_pid and self._gen_pid is None:
                seq = np.random.SeedSequence(self.seed)
            else:
                seq = np.random.SeedSequence([self.seed, _PROCESS_TAG, pid, fresh_entropy()])
            self._gen = np.random.Generator(np.random.PCG64(seq))
            self._gen_pid = pid
        self._epoch = _fork_epoch
        return self._gen  # type: ignore[return-value]

    def spawn(self, n: int) -> list[np.random.Generator]:
        """``n`` independent child generators drawn from the stream (used by batches)."""
        return self.generator().spawn(n)
