"""Level and position steps: gain, normalisation, polarity, shift, fade, crop and pad.

All work on float32 ``(N,)`` or ``(C, N)`` audio, every channel alike. None clips: a gain may
take float audio above 1.0 (use :class:`~multiaug.audio.effects.Clipping` to clip on purpose).

Example:
    >>> import numpy as np
    >>> from multiaug import audio as A
    >>> x = np.zeros(16000, np.float32)
    >>> A.Pad(duration=1.5, p=1.0)({"audio": x, "sample_rate": 16000})["audio"].shape
    (24000,)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from multiaug.audio import functional as F
from multiaug.audio._common import TimeMoving, audio_length, length_and_rate, sample_rate_of
from multiaug.audio.timemap import Segment, TimeMap
from multiaug.core.augmenter import Augmenter
from multiaug.core.fields import Sample
from multiaug.core.params import check_choice, check_number, to_range
from multiaug.core.random import uniform, uniform_int
from multiaug.core.registry import register

__all__ = ["Fade", "Gain", "Normalize", "Pad", "PolarityInversion", "RandomCrop", "Shift"]


@register
class Gain(Augmenter):
    """Multiplies the audio by a random gain in dB (no clipping: float audio may exceed 1.0).

    Args:
        gain_db: Gain range in dB, a number x meaning (-x, x) or a (low, high) pair.
        p: Probability of applying the step.

    Example:
        >>> import numpy as np
        >>> out = Gain(gain_db=(6, 6), p=1.0)({"audio": np.full(4, 0.25, np.float32), "sample_rate": 8000})
        >>> out["audio"].round(2).tolist()
        [0.5, 0.5, 0.5, 0.5]
    """

    def __init__(self, gain_db: Any = (-12.0, 12.0), p: float = 0.5) -> None:
        super().__init__(p=p)
        self._gain = to_range(gain_db, self.name, "gain_db", low=-120, high=60)
        self.gain_db = gain_db

    def make_params(self, sample: Sample, rng: np.random.Generator) -> dict[str, Any]:
        return {"db": uniform(rng, self._gain)}

    def apply_audio(self, value: np.ndarray, params: dict[str, Any], sample: Sample) -> np.ndarray:
        return F.gain(value, params["db"])


@register
class Normalize(Augmenter):
    """Scales the audio so that its peak reaches ``peak_db`` dBFS; silent audio stays silent.

    Args:
        peak_db: Target peak level in dB relative to full scale (0 means a peak of 1.0).
        p: Probability of applying the step.

    Example:
        >>> import numpy as np
        >>> out = Normalize(p=1.0)({"audio": np.array([0.1, -0.4], np.float32), "sample_rate": 8000})
        >>> out["audio"].tolist()
        [0.25, -1.0]
    """

    def __init__(self, peak_db: float = 0.0, p: float = 0.5) -> None:
        super().__init__(p=p)
        check_number(peak_db, self.name, "peak_db", low=-120, high=20)
        self.peak_db = peak_db

    def apply_audio(self, value: np.ndarray, params: dict[str, Any], sample: Sample) -> np.ndarray:
        return F.normalize_peak(value, F.db_to_amplitude(float(self.peak_db)))


@register
class PolarityInversion(Augmenter):
    """Flips the sign of every sample.

    Example:
        >>> import numpy as np
        >>> PolarityInversion(p=1.0)({"audio": np.array([0.5], np.float32), "sample_rate": 8000})["audio"]
        array([-0.5], dtype=float32)
    """

    def __init__(self, p: float = 0.5) -> None:
        super().__init__(p=p)

    def apply_audio(self, value: np.ndarray, params: dict[str, Any], sample: Sample) -> np.ndarray:
        return -value


_UNITS = ("fraction", "seconds", "samples")


def _to_samples(value: float, unit: str, n: int, sr: int) -> int:
    if unit == "fraction":
        return int(round(value * n))
    if unit == "seconds":
        return int(round(value * sr))
    return int(round(value))


@register
class Shift(TimeMoving):
    """Moves the audio earlier or later in time, with or without rollover.

    Without rollover the vacated samples are silence and what is pushed past the end is lost
    (words there are dropped from a transcript, words cut in two keep their visible part). With
    rollover the audio wraps around and a transcript follows it.

    Args:
        shift: Shift range, a number x meaning (-x, x) or a (low, high) pair, in ``unit``;
            positive values move the audio later.
        unit: ``"fraction"`` (of the clip's duration), ``"seconds"`` or ``"samples"``.
        rollover: Wrap around instead of filling with silence.
        p: Probability of applying the step.

    Example:
        >>> import numpy as np
        >>> s = Shift(shift=(2, 2), unit="samples", rollover=False, p=1.0)
        >>> s({"audio": np.arange(1, 5, dtype=np.float32), "sample_rate": 8000})["audio"].tolist()
        [0.0, 0.0, 1.0, 2.0]
    """

    def __init__(self, shift: Any = 0.2, unit: str = "fraction", rollover: bool = True, p: float = 0.5) -> None:
        super().__init__(p=p)
        check_choice(unit, self.name, "unit", _UNITS)
        self._shift = to_range(shift, self.name, "shift", low=-1.0 if unit == "fraction" else None,
                               high=1.0 if unit == "fraction" else None)
        check_choice(rollover, self.name, "rollover", (True, False))
        self.shift, self.unit, self.rollover = shift, unit, rollover

    def make_params(self, sample: Sample, rng: np.random.Generator) -> dict[str, Any]:
        n = audio_length(sample, self.name)
        sr = sample_rate_of(sample, self.name) if self.unit == "seconds" else 0
        return {"samples": _to_samples(uniform(rng, self._shift), self.unit, n, sr), "n": n}

    def time_map(self, params: dict[str, Any], sample_rate: int, n_samples: int) -> TimeMap:
        d = n_samples / sample_rate
        k = params["samples"]
        if not self.rollover:
            return TimeMap.linear(d, in_duration=d, offset=k / sample_rate)
        k %= n_samples
        cut = (n_samples - k) / sample_rate  # input time that wraps to the start
        return TimeMap([Segment(0.0, cut, k / sample_rate, d), Segment(cut, d, 0.0, k / sample_rate)], d, d)

    def apply_audio(self, value: np.ndarray, params: dict[str, Any], sample: Sample) -> np.ndarray:
        return F.shift(value, int(params["samples"]), rollover=self.rollover)


@register
class Fade(Augmenter):
    """Fades the audio in at the start and out at the end.

    Args:
        fade_in: Fade-in duration range in seconds (a number x means (0, x)).
        fade_out: Fade-out duration range in seconds (a number x means (0, x)).
        shape: ``"linear"``, ``"cosine"`` or ``"exponential"``.
        p: Probability of applying the step.

    Example:
        >>> import numpy as np
        >>> f = Fade(fade_in=(0.5, 0.5), fade_out=0.0, p=1.0)
        >>> f({"audio": np.ones(4, np.float32), "sample_rate": 4})["audio"].tolist()
        [0.0, 0.5, 1.0, 1.0]
    """

    def __init__(self, fade_in: Any = 0.5, fade_out: Any = 0.5, shape: str = "linear", p: float = 0.5) -> None:
        super().__init__(p=p)
        self._in = to_range(fade_in, self.name, "fade_in", low=0.0, scalar="upper")
        self._out = to_range(fade_out, self.name, "fade_out", low=0.0, scalar="upper")
        check_choice(shape, self.name, "shape", ("linear", "cosine", "exponential"))
        self.fade_in, self.fade_out, self.shape = fade_in, fade_out, shape

    def make_params(self, sample: Sample, rng: np.random.Generator) -> dict[str, Any]:
        sr = sample_rate_of(sample, self.name)
        return {
            "fade_in": int(round(rng.uniform(*self._in) * sr)),
            "fade_out": int(round(rng.uniform(*self._out) * sr)),
        }

    def apply_audio(self, value: np.ndarray, params: dict[str, Any], sample: Sample) -> np.ndarray:
        return F.fade(value, params["fade_in"], params["fade_out"], self.shape)


_POSITIONS = ("random", "center", "start", "end")


def _offset(position: str, room: int, rng: np.random.Generator) -> int:
    if position == "random":  # uniform on 0..room (one float draw: a third of rng.integers' cost)
        return uniform_int(rng, room + 1)
    if position == "center":
        return room // 2
    return 0 if position == "start" else room


@register
class RandomCrop(TimeMoving):
    """Crops the audio to a fixed duration; shorter audio is left as it is (follow with Pad).

    The output is a view of the input (no samples are copied), as in audiomentations: no
    multiaug step writes into its input, so no later step of a pipeline can change the caller's
    array through it. Modifying the output in place (``out["audio"] *= 2``) would change the
    caller's array too: copy it first if the input must stay as it is.

    Args:
        duration: Length of the output in seconds.
        position: Where the kept part lies: ``"random"``, ``"center"``, ``"start"`` or ``"end"``.
        p: Probability of applying the step.

    A transcript keeps the words inside the crop; words cut by an edge are clipped to it and
    words entirely outside are dropped.

    Example:
        >>> import numpy as np
        >>> c = RandomCrop(duration=0.5, position="start", p=1.0)
        >>> c({"audio": np.arange(8, dtype=np.float32), "sample_rate": 8})["audio"].tolist()
        [0.0, 1.0, 2.0, 3.0]
    """

    def __init__(self, duration: float = 1.0, position: str = "random", p: float = 1.0) -> None:
        super().__init__(p=p)
        check_number(duration, self.name, "duration", low=1e-6)
        check_choice(position, self.name, "position", _POSITIONS)
        self.duration, self.position = duration, position

    def make_params(self, sample: Sample, rng: np.random.Generator) -> dict[str, Any]:
        n, sr = length_and_rate(sample, self.name)
        length = max(1, int(round(self.duration * sr)))
        if length >= n:
            return {"start": 0, "length": n, "n": n}
        return {"start": _offset(self.position, n - length, rng), "length": length, "n": n}

    def time_map(self, params: dict[str, Any], sample_rate: int, n_samples: int) -> TimeMap:
        length = min(params["length"], n_samples)
        return TimeMap.linear(length / sample_rate, in_duration=n_samples / sample_rate,
                              offset=-params["start"] / sample_rate)

    def apply_audio(self, value: np.ndarray, params: dict[str, Any], sample: Sample) -> np.ndarray:
        return F.crop(value, params["start"], params["length"])


@register
class Pad(TimeMoving):
    """Pads the audio to a fixed duration; longer audio is left as it is (precede with RandomCrop).

    Args:
        duration: Length of the output in seconds.
        position: Where the original audio lies in the output: ``"random"``, ``"center"``,
            ``"start"`` (padding at the end) or ``"end"`` (padding at the start).
        mode: ``"constant"`` (silence), ``"reflect"``, ``"wrap"`` or ``"edge"``.
        p: Probability of applying the step.

    Example:
        >>> import numpy as np
        >>> pad = Pad(duration=1.0, position="end", p=1.0)
        >>> pad({"audio": np.ones(2, np.float32), "sample_rate": 4})["audio"].tolist()
        [0.0, 0.0, 1.0, 1.0]
    """

    def __init__(self, duration: float = 1.0, position: str = "start", mode: str = "constant", p: float = 1.0) -> None:
        super().__init__(p=p)
        check_number(duration, self.name, "duration", low=1e-6)
        check_choice(position, self.name, "position", _POSITIONS)
        check_choice(mode, self.name, "mode", ("constant", "reflect", "wrap", "edge"))
        self.duration, self.position, self.mode = duration, position, mode

    def make_params(self, sample: Sample, rng: np.random.Generator) -> dict[str, Any]:
        n, sr = length_and_rate(sample, self.name)
        room = max(0, int(round(self.duration * sr)) - n)
        # "start": the audio starts the output, so all the padding goes after it
        left = _offset(self.position, room, rng)
        return {"left": left, "right": room - left, "n": n}

    def time_map(self, params: dict[str, Any], sample_rate: int, n_samples: int) -> TimeMap:
        out = n_samples + params["left"] + params["right"]
        return TimeMap.linear(out / sample_rate, in_duration=n_samples / sample_rate,
                              offset=params["left"] / sample_rate)

    def apply_audio(self, value: np.ndarray, params: dict[str, Any], sample: Sample) -> np.ndarray:
        if params["left"] == 0 and params["right"] == 0:
            return value
        return F.pad(value, params["left"], params["right"], self.mode)
