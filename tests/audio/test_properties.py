"""Property-based checks of every audio step: silent, clipped, very short, mono and multi-channel."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import multiaug as ma
from multiaug import audio as A

SR = 16000
_NOISE = (0.1 * np.random.default_rng(0).standard_normal(500)).astype(np.float32)

WAVEFORM_STEPS = {
    "Gain": lambda: A.Gain(p=1.0),
    "Normalize": lambda: A.Normalize(p=1.0),
    "PolarityInversion": lambda: A.PolarityInversion(p=1.0),
    "Shift": lambda: A.Shift(p=1.0),
    "ShiftNoRollover": lambda: A.Shift(rollover=False, p=1.0),
    "Fade": lambda: A.Fade(p=1.0),
    "TimeMask": lambda: A.TimeMask(num_masks=3, p=1.0),
    "RandomCrop": lambda: A.RandomCrop(duration=0.05, p=1.0),
    "Pad": lambda: A.Pad(duration=0.1, position="random", mode="reflect", p=1.0),
    "TimeStretch": lambda: A.TimeStretch(p=1.0),
    "TimeStretchLibrosa": lambda: A.TimeStretch(backend="librosa", p=1.0),
    "PitchShift": lambda: A.PitchShift(p=1.0),
    "SpeedPerturb": lambda: A.SpeedPerturb(p=1.0),
    "Resample": lambda: A.Resample(target_rate=(8000, 22050), p=1.0),
    "LowPass": lambda: A.LowPass(p=1.0),
    "HighPass": lambda: A.HighPass(zero_phase=True, p=1.0),
    "BandPass": lambda: A.BandPass(p=1.0),
    "BandStop": lambda: A.BandStop(zero_phase=True, p=1.0),
    "Compressor": lambda: A.Compressor(p=1.0),
    "Clipping": lambda: A.Clipping(p=1.0),
    "Reverb": lambda: A.Reverb(rt60=(0.01, 0.05), p=1.0),
    "Mp3Compression": lambda: A.Mp3Compression(p=1.0),
    "GaussianNoise": lambda: A.GaussianNoise(p=1.0),
    "NoiseSNR": lambda: A.NoiseSNR(color=["white", "pink", "brown"], p=1.0),
    "BackgroundNoise": lambda: A.BackgroundNoise([_NOISE], p=1.0),
    "MelSpectrogram": lambda: A.MelSpectrogram(p=1.0),
}
_LENGTH_KEEPERS = {"Gain", "Normalize", "PolarityInversion", "Shift", "ShiftNoRollover", "Fade", "TimeMask",
                   "PitchShift", "LowPass", "HighPass", "BandPass", "BandStop", "Compressor", "Clipping", "Reverb",
                   "Mp3Compression", "GaussianNoise", "NoiseSNR", "BackgroundNoise", "MelSpectrogram"}
_STEPS = {name: make() for name, make in WAVEFORM_STEPS.items()}


@st.composite
def audio_arrays(draw: st.DrawFn) -> np.ndarray:
    channels = draw(st.sampled_from([0, 1, 2, 3]))  # 0: a 1-D array
    n = draw(st.sampled_from([1, 2, 7, 100, 511, 2000]))
    kind = draw(st.sampled_from(["silent", "clipped", "noise", "dc"]))
    shape = (n,) if channels == 0 else (channels, n)
    rng = np.random.default_rng(draw(st.integers(0, 1000)))
    if kind == "silent":
        x = np.zeros(shape)
    elif kind == "clipped":
        x = np.clip(3 * rng.standard_normal(shape), -1, 1)
    elif kind == "dc":
        x = np.full(shape, 0.5)
    else:
        x = 0.3 * rng.standard_normal(shape)
    return x.astype(np.float32)


@pytest.mark.parametrize("name", sorted(WAVEFORM_STEPS))
@settings(max_examples=12, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(x=audio_arrays(), index=st.integers(0, 50))
def test_any_audio_gives_finite_float32_of_the_same_layout(name: str, x: np.ndarray, index: int) -> None:
    step = _STEPS[name]
    out = ma.Pipeline([step], seed=0)({"audio": x, "sample_rate": SR}, index=index)
    y = out["audio"]
    assert y.dtype == np.float32 and y.ndim == x.ndim and y.shape[:-1] == x.shape[:-1]
    assert y.shape[-1] >= 1 and np.isfinite(y).all()
    if name in _LENGTH_KEEPERS:
        assert y.shape == x.shape
    if name == "MelSpectrogram":
        assert np.isfinite(out["spectrogram"]).all()
    if not x.any() and name not in ("GaussianNoise", "Reverb", "Mp3Compression", "Pad"):
        assert not np.abs(y).max() > 1e-6, "silence stays silent"
    if name in ("Gain", "Normalize"):
        assert not np.isnan(y).any()


@st.composite
def spectrograms(draw: st.DrawFn) -> np.ndarray:
    f = draw(st.integers(1, 40))
    t = draw(st.integers(1, 300))
    c = draw(st.sampled_from([None, 1, 2]))
    shape = (f, t) if c is None else (c, f, t)
    return np.random.default_rng(draw(st.integers(0, 99))).standard_normal(shape).astype(np.float32)


@pytest.mark.parametrize("policy", ["LB", "LD", "SM", "SS", "adaptive"])
@settings(max_examples=15, deadline=None, derandomize=True, database=None)
@given(spec=spectrograms(), index=st.integers(0, 100), fill=st.sampled_from(["zero", "mean"]))
def test_specaugment_any_shape(policy: str, spec: np.ndarray, index: int, fill: str) -> None:
    out = ma.Pipeline([A.SpecAugment(policy=policy, fill=fill)], seed=1)({"spectrogram": spec}, index=index)
    y = out["spectrogram"]
    assert y.shape == spec.shape and y.dtype == spec.dtype and np.isfinite(y).all()
