"""Gaussian noise on uint8 images by the alias method: byte tables instead of a 16-bit lookup.

:func:`multiaug.image.functional.gaussian_noise` adds ``round(255 * sigma * z)`` to each value,
with z one of 65536 equally likely normal quantiles: a discrete distribution whose probabilities
are multiples of 1/65536. When it takes at most 256 distinct values (``sigma`` up to about 0.11
of the full scale), Walker's alias method draws it exactly from two random bytes: the first picks
one of 256 slots, the second decides between the slot's own value and its alias. Every step is a
byte-table translation or a byte-wise OpenCV operation, which is much cheaper than gathering from
a 65536-entry table (NumPy first widens the 16-bit indices to 64 bits). The noise is applied as
``(image + positive part) - negative part`` with OpenCV's saturating uint8 arithmetic, which equals
adding it and clipping to 0..255. Tables are built once per (sigma, shift) and kept.

Example:
    >>> tables = normal_alias(12.75, 0)
    >>> [t.dtype.name for t in tables], [t.shape for t in tables][0]
    (['uint8', 'uint8', 'uint8', 'uint8'], (256,))
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from multiaug.image.functional import _normal_quantiles, apply_lut

__all__ = ["add_normal_noise", "alias_slots", "normal_alias", "snap_sigma"]

_SLOTS = 256
_CACHE: dict[tuple[float, int], tuple[np.ndarray, ...] | None] = {}
_CACHE_LIMIT = 4096
_GRID_PER_OCTAVE = 120


def snap_sigma(sigma: float) -> float:
    """``sigma`` on a grid of 1/120 octave (0.6%), so that random draws reuse a few hundred tables.

    Example:
        >>> snap_sigma(0.05) == snap_sigma(0.05001)
        True
    """
    if sigma <= 0.0:
        return sigma
    return 2.0 ** (round(math.log2(sigma) * _GRID_PER_OCTAVE) / _GRID_PER_OCTAVE)


def alias_slots(values: list[int], counts: list[int]) -> tuple[list[int], list[int], list[int]] | None:
    """Walker's alias tables for ``values`` with integer weights ``counts`` summing to 256 * 256.

    Returns ``(slot_value, threshold, alias)``, 256 entries each: slot ``s`` gives
    ``slot_value[s]`` when the second byte is below ``threshold[s]`` and ``slot_value[alias[s]]``
    otherwise, so each value is drawn with probability ``count / 65536`` exactly. None when there
    are more than 256 values.
    """
    if len(values) > _SLOTS:
        return None
    weight = list(counts) + [0] * (_SLOTS - len(counts))
    slot_value = list(values) + [0] * (_SLOTS - len(values))
    threshold = [0] * _SLOTS
    alias = list(range(_SLOTS))
    small = [s for s in range(_SLOTS) if weight[s] < _SLOTS]
    large = [s for s in range(_SLOTS) if weight[s] >= _SLOTS]
    while small and large:
        s, big = small.pop(), large.pop()
        threshold[s], alias[s] = weight[s], big  # s keeps weight[s] of its 256 units, the rest go to big
        weight[big] -= _SLOTS - weight[s]
        (small if weight[big] < _SLOTS else large).append(big)
    # what is left holds exactly 256 units (threshold 0 and alias itself: always its own value)
    return slot_value, threshold, alias


def normal_alias(sigma255: float, shift: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None:
    """``(positive, negative, threshold, alias)`` byte tables for noise ``round(sigma255 * z) + shift``.

    None when the noise takes more than 256 values (then the caller uses the 16-bit lookup).
    """
    key = (float(sigma255), int(shift))
    if key in _CACHE:
        return _CACHE[key]
    q = _normal_quantiles(sigma255)  # sorted
    if int(q[-1]) - int(q[0]) >= 4 * _SLOTS:  # far too many values: no need to count them
        _remember(key, None)
        return None
    span = np.arange(int(q[0]), int(q[-1]) + 2, dtype=np.int64)
    counts = np.diff(np.searchsorted(q, span.astype(q.dtype)))  # how many of the 65536 quantiles round to each value
    present = counts > 0
    slots = alias_slots((span[:-1][present] + shift).tolist(), counts[present].tolist())
    tables = None
    if slots is not None:
        slot_value, threshold, alias = (np.asarray(t, np.int64) for t in slots)
        # beyond +-255 the saturating add gives the same pixel as the exact value
        positive = np.clip(slot_value, 0, 255).astype(np.uint8)
        negative = np.clip(-slot_value, 0, 255).astype(np.uint8)
        tables = (positive, negative, threshold.astype(np.uint8), alias.astype(np.uint8))
    _remember(key, tables)
    return tables


def _remember(key: tuple[float, int], tables: tuple[np.ndarray, ...] | None) -> None:
    if len(_CACHE) >= _CACHE_LIMIT:
        _CACHE.clear()
    _CACHE[key] = tables


def add_normal_noise(img: np.ndarray, per_value_shape: tuple[int, ...], sigma255: float, shift: int,
                     seed: int) -> np.ndarray | None:
    """``clip(img + round(sigma255 * z) + shift, 0, 255)`` with one noise value per element of
    ``per_value_shape`` (the image's shape, or ``(H, W, 1)`` for noise shared by the channels).

    None when :func:`normal_alias` has no tables for these parameters.
    """
    tables = normal_alias(sigma255, shift)
    if tables is None:
        return None
    positive, negative, threshold, alias = tables
    n = math.prod(per_value_shape)
    raw = np.random.SFC64(seed).random_raw(-(-n // 4)).view(np.uint8)  # 2n random bytes
    slot, second = raw[:n], raw[n : 2 * n]
    own = cv2.compare(second, apply_lut(slot, threshold), cv2.CMP_LT).reshape(-1)  # 255: the slot's own value
    other = apply_lut(slot, alias)
    chosen = cv2.bitwise_xor(other, cv2.bitwise_and(cv2.bitwise_xor(slot, other), own)).reshape(-1)
    up, down = apply_lut(chosen, positive), apply_lut(chosen, negative)
    if tuple(per_value_shape) != img.shape:  # one noise value per pixel, the same in every channel
        channels = img.shape[2]
        up = np.repeat(up.reshape(-1, 1), channels, axis=1)
        down = np.repeat(down.reshape(-1, 1), channels, axis=1)
    flat = np.ascontiguousarray(img).reshape(-1)
    out = cv2.subtract(cv2.add(flat, up.reshape(-1)), down.reshape(-1))
    return out.reshape(img.shape)
