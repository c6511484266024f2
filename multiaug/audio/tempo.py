"""Time and pitch steps: TimeStretch, PitchShift, SpeedPerturb and Resample.

Each step that changes timing exposes :meth:`time_map` (input seconds -> output seconds) and
moves transcript word timings with it. Stretch and pitch use the backends of
:mod:`multiaug.audio.stretch` (``"signalsmith"`` by default, ``"librosa"`` as the fallback);
speed and resampling use soxr, which keeps sample ``k`` at time ``k / rate`` exactly.

Example:
    >>> import numpy as np
    >>> from multiaug import audio as A
    >>> step = A.SpeedPerturb(choices=[1.25], p=1.0)
    >>> out = step({"audio": np.zeros(16000, np.float32), "sample_rate": 16000})
    >>> out["audio"].shape
    (12800,)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from multiaug.audio import functional as F
from multiaug.audio import stretch as S
from multiaug.audio._common import TimeMoving, audio_length, sample_rate_of
from multiaug.audio.timemap import TimeMap
from multiaug.core.augmenter import Augmenter
from multiaug.core.errors import InvalidParameterError, InvalidParameterTypeError
from multiaug.core.fields import Sample, Updates
from multiaug.core.params import check_choice, check_number, to_range
from multiaug.core.registry import register

__all__ = ["PitchShift", "Resample", "SpeedPerturb", "TimeStretch"]


def _check_choices(values: Any, owner: str, param: str, low: float, high: float) -> list[float] | None:
    if values is None:
        return None
    if isinstance(values, (str, bytes)) or not hasattr(values, "__len__") or len(values) == 0:
        raise InvalidParameterTypeError(
            f"{owner}: {param} must be a non-empty list of numbers, got {values!r}", owner=owner, param=param
        )
    return [check_number(v, owner, param, low=low, high=high) for v in values]


@register
class TimeStretch(TimeMoving):
    """Changes tempo without changing pitch, by a random rate (``> 1`` is faster and shorter).

    Args:
        rate: Rate range ``(low, high)``, within ``[0.25, 4]``.
        backend: ``"signalsmith"`` (default: python-stretch, accurate in time) or ``"librosa"``
            (phase vocoder; transients move by tens of milliseconds).
        p: Probability of applying the step.

    The output has ``round(N / rate)`` samples and the time map is ``t -> t * out_len / N``.
    Audio shorter than one processing block (64 ms) is still stretched to that length, but is
    mostly the backend's edge handling.

    Example:
        >>> import numpy as np
        >>> st = TimeStretch(rate=(2.0, 2.0), p=1.0)
        >>> st({"audio": np.zeros(8000, np.float32), "sample_rate": 8000})["audio"].shape
        (4000,)
    """

    def __init__(self, rate: Any = (0.8, 1.25), backend: str = "signalsmith", p: float = 0.5) -> None:
        super().__init__(p=p)
        self._rate = to_range(rate, self.name, "rate", low=0.25, high=4.0, scalar="fixed")
        check_choice(backend, self.name, "backend", S.BACKENDS)
        self.rate, self.backend = rate, backend

    def make_params(self, sample: Sample, rng: np.random.Generator) -> dict[str, Any]:
        return {"rate": float(rng.uniform(*self._rate)), "n": audio_length(sample, self.name)}

    def time_map(self, params: dict[str, Any], sample_rate: int, n_samples: int) -> TimeMap:
        out = S.stretched_length(n_samples, params["rate"])
        return TimeMap.linear(out / sample_rate, in_duration=n_samples / sample_rate, scale=out / n_samples)

    def apply_audio(self, value: np.ndarray, params: dict[str, Any], sample: Sample) -> np.ndarray:
        sr = sample_rate_of(sample, self.name)
        return S.time_stretch(value, sr, params["rate"], self.backend)


@register
class PitchShift(Augmenter):
    """Shifts pitch by a random number of semitones, keeping the duration and the timing.

    Args:
        semitones: Range in semitones, a number x meaning (-x, x) or a (low, high) pair, within ±24.
        backend: ``"signalsmith"`` (default) or ``"librosa"``.
        p: Probability of applying the step.

    Example:
        >>> import numpy as np
        >>> ps = PitchShift(semitones=(3, 3), p=1.0)
        >>> ps({"audio": np.zeros(8000, np.float32), "sample_rate": 8000})["audio"].shape
        (8000,)
    """

    def __init__(self, semitones: Any = 4.0, backend: str = "signalsmith", p: float = 0.5) -> None:
        super().__init__(p=p)
        self._semitones = to_range(semitones, self.name, "semitones", low=-24, high=24)
        check_choice(backend, self.name, "backend", S.BACKENDS)
        self.semitones, self.backend = semitones, backend

    def make_params(self, sample: Sample, rng: np.random.Generator) -> dict[str, Any]:
        return {"semitones": float(rng.uniform(*self._semitones))}

    def apply_audio(self, value: np.ndarray, params: dict[str, Any], sample: Sample) -> np.ndarray:
        sr = sample_rate_of(sample, self.name)
        return S.pitch_shift(value, sr, params["semitones"], self.backend)


@register
class SpeedPerturb(TimeMoving):
    """Sox-style speed change: tempo and pitch change together (a resample played at the old rate).

    Args:
        factor: Speed range ``(low, high)`` (``> 1`` is faster), within ``[0.25, 4]``.
        choices: Discrete factors to pick from instead (e.g. ``[0.9, 1.0, 1.1]``, as in Kaldi
            recipes); when given, ``factor`` is ignored.
        p: Probability of applying the step.

    The output has ``round(N / factor)`` samples; the time map is ``t -> t / factor``.

    Example:
        >>> SpeedPerturb(choices=[0.9, 1.0, 1.1]).choices
        [0.9, 1.0, 1.1]
    """

    def __init__(self, factor: Any = (0.9, 1.1), choices: Any = None, p: float = 0.5) -> None:
        super().__init__(p=p)
        self._factor = to_range(factor, self.name, "factor", low=0.25, high=4.0, scalar="fixed")
        self._choices = _check_choices(choices, self.name, "choices", 0.25, 4.0)
        self.factor, self.choices = factor, choices

    def make_params(self, sample: Sample, rng: np.random.Generator) -> dict[str, Any]:
        if self._choices is not None:
            f = self._choices[int(rng.integers(len(self._choices)))]
        else:
            f = float(rng.uniform(*self._factor))
        return {"factor": float(f), "n": audio_length(sample, self.name)}

    def time_map(self, params: dict[str, Any], sample_rate: int, n_samples: int) -> TimeMap:
        f = params["factor"]
        out = max(1, int(round(n_samples / f)))
        return TimeMap.linear(out / sample_rate, in_duration=n_samples / sample_rate, scale=1.0 / f)

    def apply_audio(self, value: np.ndarray, params: dict[str, Any], sample: Sample) -> np.ndarray:
        sr = sample_rate_of(sample, self.name)
        if params["factor"] == 1.0:
            return value
        return F.resample(value, sr, sr / params["factor"])


@register
class Resample(TimeMoving):
    """Resamples to a random rate and updates the ``sample_rate`` field; times do not move.

    Args:
        target_rate: Range of target rates in Hz ``(low, high)`` (a whole number is drawn), or a
            single rate.
        choices: Discrete rates to pick from instead (e.g. ``[8000, 16000, 22050]``).
        p: Probability of applying the step.

    The time map is the identity (in seconds); the output has ``round(N * new / old)`` samples.
    A spectrogram field is left as it is, since its frames keep their times.

    Example:
        >>> import numpy as np
        >>> out = Resample(target_rate=8000, p=1.0)({"audio": np.zeros(16000, np.float32), "sample_rate": 16000})
        >>> out["audio"].shape, out["sample_rate"]
        ((8000,), 8000)
    """

    def __init__(self, target_rate: Any = (8000, 48000), choices: Any = None, p: float = 0.5) -> None:
        super().__init__(p=p)
        self._rate = to_range(target_rate, self.name, "target_rate", low=1000, high=384000, scalar="fixed")
        self._choices = _check_choices(choices, self.name, "choices", 1000, 384000)
        for value in self._choices or []:
            if value != int(value):
                raise InvalidParameterError(
                    f"{self.name}: choices must be whole rates in Hz, got {value!r}", owner=self.name, param="choices"
                )
        self.target_rate, self.choices = target_rate, choices

    def make_params(self, sample: Sample, rng: np.random.Generator) -> dict[str, Any]:
        if self._choices is not None:
            rate = self._choices[int(rng.integers(len(self._choices)))]
        else:
            rate = rng.integers(int(np.ceil(self._rate[0])), int(np.floor(self._rate[1])) + 1)
        return {"rate": int(rate), "n": audio_length(sample, self.name)}

    def time_map(self, params: dict[str, Any], sample_rate: int, n_samples: int) -> TimeMap:
        out = max(1, int(round(n_samples * params["rate"] / sample_rate)))
        return TimeMap.linear(out / params["rate"], in_duration=n_samples / sample_rate)

    def apply_audio(self, value: np.ndarray, params: dict[str, Any], sample: Sample) -> Updates:
        sr = sample_rate_of(sample, self.name)
        out = F.resample(value, sr, params["rate"])
        return Updates({_key_of(sample, value): out, sample.keys_of("sample_rate")[0]: params["rate"]})

    def apply_spectrogram(self, value: Any, params: dict[str, Any], sample: Sample) -> Any:
        return value


def _key_of(sample: Sample, value: Any) -> str:
    for key in sample.keys_of("audio"):
        if sample[key] is value:
            return key
    return sample.keys_of("audio")[0]
