"""Filters, dynamics, reverb and codec against independent computations."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from scipy import signal

import multiaug as ma
from multiaug import audio as A
from multiaug.audio.effects import mp3_encode
from multiaug.core.fields import Sample
from tests.audio.clicks import click_train, timing_errors

SR = 16000
PROBES = [100.0, 300.0, 700.0, 1500.0, 3000.0, 6000.0]


def _apply(step: ma.Augmenter, x: np.ndarray, params: dict, sr: int = SR) -> np.ndarray:
    return step.apply(Sample({"audio": x, "sample_rate": sr}, {"audio": "audio", "sample_rate": "sample_rate"}),
                      params)["audio"]


def _gain_at(y: np.ndarray, x: np.ndarray, freq: float) -> float:
    """Steady-state amplitude ratio at ``freq`` (second half of the clip, least squares on sin/cos)."""
    t = np.arange(len(x)) / SR
    half = slice(len(x) // 2, None)
    basis = np.stack([np.sin(2 * np.pi * freq * t[half]), np.cos(2 * np.pi * freq * t[half])], axis=1)
    amp = [np.linalg.norm(np.linalg.lstsq(basis, s[half].astype(np.float64), rcond=None)[0]) for s in (y, x)]
    return amp[0] / amp[1]


@pytest.mark.parametrize(
    "step, params, btype, edges",
    [
        (A.LowPass(order=4), {"cutoff": 1000.0}, "lowpass", 1000.0),
        (A.HighPass(order=3), {"cutoff": 800.0}, "highpass", 800.0),
        (A.BandPass(order=2), {"center": 1000.0, "bandwidth": 1.0}, "bandpass", [500.0, 1500.0]),
        (A.BandStop(order=2), {"center": 1500.0, "bandwidth": 0.5}, "bandstop", [1125.0, 1875.0]),
    ],
)
@pytest.mark.parametrize("zero_phase", [False, True])
def test_filter_response_matches_freqz(step, params, btype, edges, zero_phase) -> None:
    step.zero_phase = zero_phase
    b, a = signal.butter(step.order, edges, btype=btype, fs=SR)  # transfer-function form, designed here
    _, h = signal.freqz(b, a, worN=PROBES, fs=SR)
    expected = np.abs(h) ** (2 if zero_phase else 1)
    for freq, want in zip(PROBES, expected):
        x = np.sin(2 * np.pi * freq * np.arange(SR) / SR).astype(np.float32)
        got = _gain_at(_apply(step, x, params), x, freq)
        assert got == pytest.approx(want, abs=2e-3 + 0.02 * want), (btype, freq)


def test_zero_phase_filter_does_not_delay() -> None:
    x = click_train(SR, 2.0, [0.3, 0.9, 1.5])
    y = _apply(A.LowPass(zero_phase=True), x, {"cutoff": 2000.0})
    assert timing_errors(y, SR, [0.3, 0.9, 1.5]).max() < 1e-4


def test_filters_on_multichannel_and_tiny_clips() -> None:
    x = np.random.default_rng(0).standard_normal((3, 5)).astype(np.float32)
    for zp in (False, True):
        y = _apply(A.BandPass(zero_phase=zp), x, {"center": 1000.0, "bandwidth": 1.0})
        assert y.shape == x.shape and y.dtype == np.float32 and np.isfinite(y).all()


def test_reverb_matches_direct_convolution() -> None:
    rng = np.random.default_rng(3)
    x = (0.2 * rng.standard_normal((2, 4000))).astype(np.float32)
    step = A.Reverb(rt60=(0.1, 0.1))
    params = {"wet": 0.7, "rt60": 0.1, "seed": 11}
    ir = step.impulse_response(params, SR).astype(np.float64)
    y = _apply(step, x, params)
    peak = int(np.argmax(np.abs(ir)))
    for c in range(2):
        wet = np.convolve(x[c].astype(np.float64), ir)[peak : peak + x.shape[1]]
        pair = x.astype(np.float64)
        wet_all = np.stack([np.convolve(pair[k], ir)[peak : peak + x.shape[1]] for k in range(2)])
        wet = wet * np.sqrt(np.mean(pair**2) / np.mean(wet_all**2))
        np.testing.assert_allclose(y[c], 0.7 * wet + 0.3 * x[c], atol=1e-5)


def test_reverb_with_a_delayed_ir_file_keeps_clicks_in_place(tmp_path: Path) -> None:
    ir = np.zeros(3000, np.float32)
    ir[250] = 1.0  # direct path arrives 250 samples late in this recording
    ir[251:] = 0.3 * np.exp(-np.arange(2749) / 400) * np.random.default_rng(0).standard_normal(2749)
    path = tmp_path / "room.wav"
    sf.write(str(path), ir, SR, subtype="FLOAT")
    times = [0.2, 0.7, 1.2, 1.7]
    x = click_train(SR, 2.0, times)
    y = _apply(A.Reverb(sources=path), x, {"wet": 1.0, "source": 0})
    for t in times:  # the direct path is the largest sample of each echo, at the click's own time
        k = int(round(t * SR))
        assert k - 400 + int(np.argmax(np.abs(y[k - 400 : k + 400]))) == k


def test_reverb_with_an_ir_file_reuses_its_spectrum_exactly(tmp_path: Path) -> None:
    rng = np.random.default_rng(5)
    ir = (np.exp(-np.arange(2000) / 300) * rng.standard_normal(2000)).astype(np.float32)
    path = tmp_path / "room.wav"
    sf.write(str(path), ir, SR, subtype="FLOAT")
    step = A.Reverb(sources=path)
    params = {"wet": 0.6, "source": 0}
    peak = int(np.argmax(np.abs(ir)))
    for n in (5000, 5000, 7001, 5000):  # a cached spectrum per FFT size, reused on the repeats
        x = (0.2 * rng.standard_normal(n)).astype(np.float32)
        y = _apply(step, x, params)
        wet = np.convolve(x.astype(np.float64), ir.astype(np.float64))[peak : peak + n]
        wet *= np.sqrt(np.mean(x.astype(np.float64) ** 2) / np.mean(wet**2))
        np.testing.assert_allclose(y, 0.6 * wet + 0.4 * x, atol=1e-5)
    assert len(step._spectra[(0, SR)]) == 2


@pytest.mark.parametrize("sr, bitrate", [(16000, 32), (16000, 64), (44100, 128), (44100, 40), (22050, 48), (8000, 16)])
def test_mp3_is_time_aligned_and_at_the_requested_bitrate(sr: int, bitrate: int) -> None:
    times = [0.25 + 0.3 * i for i in range(6)]
    x = 0.5 * click_train(sr, 2.0, times)
    step = A.Mp3Compression()
    y = _apply(step, x, {"bitrate": bitrate}, sr=sr)
    assert y.shape == x.shape and y.dtype == np.float32 and np.isfinite(y).all()
    assert timing_errors(y, sr, times).max() * 1000 <= 1.0
    # independent check of the bitrate: the size of the encoded stream over a longer noise clip
    noise = (0.1 * np.random.default_rng(0).standard_normal(4 * sr)).astype(np.float32)
    kbps = len(mp3_encode(noise, sr, bitrate)) * 8 / 4 / 1000
    assert kbps == pytest.approx(bitrate, rel=0.2)


def test_mp3_lower_bitrate_loses_more_and_multichannel_works() -> None:
    rng = np.random.default_rng(1)
    t = np.arange(SR) / SR
    x = (0.3 * np.sin(2 * np.pi * 440 * t) + 0.05 * rng.standard_normal(SR)).astype(np.float32)
    errors = [float(np.mean((_apply(A.Mp3Compression(), x, {"bitrate": b}) - x) ** 2)) for b in (16, 128)]
    assert errors[0] > errors[1] > 0
    x3 = np.stack([x, 0.5 * x, -x])
    y3 = _apply(A.Mp3Compression(), x3, {"bitrate": 64})
    assert y3.shape == (3, SR)
    assert np.corrcoef(y3[2], -x)[0, 1] > 0.95


def test_mp3_rejects_rates_it_cannot_carry() -> None:
    with pytest.raises(ma.AugmentationError, match="sample rate"):
        ma.Pipeline([A.Mp3Compression(p=1.0)], seed=0)({"audio": np.zeros(1000, np.float32), "sample_rate": 17000})


def test_compressor_static_curve() -> None:
    t = np.arange(2 * SR) / SR
    threshold, ratio = -20.0, 4.0
    for level_db in (-30.0, -10.0, -4.0):
        amp = np.sqrt(2) * 10 ** (level_db / 20)  # a sine with this RMS level in dBFS
        x = (amp * np.sin(2 * np.pi * 1000 * t)).astype(np.float32)
        y = _apply(A.Compressor(), x, {"threshold_db": threshold, "ratio": ratio, "attack": 0.02, "release": 0.05})
        out_db = 10 * np.log10(np.mean(y[SR:].astype(np.float64) ** 2))
        want = level_db if level_db <= threshold else threshold + (level_db - threshold) / ratio
        assert out_db == pytest.approx(want, abs=0.3)


def test_clipping_clips_the_requested_share() -> None:
    x = np.random.default_rng(2).standard_normal((2, 10000)).astype(np.float32)
    y = _apply(A.Clipping(), x, {"percentile": 20.0})
    at_rails = np.isclose(y, y.max()) | np.isclose(y, y.min())
    assert at_rails.mean() == pytest.approx(0.2, abs=0.01)
    assert np.array_equal(y[~at_rails], x[~at_rails])


def test_gain_does_not_clip() -> None:
    out = ma.Pipeline([A.Gain(gain_db=(12, 12), p=1.0)], seed=0)({"audio": np.full(10, 0.5, np.float32),
                                                                  "sample_rate": SR})
    assert out["audio"].max() == pytest.approx(0.5 * 10 ** (12 / 20), rel=1e-5)


@pytest.mark.parametrize("n", [1, 3, 100, 8192, 80000, 100003])
@pytest.mark.parametrize("layout", ["normal", "ties", "constant", "sorted", "stereo"])
def test_percentile_pair_equals_numpy_percentile(n: int, layout: str) -> None:
    rng = np.random.default_rng(n)
    if layout == "ties":
        x = rng.integers(0, 5, n).astype(np.float32)
    elif layout == "constant":
        x = np.full(n, 0.25, np.float32)
    elif layout == "sorted":
        x = np.sort(rng.standard_normal(n).astype(np.float32))
    elif layout == "stereo":
        x = rng.standard_normal((2, n)).astype(np.float32)
    else:
        x = rng.laplace(size=n).astype(np.float32)
    for q in (0.0, 0.001, 0.5, 3.0, 12.4, 12.6, 20.0, 24.9, 33.0, 50.0):
        np.testing.assert_allclose(A.functional.percentile_pair(x, q), np.percentile(x, [q, 100 - q]),
                                   rtol=1e-6, atol=1e-7)
