"""Butterworth filters as SciPy second-order sections: LowPass, HighPass, BandPass, BandStop.

Each step draws its cutoff(s) per call (log-uniformly, on a grid of 1/120 octave) and designs
a Butterworth filter of ``order`` with :func:`scipy.signal.butter` (``output="sos"``).
``zero_phase=True`` runs it forwards and backwards (:func:`scipy.signal.sosfiltfilt`): no
delay at all, and the magnitude response is squared (twice the attenuation). Cutoffs are
clamped below the Nyquist frequency of the clip.
The output is not clipped.

Example:
    >>> import numpy as np
    >>> from multiaug import audio as A
    >>> out = A.LowPass(cutoff=(1000, 1000), p=1.0)({"audio": np.ones(800, np.float32), "sample_rate": 8000})
    >>> out["audio"].shape
    (800,)
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, ClassVar

import numpy as np

from multiaug.audio._common import sample_rate_of
from multiaug.core.augmenter import Augmenter
from multiaug.core.deps import require
from multiaug.core.fields import Sample
from multiaug.core.params import check_choice, check_int, to_range
from multiaug.core.registry import register

__all__ = ["BandPass", "BandStop", "HighPass", "LowPass", "design", "sos_filter"]


def design(btype: str, cutoff: float | tuple[float, float], sample_rate: int, order: int) -> np.ndarray:
    """Second-order sections of a Butterworth filter (``btype``: lowpass, highpass, bandpass, bandstop).

    Cutoffs are clamped into ``(0, 0.999 * nyquist)``. Designs are cached (the steps draw
    their cutoffs on a fine grid, so that the cache is hit).

    Example:
        >>> design("lowpass", 1000, 16000, 4).shape
        (2, 6)
    """
    return _design(btype, cutoff, sample_rate, order).copy()


@lru_cache(maxsize=4096)
def _design(btype: str, cutoff: float | tuple[float, float], sample_rate: int, order: int) -> np.ndarray:
    signal = require("scipy.signal", "audio", feature="audio filters", package="scipy")
    nyq = sample_rate / 2.0
    lo_bound, hi_bound = 1e-3 * nyq, 0.999 * nyq
    if isinstance(cutoff, tuple):
        lo = min(max(cutoff[0], lo_bound), hi_bound * 0.999)
        hi = min(max(cutoff[1], lo * 1.001), hi_bound)
        wn: Any = [lo, hi]
    else:
        wn = min(max(float(cutoff), lo_bound), hi_bound)
    return signal.butter(order, wn, btype=btype, output="sos", fs=sample_rate)


def sos_filter(x: np.ndarray, sos: np.ndarray, zero_phase: bool = False) -> np.ndarray:
    """Filter along the last axis; float32 in, float32 out.

    With ``zero_phase`` the padding of :func:`scipy.signal.sosfiltfilt` is shortened for clips
    shorter than its default (a clip of a few samples is still filtered, with edge effects).
    """
    signal = require("scipy.signal", "audio", feature="audio filters", package="scipy")
    if zero_phase:
        padlen = min(3 * (2 * len(sos) + 1 - min((sos[:, 2] == 0).sum(), (sos[:, 5] == 0).sum())), x.shape[-1] - 1)
        y = signal.sosfiltfilt(sos, x, axis=-1, padlen=max(padlen, 0))
    else:
        # float64 state: in float32 a decaying IIR state over silence turns denormal, 10x slower
        y = signal.sosfilt(sos, x, axis=-1)
    return np.ascontiguousarray(y, dtype=np.float32)


class _Filter(Augmenter):
    btype: ClassVar[str] = ""

    def _init_common(self, order: int, zero_phase: bool) -> None:
        check_int(order, self.name, "order", low=1, high=16)
        check_choice(zero_phase, self.name, "zero_phase", (True, False))
        self.order, self.zero_phase = order, zero_phase

    def _cutoff(self, params: dict[str, Any]) -> float | tuple[float, float]:
        raise NotImplementedError

    def apply_audio(self, value: np.ndarray, params: dict[str, Any], sample: Sample) -> np.ndarray:
        sos = design(self.btype, self._cutoff(params), sample_rate_of(sample, self.name), int(self.order))
        return sos_filter(value, sos, self.zero_phase)


def _log_grid(rng: np.random.Generator, lo: float, hi: float) -> float:
    """Log-uniform draw in ``[lo, hi]`` on a grid of 1/120 octave (0.6%), so filter designs are reused."""
    if lo == hi:
        return float(lo)
    steps = int(np.floor(np.log2(hi / lo) * 120))
    return float(round(lo * 2.0 ** (int(rng.integers(0, steps + 1)) / 120), 3))


class _OneCutoff(_Filter):
    def make_params(self, sample: Sample, rng: np.random.Generator) -> dict[str, Any]:
        return {"cutoff": _log_grid(rng, *self._range)}

    def _cutoff(self, params: dict[str, Any]) -> float:
        return float(params["cutoff"])


@register
class LowPass(_OneCutoff):
    """Butterworth low-pass filter with a random cutoff (drawn log-uniformly).

    Args:
        cutoff: Cutoff range in Hz ``(low, high)``.
        order: Filter order (the slope is ``6 * order`` dB per octave).
        zero_phase: Filter forwards and backwards: no delay, squared magnitude response.
        p: Probability of applying the step.

    Example:
        >>> LowPass(cutoff=(500, 2000)).order
        4
    """

    btype = "lowpass"

    def __init__(self, cutoff: Any = (150.0, 7500.0), order: int = 4, zero_phase: bool = False, p: float = 0.5):
        super().__init__(p=p)
        self._range = to_range(cutoff, self.name, "cutoff", low=1.0, scalar="fixed")
        self.cutoff = cutoff
        self._init_common(order, zero_phase)


@register
class HighPass(_OneCutoff):
    """Butterworth high-pass filter with a random cutoff (drawn log-uniformly).

    Args:
        cutoff: Cutoff range in Hz ``(low, high)``.
        order: Filter order.
        zero_phase: Filter forwards and backwards: no delay, squared magnitude response.
        p: Probability of applying the step.

    Example:
        >>> HighPass(cutoff=(20, 400)).cutoff
        (20, 400)
    """

    btype = "highpass"

    def __init__(self, cutoff: Any = (20.0, 2400.0), order: int = 4, zero_phase: bool = False, p: float = 0.5):
        super().__init__(p=p)
        self._range = to_range(cutoff, self.name, "cutoff", low=1.0, scalar="fixed")
        self.cutoff = cutoff
        self._init_common(order, zero_phase)


class _Band(_Filter):
    def __init__(self, center: Any, bandwidth: Any, order: int, zero_phase: bool, p: float) -> None:
        super().__init__(p=p)
        self._center = to_range(center, self.name, "center", low=1.0, scalar="fixed")
        self._bandwidth = to_range(bandwidth, self.name, "bandwidth", low=0.01, high=1.99, scalar="fixed")
        self.center, self.bandwidth = center, bandwidth
        self._init_common(order, zero_phase)

    def make_params(self, sample: Sample, rng: np.random.Generator) -> dict[str, Any]:
        lo, hi = self._bandwidth
        steps = int(round((hi - lo) / 0.02))  # bandwidths on a grid of 0.02
        bw = lo + (hi - lo) * int(rng.integers(0, steps + 1)) / steps if steps else lo
        return {"center": _log_grid(rng, *self._center), "bandwidth": round(float(bw), 4)}

    def _cutoff(self, params: dict[str, Any]) -> tuple[float, float]:
        c, bw = params["center"], params["bandwidth"]
        return (c * (1.0 - bw / 2.0), c * (1.0 + bw / 2.0))


@register
class BandPass(_Band):
    """Butterworth band-pass filter around a random centre frequency.

    Args:
        center: Centre frequency range in Hz (drawn log-uniformly).
        bandwidth: Bandwidth range as a fraction of the centre (the band is
            ``center * (1 ± bandwidth / 2)``), within ``[0.01, 1.99]``.
        order: Filter order (of each edge).
        zero_phase: Filter forwards and backwards.
        p: Probability of applying the step.

    Example:
        >>> BandPass(center=(500, 2000), bandwidth=(0.5, 1.0)).bandwidth
        (0.5, 1.0)
    """

    btype = "bandpass"

    def __init__(self, center: Any = (200.0, 4000.0), bandwidth: Any = (0.5, 1.5), order: int = 2,
                 zero_phase: bool = False, p: float = 0.5):
        super().__init__(center, bandwidth, order, zero_phase, p)


@register
class BandStop(_Band):
    """Butterworth band-stop (notch) filter around a random centre frequency.

    Args:
        center: Centre frequency range in Hz (drawn log-uniformly).
        bandwidth: Bandwidth range as a fraction of the centre, within ``[0.01, 1.99]``.
        order: Filter order (of each edge).
        zero_phase: Filter forwards and backwards.
        p: Probability of applying the step.

    Example:
        >>> BandStop().order
        2
    """

    btype = "bandstop"

    def __init__(self, center: Any = (200.0, 4000.0), bandwidth: Any = (0.5, 1.5), order: int = 2,
                 zero_phase: bool = False, p: float = 0.5):
        super().__init__(center, bandwidth, order, zero_phase, p)
