"""Click trains: impulses at known times, and where they land after a step."""

from __future__ import annotations

import numpy as np


def click_train(sample_rate: int, duration: float, times: list[float], channels: int = 1) -> np.ndarray:
    """Unit impulses at ``times`` (seconds) in silence; ``(N,)`` or ``(channels, N)`` float32."""
    n = int(round(duration * sample_rate))
    x = np.zeros(n, np.float32)
    for t in times:
        x[int(round(t * sample_rate))] = 1.0
    return x if channels == 1 else np.tile(x, (channels, 1))


def locate(y: np.ndarray, sample_rate: int, near: float, search: float = 0.04) -> float:
    """Time (s) of the envelope peak within ``near ± search`` seconds.

    The envelope is ``|y|`` smoothed over 0.5 ms, so a click spread over a few samples by a
    stretch or a codec is located at its centre rather than at one ringing sample.
    """
    a = np.abs(y if y.ndim == 1 else y[0]).astype(np.float64)
    k = max(1, int(0.0005 * sample_rate))
    env = np.convolve(a, np.ones(k) / k, mode="same")
    lo = max(0, int((near - search) * sample_rate))
    hi = min(len(env), int((near + search) * sample_rate) + 1)
    return (lo + int(np.argmax(env[lo:hi]))) / sample_rate


def timing_errors(y: np.ndarray, sample_rate: int, expected: list[float]) -> np.ndarray:
    """Absolute errors (s) between the located clicks and their ``expected`` output times."""
    return np.array([abs(locate(y, sample_rate, t) - t) for t in expected])
