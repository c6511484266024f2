"""load/save round trips for WAV, FLAC, OGG and MP3; save never overwrites unless asked."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import multiaug as ma
from multiaug import audio as A

SR = 16000


def _tone(channels: int = 1) -> np.ndarray:
    t = np.arange(SR) / SR
    x = (0.4 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
    return x if channels == 1 else np.stack([x, -0.5 * x][:channels])


@pytest.mark.parametrize("ext, tol", [(".wav", 1e-4), (".flac", 1e-4), (".ogg", 0.05), (".mp3", 0.05)])
@pytest.mark.parametrize("channels", [1, 2])
def test_round_trip(tmp_path: Path, ext: str, tol: float, channels: int) -> None:
    x = _tone(channels)
    path = tmp_path / f"tone{ext}"
    A.save(path, x, SR)
    y, sr = A.load(path)
    assert sr == SR and y.dtype == np.float32 and y.shape == x.shape
    assert np.sqrt(np.mean((y - x) ** 2)) < tol


def test_load_mono_and_resample(tmp_path: Path) -> None:
    path = tmp_path / "st.wav"
    A.save(path, _tone(2), SR, subtype="FLOAT")
    mono, _ = A.load(path, mono=True)
    np.testing.assert_allclose(mono, 0.25 * _tone(), atol=1e-6)
    y, sr = A.load(path, sample_rate=8000)
    assert sr == 8000 and y.shape == (2, 8000)


def test_save_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "keep.wav"
    A.save(path, _tone(), SR)
    before = path.read_bytes()
    with pytest.raises(FileExistsError):
        A.save(path, np.zeros(10, np.float32), SR)
    assert path.read_bytes() == before
    A.save(path, np.zeros(10, np.float32), SR, overwrite=True)
    assert A.load(path)[0].shape == (10,)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.wav"]  # no temporary file left behind


def test_bad_files_and_formats(tmp_path: Path) -> None:
    bad = tmp_path / "bad.wav"
    bad.write_bytes(b"not a wav file")
    with pytest.raises(ma.AugmentationError, match="cannot read"):
        A.load(bad)
    with pytest.raises(ValueError, match="format"):
        A.save(tmp_path / "x.xyz", _tone(), SR)
    with pytest.raises(ma.AugmentationError):
        A.save(tmp_path / "nan.wav", np.array([np.nan], np.float32), SR)
