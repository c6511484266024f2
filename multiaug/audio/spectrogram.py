"""Feature steps: Spectrogram and MelSpectrogram write a ``spectrogram`` field from ``audio``.

The STFT is computed with SciPy's FFT (NumPy's without SciPy; SciPy's is several times faster on
float32 frames): a periodic Hann window, frames centred on ``t * hop_length``
(the signal is zero-padded by ``n_fft // 2`` at both ends), so there are ``1 + N // hop_length``
frames and frame ``t`` describes time ``t * hop_length / sample_rate``. A clip shorter than the
FFT window is therefore still analysed: its frames see it surrounded by silence. The mel
filterbank follows the Slaney convention (librosa's default), so results match
``librosa.feature.melspectrogram(..., center=True, pad_mode="constant")``.

Output: ``(F, T)`` float32 for mono audio, ``(C, F, T)`` for ``C`` channels. With ``log="db"``
values are ``10 * log10(max(S, 1e-10))``; with ``log=None`` the power (or magnitude) itself.

Example:
    >>> import numpy as np
    >>> from multiaug import audio as A
    >>> out = A.MelSpectrogram(n_mels=40, p=1.0)({"audio": np.zeros(16000, np.float32), "sample_rate": 16000})
    >>> out["spectrogram"].shape
    (40, 101)
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np

from multiaug.audio._common import sample_rate_of
from multiaug.core.augmenter import Augmenter
from multiaug.core.errors import AugmentationError, InvalidParameterTypeError
from multiaug.core.fields import Sample
from multiaug.core.params import check_choice, check_int, check_number
from multiaug.core.registry import register

__all__ = ["MelSpectrogram", "Spectrogram", "mel_filterbank", "power_to_db", "stft_power"]


@lru_cache(maxsize=16)
def _hann(n: int) -> np.ndarray:
    return (0.5 - 0.5 * np.cos(2.0 * np.pi * np.arange(n) / n)).astype(np.float32)


def stft_power(x: np.ndarray, n_fft: int, hop_length: int, win_length: int | None = None,
               power: float = 2.0) -> np.ndarray:
    """``|STFT|**power`` of ``x`` (``(N,)`` or ``(C, N)``): ``(n_fft // 2 + 1, T)`` per channel, float32.

    Example:
        >>> stft_power(np.ones(1000, np.float32), 256, 100).shape
        (129, 11)
    """
    win_length = win_length or n_fft
    window = np.zeros(n_fft, np.float32)
    start = (n_fft - win_length) // 2
    window[start : start + win_length] = _hann(win_length)
    half = n_fft // 2
    padded = np.pad(x, [(0, 0)] * (x.ndim - 1) + [(half, half)])
    frames = np.lib.stride_tricks.sliding_window_view(padded, n_fft, axis=-1)[..., ::hop_length, :]
    spec = _rfft()(frames * window, axis=-1)
    if power == 2.0:  # |z|^2 without the square root of abs()
        out = np.square(spec.real)
        out += np.square(spec.imag)
    else:
        out = np.abs(spec)
        if power != 1.0:
            out **= np.float32(power)
    return np.ascontiguousarray(np.swapaxes(out.astype(np.float32, copy=False), -1, -2))


@lru_cache(maxsize=1)
def _rfft() -> Any:
    """``scipy.fft.rfft`` on one thread (float32 in, complex64 out), or NumPy's when SciPy is absent."""
    try:
        import scipy.fft
    except ImportError:
        return np.fft.rfft
    from functools import partial

    return partial(scipy.fft.rfft, workers=1)


def _hz_to_mel(f: np.ndarray) -> np.ndarray:
    f = np.asarray(f, dtype=np.float64)
    lin = f / (200.0 / 3)
    log_start = 1000.0 / (200.0 / 3)
    return np.where(f >= 1000.0, log_start + np.log(np.maximum(f, 1e-10) / 1000.0) / (np.log(6.4) / 27.0), lin)


def _mel_to_hz(m: np.ndarray) -> np.ndarray:
    m = np.asarray(m, dtype=np.float64)
    log_start = 1000.0 / (200.0 / 3)
    return np.where(m >= log_start, 1000.0 * np.exp((np.log(6.4) / 27.0) * (m - log_start)), m * (200.0 / 3))


@lru_cache(maxsize=16)
def mel_filterbank(sample_rate: int, n_fft: int, n_mels: int, f_min: float = 0.0,
                   f_max: float | None = None) -> np.ndarray:
    """Slaney-style triangular mel filters with area normalisation, ``(n_mels, n_fft // 2 + 1)``.

    Example:
        >>> mel_filterbank(16000, 400, 80).shape
        (80, 201)
    """
    f_max = sample_rate / 2.0 if f_max is None else f_max
    fft_freqs = np.linspace(0.0, sample_rate / 2.0, n_fft // 2 + 1)
    mel_points = _mel_to_hz(np.linspace(_hz_to_mel(f_min), _hz_to_mel(f_max), n_mels + 2))
    widths = np.diff(mel_points)
    ramps = mel_points[:, None] - fft_freqs[None, :]
    lower = -ramps[:-2] / widths[:-1, None]
    upper = ramps[2:] / widths[1:, None]
    weights = np.maximum(0.0, np.minimum(lower, upper))
    weights *= (2.0 / (mel_points[2:] - mel_points[:-2]))[:, None]
    return weights.astype(np.float32)


def power_to_db(s: np.ndarray, amin: float = 1e-10) -> np.ndarray:
    """``10 * log10(max(s, amin))`` as float32.

    Example:
        >>> power_to_db(np.array([1.0, 100.0], np.float32)).round(3).tolist()
        [0.0, 20.0]
    """
    return (10.0 * np.log10(np.maximum(s, np.float32(amin)))).astype(np.float32)


class _Feature(Augmenter):
    def _check_common(self, n_fft: int, hop_length: int, win_length: int | None, power: float, log: str | None,
                      key: str) -> None:
        check_int(n_fft, self.name, "n_fft", low=8, high=1 << 16)
        check_int(hop_length, self.name, "hop_length", low=1, high=1 << 16)
        if win_length is not None:
            check_int(win_length, self.name, "win_length", low=2, high=n_fft)
        check_number(power, self.name, "power", low=0.5, high=4.0)
        check_choice(log, self.name, "log", ("db", None))
        if not isinstance(key, str) or not key:
            raise InvalidParameterTypeError(f"{self.name}: key must be a non-empty field name, got {key!r}",
                                            owner=self.name, param="key")
        self.n_fft, self.hop_length, self.win_length, self.power, self.log, self.key = (
            n_fft, hop_length, win_length, power, log, key)

    def features(self, audio: np.ndarray, sample_rate: int) -> np.ndarray:
        raise NotImplementedError

    def apply(self, sample: Sample, params: dict[str, Any]) -> Sample:
        keys = sample.keys_of("audio")
        if not keys:
            raise AugmentationError("this step computes a spectrogram from an 'audio' field; there is none",
                                    step=self.name)
        spec = self.features(sample[keys[0]], sample_rate_of(sample, self.name))
        if self.log == "db":
            spec = power_to_db(spec)
        return sample.derive({self.key: spec}, kinds={self.key: "spectrogram"})


@register
class Spectrogram(_Feature):
    """Writes the (log) power spectrogram of the audio into a ``spectrogram`` field.

    Args:
        n_fft: FFT size.
        hop_length: Samples between frames.
        win_length: Hann window length (``<= n_fft``; default ``n_fft``).
        power: 2.0 for power, 1.0 for magnitude.
        log: ``"db"`` (default) or None.
        key: Name of the field written (kind ``spectrogram``).
        p: Probability of applying the step.

    Example:
        >>> import numpy as np
        >>> out = Spectrogram(n_fft=256, hop_length=128)({"audio": np.zeros(1024, np.float32), "sample_rate": 8000})
        >>> out["spectrogram"].shape
        (129, 9)
    """

    def __init__(self, n_fft: int = 400, hop_length: int = 160, win_length: int | None = None, power: float = 2.0,
                 log: str | None = "db", key: str = "spectrogram", p: float = 1.0) -> None:
        super().__init__(p=p)
        self._check_common(n_fft, hop_length, win_length, power, log, key)

    def features(self, audio: np.ndarray, sample_rate: int) -> np.ndarray:
        return stft_power(audio, self.n_fft, self.hop_length, self.win_length, self.power)


@register
class MelSpectrogram(_Feature):
    """Writes the (log) mel spectrogram of the audio into a ``spectrogram`` field.

    Args:
        n_fft: FFT size.
        hop_length: Samples between frames (160 = 10 ms at 16 kHz).
        n_mels: Number of mel bands.
        f_min: Lowest frequency of the filterbank (Hz).
        f_max: Highest frequency (Hz); default the Nyquist frequency.
        win_length: Hann window length (``<= n_fft``; default ``n_fft``).
        power: 2.0 for power, 1.0 for magnitude.
        log: ``"db"`` (default) or None.
        key: Name of the field written (kind ``spectrogram``).
        p: Probability of applying the step.

    Example:
        >>> MelSpectrogram(n_mels=64).n_mels
        64
    """

    def __init__(self, n_fft: int = 400, hop_length: int = 160, n_mels: int = 80, f_min: float = 0.0,
                 f_max: float | None = None, win_length: int | None = None, power: float = 2.0,
                 log: str | None = "db", key: str = "spectrogram", p: float = 1.0) -> None:
        super().__init__(p=p)
        self._check_common(n_fft, hop_length, win_length, power, log, key)
        check_int(n_mels, self.name, "n_mels", low=1, high=1024)
        check_number(f_min, self.name, "f_min", low=0.0)
        if f_max is not None:
            check_number(f_max, self.name, "f_max", low=f_min)
        self.n_mels, self.f_min, self.f_max = n_mels, f_min, f_max

    def features(self, audio: np.ndarray, sample_rate: int) -> np.ndarray:
        if self.f_max is not None and self.f_max > sample_rate / 2:
            raise AugmentationError(f"f_max={self.f_max} Hz is above the Nyquist frequency of {sample_rate} Hz audio",
                                    step=self.name)
        power = stft_power(audio, self.n_fft, self.hop_length, self.win_length, self.power)
        fb = mel_filterbank(sample_rate, self.n_fft, self.n_mels, float(self.f_min),
                            None if self.f_max is None else float(self.f_max))
        return np.ascontiguousarray(np.matmul(fb, power), dtype=np.float32)
