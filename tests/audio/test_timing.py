"""Click trains through every time-changing step: impulses land where ``time_map`` says."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import multiaug as ma
from multiaug import audio as A
from multiaug.core.fields import Sample
from tests.audio.clicks import click_train, timing_errors

SR = 16000
TIMES = [0.15 + 0.2 * i for i in range(14)]  # 3 s of clicks every 200 ms
ACCURATE_MS = 1.0
# librosa's phase vocoder smears a click over its 2048-sample window: events move by tens of ms.
LIBROSA_MS = 60.0


def _sample(x: np.ndarray, sr: int, **extra: Any) -> Sample:
    data = {"audio": x, "sample_rate": sr, **extra}
    return Sample(data, {k: k for k in data})


def _check(step: ma.Augmenter, params: dict[str, Any], sr: int = SR, channels: int = 1, tol_ms: float = ACCURATE_MS):
    x = click_train(sr, 3.0, TIMES, channels)
    out = step.apply(_sample(x, sr), params)
    y, out_sr = out["audio"], out["sample_rate"]
    assert y.dtype == np.float32 and y.ndim == x.ndim and np.isfinite(y).all()
    tmap = step.time_map(params, sr, x.shape[-1])
    assert tmap.out_duration == pytest.approx(y.shape[-1] / out_sr, abs=1.5 / out_sr)
    expected = [tmap(t) for t in TIMES]
    # clicks that survive, away from the edges (a smoothing window needs room)
    kept = [e for e in expected if e is not None and 0.02 < e < y.shape[-1] / out_sr - 0.02]
    assert len(kept) >= 4
    for c in range(channels):
        errors = timing_errors(y[c] if channels > 1 else y, out_sr, kept)
        assert errors.max() * 1000 <= tol_ms, (type(step).__name__, params, errors.max() * 1000)
    return tmap, expected


@pytest.mark.parametrize("rate", [0.75, 0.9, 1.1, 1.35])
def test_time_stretch_signalsmith(rate: float) -> None:
    _check(A.TimeStretch(), {"rate": rate, "n": 48000})


@pytest.mark.parametrize("sr", [8000, 22050, 44100])
def test_time_stretch_other_rates_and_stereo(sr: int) -> None:
    _check(A.TimeStretch(), {"rate": 1.2, "n": 3 * sr}, sr=sr, channels=2)


@pytest.mark.parametrize("rate", [0.8, 1.25])
def test_time_stretch_librosa_within_its_documented_error(rate: float) -> None:
    _check(A.TimeStretch(backend="librosa"), {"rate": rate, "n": 48000}, tol_ms=LIBROSA_MS)


@pytest.mark.parametrize("backend", ["signalsmith", "librosa"])
def test_pitch_shift_keeps_timing(backend: str) -> None:
    step = A.PitchShift(backend=backend)
    x = click_train(SR, 3.0, TIMES)
    y = step.apply(_sample(x, SR), {"semitones": 3.0})["audio"]
    assert y.shape == x.shape
    tol = ACCURATE_MS if backend == "signalsmith" else LIBROSA_MS
    assert timing_errors(y, SR, TIMES[1:-1]).max() * 1000 <= tol


@pytest.mark.parametrize("factor", [0.9, 1.1, 1.37])
def test_speed_perturb(factor: float) -> None:
    tmap, _ = _check(A.SpeedPerturb(), {"factor": factor, "n": 48000}, channels=2)
    assert tmap(1.0) == pytest.approx(1.0 / factor)


@pytest.mark.parametrize("rate", [8000, 22050, 44100])
def test_resample_keeps_times_and_updates_rate(rate: int) -> None:
    step = A.Resample()
    out = step.apply(_sample(click_train(SR, 3.0, TIMES), SR), {"rate": rate, "n": 48000})
    assert out["sample_rate"] == rate and out["audio"].shape == (3 * rate,)
    _check(step, {"rate": rate, "n": 48000})


@pytest.mark.parametrize("rollover", [True, False])
@pytest.mark.parametrize("samples", [5003, -7001])
def test_shift(rollover: bool, samples: int) -> None:
    tmap, expected = _check(A.Shift(rollover=rollover), {"samples": samples, "n": 48000}, channels=3)
    if not rollover:
        assert any(e is None for e in expected)  # pushed past an end: gone
    else:
        assert all(e is not None for e in expected)


def test_random_crop_and_pad() -> None:
    tmap, expected = _check(A.RandomCrop(duration=1.0), {"start": 7001, "length": 16000, "n": 48000})
    assert tmap(7001 / SR) == pytest.approx(0.0)
    _check(A.Pad(duration=4.0), {"left": 3001, "right": 12999, "n": 48000}, channels=2)


def test_time_warp_moves_spectrogram_columns_where_the_map_says() -> None:
    hop = 16  # 1 ms frames, so frame positions resolve 1 ms
    x = click_train(SR, 3.0, TIMES)
    spec = A.Spectrogram(n_fft=64, hop_length=hop, log=None)({"audio": x, "sample_rate": SR})["spectrogram"]
    step = A.TimeWarp(W=400, hop_length=hop)
    params = {"examples": [{"warp": [1400, 350]}], "lengths": [spec.shape[-1]]}
    out = step.apply(Sample({"spectrogram": spec}, {"spectrogram": "spectrogram"}), params)["spectrogram"]
    energy = out.sum(axis=0)
    tmap = step.time_map(params, SR, x.shape[-1])
    for t in TIMES:
        e = tmap(t)
        frame = e * SR / hop
        lo = int(frame) - 20
        found = lo + int(np.argmax(energy[lo : lo + 41]))
        assert abs(found - frame) * hop / SR * 1000 <= ACCURATE_MS


def test_transcript_follows_each_step() -> None:
    transcript = {"text": "one two three", "words": [
        {"word": "one", "start": 0.14, "end": 0.5}, {"word": "two", "start": 1.1, "end": 1.6},
        {"word": "three", "start": 2.5, "end": 2.9}]}
    x = click_train(SR, 3.0, TIMES)
    cases = [
        (A.TimeStretch(), {"rate": 1.25, "n": 48000}),
        (A.SpeedPerturb(), {"factor": 0.9, "n": 48000}),
        (A.Shift(rollover=True), {"samples": 8000, "n": 48000}),
        (A.RandomCrop(duration=1.0), {"start": 16000, "length": 16000, "n": 48000}),
        (A.Pad(duration=4.0), {"left": 8000, "right": 8000, "n": 48000}),
        (A.Resample(), {"rate": 8000, "n": 48000}),
    ]
    for step, params in cases:
        sample = _sample(x, SR, transcript=transcript)
        out = step.apply(sample, params)
        tmap = step.time_map(params, SR, 48000)
        for w in out["transcript"]["words"]:
            src = next(v for v in transcript["words"] if v["word"] == w["word"])
            span = tmap.map_span(src["start"], src["end"])
            assert (w["start"], w["end"]) == pytest.approx(span, abs=1e-6)
            assert 0 <= w["start"] <= w["end"] <= out["audio"].shape[-1] / out["sample_rate"] + 1e-9
    crop = A.RandomCrop(duration=1.0).apply(_sample(x, SR, transcript=transcript),
                                            {"start": 16000, "length": 16000, "n": 48000})
    assert [w["word"] for w in crop["transcript"]["words"]] == ["two"]  # the others are outside
    assert crop["transcript"]["text"] == "two"
    assert crop["transcript"]["words"][0]["start"] == pytest.approx(0.1)


def test_shift_with_rollover_keeps_words_in_time_order() -> None:
    transcript = {"text": "a b", "words": [{"word": "a", "start": 0.2, "end": 0.4},
                                            {"word": "b", "start": 2.5, "end": 2.7}]}
    out = A.Shift(rollover=True).apply(_sample(np.zeros(48000, np.float32), SR, transcript=transcript),
                                       {"samples": 8000, "n": 48000})
    words = out["transcript"]["words"]
    assert [w["word"] for w in words] == ["b", "a"] and out["transcript"]["text"] == "b a"
    assert words[0]["start"] == pytest.approx(0.0) and words[1]["start"] == pytest.approx(0.7)


def test_stale_spectrogram_is_refused_by_time_moving_steps() -> None:
    x = click_train(SR, 1.0, [0.5])
    spec = np.zeros((10, 101), np.float32)
    with pytest.raises(ma.AugmentationError, match="spectrogram"):
        ma.Pipeline([A.TimeStretch(p=1.0)], seed=0)({"audio": x, "sample_rate": SR, "spectrogram": spec})


def test_time_map_pieces() -> None:
    from multiaug.audio.timemap import Segment, TimeMap

    wrap = TimeMap([Segment(0.0, 2.0, 1.0, 3.0), Segment(2.0, 3.0, 0.0, 1.0)], 3.0, 3.0)  # rollover by 1 s
    assert wrap(2.5) == pytest.approx(0.5) and wrap(0.5) == pytest.approx(1.5)
    assert wrap.map_span(1.9, 2.3) == pytest.approx((0.0, 0.3))  # split by the wrap: the longest piece
    assert wrap.map_span(1.5, 1.7) == pytest.approx((2.5, 2.7))
    warp = TimeMap.from_knots([0.0, 1.0, 2.0], [0.0, 1.5, 2.0], in_duration=2.0)
    assert warp.map_span(0.5, 1.5) == pytest.approx((0.75, 1.75))  # contiguous pieces are joined
    crop = TimeMap.linear(1.0, in_duration=3.0, offset=-1.0)
    assert crop.map_span(0.2, 0.4) is None and np.isnan(crop.map_times([0.5])[0])
    assert crop.to_dict()["segments"] == [[1.0, 2.0, 0.0, 1.0]]


def test_resample_keeps_transcript_and_spectrogram() -> None:
    transcript = {"text": "a", "words": [{"word": "a", "start": 0.5, "end": 0.75}]}
    spec = np.ones((4, 301), np.float32)
    out = ma.Pipeline([A.Resample(target_rate=8000, p=1.0)], seed=0)(
        {"audio": click_train(SR, 3.0, TIMES), "sample_rate": SR, "transcript": transcript, "spectrogram": spec})
    assert out["transcript"] == transcript and out["spectrogram"] is not None
    assert out["sample_rate"] == 8000 and out["audio"].shape == (24000,)
