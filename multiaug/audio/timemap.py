"""Time maps: where each input time lands in the output of a time-changing step.

Every step that moves audio in time (crop, pad, shift, stretch, speed, resample, time warp)
exposes the exact map it applied as a :class:`TimeMap`: a list of linear segments, each taking
an input interval (seconds) to an output interval (seconds). Offsets are whole samples, so the
map is exact, not an approximation of what the kernel did. Input times outside every segment
were cut away (a crop, a shift without rollover).

Word timings of a transcript follow the map (:func:`map_transcript`): a word keeps the part of
its span that survives; a word with nothing left is dropped, and a word split in two (a shift
with rollover that wraps inside the word) keeps its longest piece.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["Segment", "TimeMap", "map_transcript"]

_EPS = 1e-9


@dataclass(frozen=True)
class Segment:
    """A linear piece of a time map: ``[in_start, in_end]`` goes to ``[out_start, out_end]``."""

    in_start: float
    in_end: float
    out_start: float
    out_end: float

    @property
    def scale(self) -> float:
        """Output seconds per input second."""
        span = self.in_end - self.in_start
        return (self.out_end - self.out_start) / span if span > 0 else 1.0

    def __call__(self, t: float) -> float:
        return self.out_start + (t - self.in_start) * self.scale


class TimeMap:
    """A piecewise-linear map from input seconds to output seconds.

    Args:
        segments: The linear pieces, as :class:`Segment` or 4-tuples
            ``(in_start, in_end, out_start, out_end)``.
        in_duration: Duration of the input (seconds).
        out_duration: Duration of the output (seconds).

    Example:
        >>> m = TimeMap.linear(2.0, in_duration=1.0, scale=0.5)   # a 2x speed-up
        >>> m(0.8)
        0.4
        >>> m.map_span(0.2, 0.6)
        (0.1, 0.3)
    """

    def __init__(self, segments: Sequence[Segment | Sequence[float]], in_duration: float, out_duration: float):
        segs = [s if isinstance(s, Segment) else Segment(*map(float, s)) for s in segments]
        self.segments: tuple[Segment, ...] = tuple(s for s in segs if s.in_end - s.in_start > _EPS)
        self.in_duration = float(in_duration)
        self.out_duration = float(out_duration)

    # ------------------------------------------------------------------ constructors
    @classmethod
    def linear(cls, out_duration: float, *, in_duration: float, scale: float = 1.0, offset: float = 0.0) -> TimeMap:
        """``t -> t * scale + offset``, restricted to what lands inside ``[0, out_duration]``.

        Example:
            >>> TimeMap.linear(1.0, in_duration=1.0, offset=-0.25)(0.5)   # a crop that drops 0.25 s
            0.25
        """
        lo = max(0.0, (0.0 - offset) / scale)
        hi = min(in_duration, (out_duration - offset) / scale)
        if hi <= lo:
            return cls([], in_duration, out_duration)
        return cls([Segment(lo, hi, lo * scale + offset, hi * scale + offset)], in_duration, out_duration)

    @classmethod
    def from_knots(cls, knots_in: Sequence[float], knots_out: Sequence[float], in_duration: float) -> TimeMap:
        """A continuous map through the points ``(knots_in[i], knots_out[i])``.

        Example:
            >>> TimeMap.from_knots([0, 1, 3], [0, 2, 3], in_duration=3)(2.0)
            2.5
        """
        segs = [Segment(a, b, c, d) for a, b, c, d in zip(knots_in[:-1], knots_in[1:], knots_out[:-1], knots_out[1:])]
        return cls(segs, in_duration, float(knots_out[-1]))

    # ------------------------------------------------------------------ mapping
    def __call__(self, t: float) -> float | None:
        """The output time of input time ``t``, or None if that instant was cut away."""
        for seg in self.segments:
            if seg.in_start - _EPS <= t <= seg.in_end + _EPS:
                return seg(t)
        return None

    def map_times(self, times: Any) -> np.ndarray:
        """Vectorised :meth:`__call__`: NaN where a time was cut away.

        Example:
            >>> TimeMap.linear(1.0, in_duration=2.0, offset=-0.5).map_times([0.25, 1.0]).tolist()
            [nan, 0.5]
        """
        t = np.asarray(times, dtype=np.float64)
        out = np.full(t.shape, np.nan)
        for seg in reversed(self.segments):  # the first segment wins on shared end points
            inside = (t >= seg.in_start - _EPS) & (t <= seg.in_end + _EPS)
            out[inside] = seg.out_start + (t[inside] - seg.in_start) * seg.scale
        return out

    def map_span(self, start: float, end: float) -> tuple[float, float] | None:
        """Where the span ``[start, end]`` lands: the kept part, or None if nothing is kept.

        Pieces that land next to each other are joined; if the span is split into separate
        pieces (a rollover wraps inside it) the longest piece is returned.
        """
        pieces: list[tuple[float, float]] = []
        for seg in self.segments:
            lo, hi = max(start, seg.in_start), min(end, seg.in_end)
            if hi - lo > _EPS or (end - start <= _EPS and seg.in_start - _EPS <= start <= seg.in_end + _EPS):
                pieces.append((seg(lo), seg(max(lo, hi))))
        if not pieces:
            return None
        pieces.sort()
        joined = [pieces[0]]
        for a, b in pieces[1:]:
            if a <= joined[-1][1] + 1e-6:
                joined[-1] = (joined[-1][0], max(joined[-1][1], b))
            else:
                joined.append((a, b))
        a, b = max(joined, key=lambda ab: ab[1] - ab[0])
        a = min(max(a, 0.0), self.out_duration)
        b = min(max(b, a), self.out_duration)
        return a, b

    def to_dict(self) -> dict[str, Any]:
        """A JSON form: durations and the segments as 4-lists."""
        return {
            "in_duration": self.in_duration,
            "out_duration": self.out_duration,
            "segments": [[s.in_start, s.in_end, s.out_start, s.out_end] for s in self.segments],
        }

    def __repr__(self) -> str:
        return f"TimeMap({len(self.segments)} segments, {self.in_duration:g}s -> {self.out_duration:g}s)"


def map_transcript(transcript: Mapping[str, Any], tmap: TimeMap, *, digits: int = 6) -> dict[str, Any]:
    """Move the word timings of ``transcript`` with ``tmap``.

    Words whose whole span was cut away are dropped; words partly cut keep the surviving part.
    Words are kept in time order. When words are dropped or reordered, ``text`` is rebuilt from
    the words (joined by spaces); otherwise it is kept as given. Extra keys of a word are kept.

    Example:
        >>> tr = {"text": "hi there", "words": [{"word": "hi", "start": 0.1, "end": 0.3},
        ...                                     {"word": "there", "start": 0.5, "end": 0.9}]}
        >>> out = map_transcript(tr, TimeMap.linear(0.4, in_duration=1.0, offset=-0.2))  # keep 0.2-0.6 s
        >>> [(w["word"], w["start"], w["end"]) for w in out["words"]]
        [('hi', 0.0, 0.1), ('there', 0.3, 0.4)]
    """
    words_in = transcript.get("words", [])
    words: list[dict[str, Any]] = []
    for w in words_in:
        span = tmap.map_span(float(w["start"]), float(w["end"]))
        if span is None:
            continue
        words.append({**w, "start": round(span[0], digits), "end": round(span[1], digits)})
    order = sorted(range(len(words)), key=lambda i: words[i]["start"])  # a rollover can reorder words
    reordered = order != list(range(len(words)))
    words = [words[i] for i in order]
    out = dict(transcript)
    out["words"] = words
    if len(words) != len(words_in) or reordered:
        out["text"] = " ".join(w["word"] for w in words)
    return out
