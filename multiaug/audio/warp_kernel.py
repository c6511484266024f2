"""SpecAugment's time warp as one compiled pass (numba) that also sums the warped frames.

The warp interpolates every bin between two neighbouring source frames. In the ``(bins,
frames)`` layout that is a gather along the inner axis, which neither NumPy nor OpenCV's float
resize vectorises; in the frames-major layout ``(frames, bins)`` each output frame is
``lo + a * (up - lo)`` over two contiguous source rows, which a compiled loop runs at vector
speed. The pass also adds the warped values up on the way, which the mean fill needs anyway.
See ``benchmarks/audio.md`` for what it saves.

The sum is accumulated in the data's dtype in one lane per bin (which is what lets the loop
vectorise without reordering any one addition), and the lanes are flushed into float64 every
256 frames, so a float32 sum stays within about 1e-5 relative even for long inputs.

numba comes with the ``audio`` extra (librosa needs it). It is imported on first use, and the
compiled code is cached on disk (numba's ``cache=True``), so a fresh process loads it instead
of compiling again. Without numba, or with ``MULTIAUG_JIT=0`` in the environment,
:func:`warp_frames_major` returns None and callers use OpenCV or NumPy.

Example:
    >>> import numpy as np
    >>> warp = warp_frames_major()
    >>> src = np.arange(12, dtype=np.float32).reshape(6, 2)  # 6 frames of 2 bins
    >>> out = np.empty_like(src)
    >>> warp is None or warp(src, out, 6, 2, 4, True) == float(out.sum())
    True
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = ["warp_frames_major"]

_FLUSH = 256  # frames accumulated per lane between flushes into float64
_compiled: list[Callable[..., float] | None] = []


def warp_frames_major() -> Callable[..., float] | None:
    """The compiled warp ``warp(src_t, out_t, length, center, dest, want_sum) -> float``, or None.

    ``src_t`` and ``out_t`` are C-contiguous ``(frames, bins)`` arrays of one dtype, float32 or
    float64. Output frames ``0 .. length - 1`` are the warp of
    :func:`multiaug.audio.specaugment.warp_positions` (the source span before frame ``center``
    lands before frame ``dest``); later frames are copied unchanged. Returns the sum of the
    warped frames ``0 .. length - 1`` when ``want_sum`` is true, 0.0 otherwise. None without
    numba or with ``MULTIAUG_JIT=0``; compiled once per process (or loaded from numba's cache).
    """
    if not _compiled:
        _compiled.append(_compile() if os.environ.get("MULTIAUG_JIT", "1") != "0" else None)
    return _compiled[0]


def _compile() -> Callable[..., float] | None:
    try:
        import numba
    except Exception:  # noqa: BLE001 - not installed, or broken against this NumPy: use the fallbacks
        return None
    return numba.njit(nogil=True, cache=True)(_warp_frames_major)


def _warp_frames_major(src_t: Any, out_t: Any, length: int, center: int, dest: int, want_sum: bool) -> float:
    # Compiled by numba. The positions are those of warp_positions (float64, the same
    # operations); the weight is cast to the data's dtype as _warp_table does.
    frames, bins = src_t.shape
    acc = np.zeros(bins, src_t.dtype)
    total = np.zeros(bins, np.float64)
    left_ratio = center / dest
    right_ratio = (length - center) / (length - dest)
    for j in range(length):
        if j < dest:
            p = min(max((j + 0.5) * left_ratio - 0.5, 0.0), center - 1.0)
        else:
            p = min(max((j + 0.5 - dest) * right_ratio + (center - 0.5), float(center)), length - 1.0)
        i = min(int(p), length - 2)
        a = src_t.dtype.type(p - i)
        lo = src_t[i]
        up = src_t[i + 1]
        row = out_t[j]
        if want_sum:
            for k in range(bins):
                v = lo[k] + a * (up[k] - lo[k])
                row[k] = v
                acc[k] += v
            if j % _FLUSH == _FLUSH - 1:
                for k in range(bins):
                    total[k] += acc[k]
                    acc[k] = 0
        else:
            for k in range(bins):
                row[k] = lo[k] + a * (up[k] - lo[k])
    for j in range(length, frames):
        out_t[j] = src_t[j]
    result = 0.0
    for k in range(bins):
        result += total[k] + acc[k]
    return result
