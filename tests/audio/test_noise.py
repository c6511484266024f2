"""Noise steps: amplitudes, SNRs within 0.5 dB, background noise sources, exact replay."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

import multiaug as ma
from multiaug import audio as A
from multiaug.audio import functional as F

SR = 16000


def _speech_like(n: int = SR, channels: int = 1, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    t = np.arange(n) / SR
    x = 0.3 * np.sin(2 * np.pi * 180 * t) * (0.6 + 0.4 * np.sin(2 * np.pi * 3 * t)) + 0.05 * rng.standard_normal(n)
    x = x.astype(np.float32)
    return x if channels == 1 else np.stack([x * (0.5 + c / channels) for c in range(channels)])


def _snr(clean: np.ndarray, noisy: np.ndarray) -> float:
    noise = noisy.astype(np.float64) - clean
    return 10 * np.log10(np.mean(clean.astype(np.float64) ** 2) / np.mean(noise**2))


def _run(step: ma.Augmenter, audio: np.ndarray, index: int = 0, **extra) -> dict:
    return ma.Pipeline([step], seed=3)({"audio": audio, "sample_rate": SR, **extra}, index=index)


@pytest.mark.parametrize("color", ["white", "pink", "brown"])
@pytest.mark.parametrize("channels", [1, 2])
def test_noise_snr_within_half_a_db(color: str, channels: int) -> None:
    x = _speech_like(channels=channels)
    for index in range(5):
        out, rec = ma.Pipeline([A.NoiseSNR(snr_db=(0, 30), color=color, p=1.0)], seed=1)(
            {"audio": x, "sample_rate": SR}, index=index, return_record=True)
        requested = rec["steps"][0]["params"]["snr_db"]
        assert abs(_snr(x, out["audio"]) - requested) <= 0.5
        assert out["audio"].dtype == np.float32 and out["audio"].shape == x.shape


def test_colored_noise_spectral_slopes() -> None:
    # independent check of the colour: power per octave band, fitted against frequency
    n = 1 << 16
    freqs = np.fft.rfftfreq(n, 1 / SR)
    for color, slope in (("white", 0.0), ("pink", -3.0), ("brown", -6.0)):
        noise = F.colored_noise((n,), color, seed=4).astype(np.float64)
        psd = np.abs(np.fft.rfft(noise)) ** 2
        bands = [(lo, 2 * lo) for lo in (100, 200, 400, 800, 1600, 3200)]
        levels = [10 * np.log10(psd[(freqs >= lo) & (freqs < hi)].mean()) for lo, hi in bands]
        fitted = np.polyfit(np.arange(len(bands)), levels, 1)[0]
        assert abs(fitted - slope) < 0.6, (color, fitted)


def test_gaussian_noise_amplitude_and_replay() -> None:
    x = np.zeros((2, 4 * SR), np.float32)
    pipe = ma.Pipeline([A.GaussianNoise(amplitude=(0.02, 0.05), p=1.0)], seed=0)
    out, rec = pipe({"audio": x, "sample_rate": SR}, return_record=True)
    amp = rec["steps"][0]["params"]["amplitude"]
    assert out["audio"].std() == pytest.approx(amp, rel=0.02)
    assert not np.allclose(out["audio"][0], out["audio"][1])  # channels get independent noise
    assert np.array_equal(pipe.replay(rec, {"audio": x, "sample_rate": SR})["audio"], out["audio"])


def test_silent_audio_stays_silent_under_snr_steps() -> None:
    x = np.zeros(SR, np.float32)
    assert not _run(A.NoiseSNR(p=1.0), x)["audio"].any()
    noise = np.ones(100, np.float32)
    assert not _run(A.BackgroundNoise([noise], p=1.0), x)["audio"].any()


def _write(path: Path, data: np.ndarray, sr: int = SR) -> Path:
    sf.write(str(path), data.T if data.ndim == 2 else data, sr)
    return path


def test_background_noise_from_arrays_files_and_folder(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    long_noise = (0.1 * rng.standard_normal(3 * SR)).astype(np.float32)
    folder = tmp_path / "noises"
    (folder / "sub").mkdir(parents=True)
    _write(folder / "a.wav", long_noise)
    _write(folder / "sub" / "b.flac", np.stack([long_noise, 0.5 * long_noise[::-1]]))  # stereo: mixed to mono
    (folder / "notes.txt").write_text("not audio")
    x = _speech_like(channels=2)
    for sources in (folder, [str(folder / "a.wav")], [long_noise]):
        step = A.BackgroundNoise(sources, snr_db=(5, 15), p=1.0)
        for index in range(3):
            out, rec = ma.Pipeline([step], seed=2)({"audio": x, "sample_rate": SR}, index=index, return_record=True)
            params = rec["steps"][0]["params"]
            assert abs(_snr(x, out["audio"]) - params["snr_db"]) <= 0.5
            # the same noise is added to both channels
            np.testing.assert_allclose(out["audio"][0] - x[0], out["audio"][1] - x[1], atol=1e-6)
    assert len(A.BackgroundNoise(folder)._sources) == 2


def test_background_noise_reads_only_the_needed_segment(tmp_path: Path, monkeypatch) -> None:
    noise = (0.1 * np.random.default_rng(1).standard_normal(10 * SR)).astype(np.float32)
    path = _write(tmp_path / "long.wav", noise)
    calls = []
    real_read = sf.read

    def spy(*args, **kwargs):
        calls.append(kwargs.get("frames"))
        return real_read(*args, **kwargs)

    monkeypatch.setattr(sf, "read", spy)
    x = _speech_like()
    out, rec = ma.Pipeline([A.BackgroundNoise(path, snr_db=(10, 10), p=1.0)], seed=0)(
        {"audio": x, "sample_rate": SR}, return_record=True)
    assert calls == [SR]
    offset = rec["steps"][0]["params"]["offset"]
    added = out["audio"].astype(np.float64) - x
    segment = noise[offset : offset + SR].astype(np.float64)
    assert abs(np.corrcoef(added, segment)[0, 1]) > 0.999  # exactly that segment, scaled


@pytest.mark.parametrize("loop", [True, False])
def test_short_noise_is_looped_or_padded(loop: bool) -> None:
    short = np.ones(SR // 4, np.float32)
    step = A.BackgroundNoise([short], snr_db=(0, 0), loop=loop, p=1.0)
    x = _speech_like()
    added = _run(step, x)["audio"] - x
    nonzero = np.abs(added) > 1e-6
    if loop:
        assert nonzero.all()
    else:
        assert nonzero.sum() == SR // 4
        assert abs(_snr(x, x + added)) <= 0.5


def test_background_noise_resamples_files(tmp_path: Path) -> None:
    t = np.arange(2 * 8000) / 8000
    tone = (0.2 * np.sin(2 * np.pi * 500 * t)).astype(np.float32)
    path = _write(tmp_path / "tone8k.wav", tone, sr=8000)
    x = np.zeros(SR, np.float32)
    x[::100] = 0.5
    added = _run(A.BackgroundNoise(path, snr_db=(10, 10), p=1.0), x)["audio"] - x
    spectrum = np.abs(np.fft.rfft(added))
    assert abs(np.argmax(spectrum) * SR / len(added) - 500) < 3  # still a 500 Hz tone at 16 kHz


def test_background_noise_bad_sources(tmp_path: Path) -> None:
    with pytest.raises(ma.InvalidParameterError):
        A.BackgroundNoise(tmp_path / "missing.wav")
    with pytest.raises(ma.InvalidParameterError):
        A.BackgroundNoise(tmp_path)  # a folder without audio
    with pytest.raises(ma.InvalidParameterError):
        A.BackgroundNoise([np.array([np.nan, 1.0])])
