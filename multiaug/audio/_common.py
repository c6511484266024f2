"""Helpers shared by the audio steps: reading the audio and rate of a sample, time-moving steps."""

from __future__ import annotations

from typing import Any

import numpy as np

from multiaug.audio.timemap import TimeMap, map_transcript
from multiaug.core.augmenter import Augmenter
from multiaug.core.errors import AugmentationError
from multiaug.core.fields import Sample

__all__ = ["TimeMoving", "audio_length", "length_and_rate", "sample_rate_of", "seconds_to_samples"]


def sample_rate_of(sample: Sample, step: str) -> int:
    """The sample's rate (from its ``sample_rate`` field) or an :class:`AugmentationError`."""
    sr = sample.first("sample_rate")
    if sr is None:
        raise AugmentationError("this step needs a 'sample_rate' field (Hz)", step=step)
    return int(sr)


def audio_length(sample: Sample, step: str) -> int:
    """Number of samples of the sample's (first) audio field, or an :class:`AugmentationError`."""
    audio = sample.first("audio")
    if audio is None:
        raise AugmentationError("this step needs an 'audio' field to draw its parameters", step=step)
    shape = audio.shape if isinstance(audio, np.ndarray) else np.shape(audio)
    return int(shape[-1])


def length_and_rate(sample: Sample, step: str) -> tuple[int, int]:
    """``(audio_length(sample, step), sample_rate_of(sample, step))`` in one pass over the fields."""
    audio = rate = None
    for key, kind in sample.kinds.items():
        if kind == "audio" and audio is None:
            audio = sample.get(key)
        elif kind == "sample_rate" and rate is None:
            rate = sample.get(key)
    if audio is None:
        raise AugmentationError("this step needs an 'audio' field to draw its parameters", step=step)
    if rate is None:
        raise AugmentationError("this step needs a 'sample_rate' field (Hz)", step=step)
    shape = audio.shape if isinstance(audio, np.ndarray) else np.shape(audio)
    return int(shape[-1]), int(rate)


def seconds_to_samples(seconds: float, sample_rate: int) -> int:
    """``round(seconds * sample_rate)``."""
    return int(round(seconds * sample_rate))


class TimeMoving(Augmenter):
    """Base of the steps that move audio in time (``moves = "time"``).

    Subclasses implement :meth:`time_map`; the transcript kernel here moves word timings with it
    (see :func:`multiaug.audio.timemap.map_transcript` for words that are cut).
    """

    moves = "time"

    def time_map(self, params: dict[str, Any], sample_rate: int, n_samples: int) -> TimeMap:
        """The exact map (input seconds -> output seconds) applied with ``params`` to ``n_samples``."""
        raise NotImplementedError

    def apply_transcript(self, value: Any, params: dict[str, Any], sample: Sample) -> dict[str, Any]:
        sr = sample_rate_of(sample, self.name)
        audio = sample.first("audio")
        n = int(audio.shape[-1]) if audio is not None else params.get("n")
        if n is None:
            raise AugmentationError("moving a transcript needs the audio field it belongs to", step=self.name)
        return map_transcript(value, self.time_map(params, sr, int(n)))
