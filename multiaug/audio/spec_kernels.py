"""Compiled passes (numba) over spectrograms: SpecAugment's time warp, and a copy that masks frames.

The warp interpolates every bin between two neighbouring source frames. In the ``(bins,
frames)`` layout that is a gather along the inner axis, which neither NumPy nor OpenCV's float
resize vectorises; in the frames-major layout ``(frames, bins)`` each output frame is
``lo + a * (up - lo)`` over two contiguous source rows, which a compiled loop runs at vector
speed. The pass also adds the warped values up on the way, which the mean fill needs anyway.
Without a warp, time masks are runs of columns of the ``(bins, frames)`` layout: NumPy fills
them one strided block at a time (about 1 us each, and the adaptive policy draws up to 20),
while :func:`copy_filling_columns` copies the array and fills every run row by row, while the
row is in cache. See ``benchmarks/audio.md`` for what they save.

The warp's sum is accumulated in the data's dtype in one lane per bin (which is what lets the
loop vectorise without reordering any one addition), and the lanes are flushed into float64
every 256 frames, so a float32 sum stays within about 1e-5 relative even for long inputs.

numba comes with the ``audio`` extra (librosa needs it). It is imported on first use, and the
compiled code is cached on disk (numba's ``cache=True``), so a fresh process loads it instead
of compiling again. Without numba, or with ``MULTIAUG_JIT=0`` in the environment, both
functions return None and callers use OpenCV or NumPy.

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

__all__ = ["copy_filling_columns", "warp_frames_major"]

_FLUSH = 256  # frames accumulated per lane between flushes into float64
_compiled: dict[str, Callable[..., Any] | None] = {}


def warp_frames_major() -> Callable[..., float] | None:
    """The compiled warp ``warp(src_t, out_t, length, center, dest, want_sum) -> float``, or None.

    ``src_t`` and ``out_t`` are C-contiguous ``(frames, bins)`` arrays of one dtype, float32 or
    float64. Output frames ``0 .. length - 1`` are the warp of
    :func:`multiaug.audio.specaugment.warp_positions` (the source span before frame ``center``
    lands before frame ``dest``); later frames are copied unchanged. Returns the sum of the
    warped frames ``0 .. length - 1`` when ``want_sum`` is true, 0.0 otherwise. None without
    numba or with ``MULTIAUG_JIT=0``; compiled once per process (or loaded from numba's cache).
    """
    return _kernel("warp", _warp_frames_major)


def copy_filling_columns() -> Callable[..., None] | None:
    """The compiled ``copy(src, out, runs, value)``, or None (as :func:`warp_frames_major`).

    Writes the C-contiguous 2-D ``src`` into ``out`` (same shape and dtype, float32 or float64)
    with ``value`` in the columns ``runs[2i] .. runs[2i + 1] - 1`` of every row; ``runs`` is a
    flat int64 array of start, end pairs, clipped to the columns (overlaps are simply filled
    twice).

    Example:
        >>> import numpy as np
        >>> copy = copy_filling_columns()
        >>> src = np.ones((2, 5), np.float32)
        >>> out = np.empty_like(src)
        >>> runs = np.array([1, 3, -2, 1], np.int64)  # columns 1-2, and 0 (clipped)
        >>> copy is None or (copy(src, out, runs, 0.0), out[1].tolist())[1] == [0.0, 0.0, 0.0, 1.0, 1.0]
        True
    """
    return _kernel("copy", _copy_filling_columns)


def _kernel(name: str, fn: Callable[..., Any]) -> Callable[..., Any] | None:
    if name not in _compiled:
        _compiled[name] = _compile(fn) if os.environ.get("MULTIAUG_JIT", "1") != "0" else None
    return _compiled[name]


def _compile(fn: Callable[..., Any]) -> Callable[..., Any] | None:
    try:
        import numba
    except Exception:  # noqa: BLE001 - not installed, or broken against this NumPy: use the fallbacks
        return None
    return numba.njit(nogil=True, cache=True)(fn)


# The functions below are compiled by numba: plain loops over arrays.


def _warp_frames_major(src_t: Any, out_t: Any, length: int, center: int, dest: int, want_sum: bool) -> float:
    # The positions are those of warp_positions (float64, the same operations); the weight is
    # cast to the data's dtype as _warp_table does.
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


def _copy_filling_columns(src: Any, out: Any, runs: Any, value: float) -> None:
    rows, cols = src.shape
    v = out.dtype.type(value)
    for r in range(rows):
        for k in range(cols):
            out[r, k] = src[r, k]
        for c in range(0, runs.shape[0] - 1, 2):
            for k in range(max(runs[c], 0), min(runs[c + 1], cols)):
                out[r, k] = v
