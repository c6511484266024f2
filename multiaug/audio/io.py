"""Reading and writing audio files (WAV, FLAC, OGG/Vorbis, MP3) through soundfile.

Audio comes back in multiaug's layout: float32, ``(N,)`` for one channel and ``(C, N)``
(channels first) for more. ``save`` never overwrites an existing file unless asked to.

Example:
    >>> import numpy as np, tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "tone.flac")
    >>> save(path, np.zeros(800, np.float32), 8000)
    >>> audio, sr = load(path)
    >>> audio.shape, sr
    ((800,), 8000)
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from multiaug.core.deps import require
from multiaug.core.errors import AugmentationError

__all__ = ["load", "save"]

_FORMATS = {".wav": ("WAV", "PCM_16"), ".flac": ("FLAC", "PCM_16"), ".ogg": ("OGG", "VORBIS"),
            ".mp3": ("MP3", "MPEG_LAYER_III")}


def load(path: str | os.PathLike[str], sample_rate: int | None = None, mono: bool = False) -> tuple[np.ndarray, int]:
    """Read an audio file.

    Args:
        path: File to read (any format libsndfile reads: WAV, FLAC, OGG, MP3 ...).
        sample_rate: Resample to this rate (soxr, time-aligned); None keeps the file's rate.
        mono: Average the channels into one.

    Returns:
        ``(audio, sample_rate)``: float32 ``(N,)`` for one channel (or ``mono``), else ``(C, N)``.

    Raises:
        AugmentationError: The file cannot be read or holds no samples.
    """
    sf = require("soundfile", "audio", feature="multiaug.audio.load")
    try:
        data, rate = sf.read(os.fspath(path), dtype="float32", always_2d=True)
    except (sf.LibsndfileError, RuntimeError, OSError) as exc:
        raise AugmentationError(f"cannot read audio file {os.fspath(path)!r}: {exc}") from exc
    if data.shape[0] == 0:
        raise AugmentationError(f"audio file {os.fspath(path)!r} holds no samples")
    audio = np.ascontiguousarray(data.T)
    if mono or audio.shape[0] == 1:
        audio = audio.mean(axis=0, dtype=np.float32) if audio.shape[0] > 1 else audio[0]
    if sample_rate is not None and sample_rate != rate:
        from multiaug.audio.functional import resample

        audio, rate = resample(audio, rate, sample_rate), sample_rate
    return audio, int(rate)


def save(path: str | os.PathLike[str], audio: Any, sample_rate: int, *, overwrite: bool = False,
         subtype: str | None = None) -> None:
    """Write ``audio`` (``(N,)`` or ``(C, N)``) to ``path``; the format follows the extension.

    WAV and FLAC are written as 16-bit PCM by default (``subtype="FLOAT"`` keeps WAV float32),
    OGG as Vorbis and MP3 as MPEG layer III. Integer PCM formats clip samples outside
    ``[-1, 1]``, as any integer format must.

    Args:
        path: Destination; the extension (.wav, .flac, .ogg, .mp3) picks the format.
        audio: float32 audio, channels first.
        sample_rate: Rate in Hz.
        overwrite: Replace an existing file; by default an existing file raises FileExistsError.
        subtype: A soundfile subtype overriding the default of the format.
    """
    sf = require("soundfile", "audio", feature="multiaug.audio.save")
    target = Path(path)
    fmt = _FORMATS.get(target.suffix.lower())
    if fmt is None:
        raise ValueError(f"cannot tell the format of {str(target)!r}: use one of {', '.join(_FORMATS)}")
    arr = np.asarray(audio, dtype=np.float32)
    if arr.ndim not in (1, 2) or arr.shape[-1] == 0 or not np.isfinite(arr).all():
        raise AugmentationError(f"audio to save must be finite, non-empty (N,) or (C, N), got shape {arr.shape}")
    if target.exists() and not overwrite:
        raise FileExistsError(f"{str(target)!r} exists; pass overwrite=True to replace it")
    data = arr.T if arr.ndim == 2 else arr
    # write next to the target and rename, so a failed write never leaves a truncated file behind
    tmp = target.with_name(f".{target.name}.partial")
    try:
        sf.write(str(tmp), data, int(sample_rate), subtype=subtype or fmt[1], format=fmt[0])
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()
