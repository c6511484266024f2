"""Additive noise: GaussianNoise, NoiseSNR (white, pink, brown) and BackgroundNoise (recordings).

Random noise is generated in the kernel from an integer seed drawn in ``make_params``, so a
record replays bit for bit. SNRs are measured as mean power over all channels and samples of
the clip, and the noise is scaled so that the requested SNR holds exactly for the clip. A
silent clip has no finite SNR and is returned unchanged by the SNR-based steps.

Example:
    >>> import numpy as np
    >>> from multiaug import audio as A
    >>> x = np.sin(np.linspace(0, 100, 8000)).astype(np.float32)
    >>> out = A.NoiseSNR(snr_db=(10, 10), color="pink", p=1.0)({"audio": x, "sample_rate": 8000})
    >>> noise = out["audio"] - x
    >>> round(float(10 * np.log10(np.mean(x ** 2) / np.mean(noise ** 2))), 1)
    10.0
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from multiaug.audio import functional as F
from multiaug.audio._common import audio_length, sample_rate_of
from multiaug.core.augmenter import Augmenter
from multiaug.core.errors import AugmentationError, InvalidParameterError, InvalidParameterTypeError
from multiaug.core.fields import Sample
from multiaug.core.params import check_choice, to_range
from multiaug.core.registry import register

__all__ = ["AUDIO_EXTENSIONS", "BackgroundNoise", "GaussianNoise", "NoiseSNR"]

#: File extensions BackgroundNoise picks up in a folder.
AUDIO_EXTENSIONS = (".wav", ".flac", ".ogg", ".mp3")
_COLORS = ("white", "pink", "brown")


@register
class GaussianNoise(Augmenter):
    """Adds white Gaussian noise whose standard deviation is drawn from an amplitude range.

    Args:
        amplitude: Range of the noise standard deviation (full scale is 1.0), a number x
            meaning (0, x) or a (low, high) pair.
        p: Probability of applying the step.

    Example:
        >>> import numpy as np
        >>> out = GaussianNoise(amplitude=(0.01, 0.01), p=1.0)({"audio": np.zeros(16000, np.float32),
        ...                                                      "sample_rate": 16000})
        >>> round(float(out["audio"].std()), 3)
        0.01
    """

    def __init__(self, amplitude: Any = (0.001, 0.015), p: float = 0.5) -> None:
        super().__init__(p=p)
        self._amplitude = to_range(amplitude, self.name, "amplitude", low=0.0, high=10.0, scalar="upper")
        self.amplitude = amplitude

    def make_params(self, sample: Sample, rng: np.random.Generator) -> dict[str, Any]:
        return {"amplitude": float(rng.uniform(*self._amplitude)), "seed": int(rng.integers(2**63))}

    def apply_audio(self, value: np.ndarray, params: dict[str, Any], sample: Sample) -> np.ndarray:
        noise = F.gaussian(value.shape, params["seed"])
        noise *= np.float32(params["amplitude"])
        noise += value
        return noise


@register
class NoiseSNR(Augmenter):
    """Adds white, pink or brown noise at a random signal-to-noise ratio (dB).

    Args:
        snr_db: SNR range in dB ``(low, high)``.
        color: ``"white"``, ``"pink"`` (power falls 3 dB per octave), ``"brown"`` (6 dB per
            octave), or a list of them to pick from at random.
        p: Probability of applying the step.

    Example:
        >>> NoiseSNR(snr_db=(5, 20), color=["white", "pink"]).color
        ['white', 'pink']
    """

    def __init__(self, snr_db: Any = (5.0, 40.0), color: Any = "white", p: float = 0.5) -> None:
        super().__init__(p=p)
        self._snr = to_range(snr_db, self.name, "snr_db", low=-40, high=120, scalar="fixed")
        colors = [color] if isinstance(color, str) else list(color) if isinstance(color, Sequence) else None
        if not colors:
            raise InvalidParameterTypeError(
                f"{self.name}: color must be one of {_COLORS} or a list of them, got {color!r}",
                owner=self.name, param="color",
            )
        for c in colors:
            check_choice(c, self.name, "color", _COLORS)
        self._colors = colors
        self.snr_db, self.color = snr_db, color

    def make_params(self, sample: Sample, rng: np.random.Generator) -> dict[str, Any]:
        color = self._colors[int(rng.integers(len(self._colors)))] if len(self._colors) > 1 else self._colors[0]
        return {"snr_db": float(rng.uniform(*self._snr)), "color": color, "seed": int(rng.integers(2**63))}

    def apply_audio(self, value: np.ndarray, params: dict[str, Any], sample: Sample) -> np.ndarray:
        noise = F.colored_noise(value.shape, params["color"], params["seed"])
        return F.mix_at_snr(value, noise, params["snr_db"])


class _Source:
    """One noise source: an in-memory array or a file read on demand."""

    def __init__(self, array: np.ndarray | None = None, path: str | None = None) -> None:
        self.array, self.path = array, path
        self._info: tuple[int, int] | None = None

    def frames_and_rate(self, default_rate: int) -> tuple[int, int]:
        if self.array is not None:
            return self.array.shape[-1], default_rate
        if self._info is None:
            import soundfile as sf

            info = sf.info(self.path)
            self._info = (int(info.frames), int(info.samplerate))
        return self._info

    def read(self, start: int, frames: int) -> np.ndarray:
        """Mono float32 frames ``[start, start + frames)`` (fewer at the end of the source)."""
        if self.array is not None:
            seg = self.array[..., start : start + frames]
            return seg if seg.ndim == 1 else seg.mean(axis=0, dtype=np.float32)
        import soundfile as sf

        data, _ = sf.read(self.path, start=start, frames=frames, dtype="float32", always_2d=True)
        return data.mean(axis=1, dtype=np.float32) if data.shape[1] > 1 else data[:, 0]


def _collect_sources(sources: Any, owner: str) -> list[_Source]:
    def bad(msg: str) -> InvalidParameterError:
        return InvalidParameterError(f"{owner}: sources {msg}", owner=owner, param="sources")

    items = [sources] if isinstance(sources, (str, os.PathLike, np.ndarray)) else sources
    if not isinstance(items, Sequence) or isinstance(items, (str, bytes)):
        raise InvalidParameterTypeError(
            f"{owner}: sources must be a folder, a file, an array or a list of files/arrays, "
            f"got {type(sources).__name__}",
            owner=owner, param="sources",
        )
    out: list[_Source] = []
    for item in items:
        if isinstance(item, (str, os.PathLike)):
            path = Path(item)
            if path.is_dir():
                files = sorted(str(p) for p in path.rglob("*") if p.suffix.lower() in AUDIO_EXTENSIONS)
                out.extend(_Source(path=f) for f in files)
            elif path.is_file():
                out.append(_Source(path=str(path)))
            else:
                raise bad(f"entry {str(item)!r} is neither a file nor a folder")
        else:
            try:
                arr = np.asarray(item, dtype=np.float32)
            except (TypeError, ValueError):
                raise bad(f"entries must be paths or numeric arrays, got {type(item).__name__}") from None
            if arr.ndim not in (1, 2) or arr.shape[-1] == 0 or not np.isfinite(arr).all():
                raise bad(f"arrays must be non-empty finite (N,) or (C, N) audio, got shape {arr.shape}")
            out.append(_Source(array=arr))
    if not out:
        raise bad(f"contain no audio ({', '.join(AUDIO_EXTENSIONS)} files or arrays): {sources!r}")
    return out


@register
class BackgroundNoise(Augmenter):
    """Mixes in a random segment of a noise recording at a random SNR.

    Args:
        sources: A folder (searched recursively for .wav/.flac/.ogg/.mp3), an audio file, a
            float array, or a list of any of these. Arrays are taken to be at the sample rate of
            the audio they are mixed into; files are resampled to it.
        snr_db: SNR range in dB ``(low, high)``.
        loop: A noise shorter than the clip is repeated (looped) to fill it; with
            ``loop=False`` it is padded with silence instead (at a random position).
        p: Probability of applying the step.

    Only the segment that is needed is read from a file (``soundfile`` seeks to it). A
    multi-channel noise is averaged to mono and the same noise is added to every channel.

    Example:
        >>> import numpy as np
        >>> noise = np.random.default_rng(0).standard_normal(4000).astype(np.float32)
        >>> step = BackgroundNoise(sources=[noise], snr_db=(20, 20), p=1.0)
        >>> step({"audio": np.ones(8000, np.float32), "sample_rate": 8000})["audio"].shape
        (8000,)
    """

    def __init__(self, sources: Any, snr_db: Any = (3.0, 30.0), loop: bool = True, p: float = 0.5) -> None:
        super().__init__(p=p)
        self._sources = _collect_sources(sources, self.name)
        self._snr = to_range(snr_db, self.name, "snr_db", low=-40, high=120, scalar="fixed")
        check_choice(loop, self.name, "loop", (True, False))
        self.sources, self.snr_db, self.loop = sources, snr_db, loop

    def make_params(self, sample: Sample, rng: np.random.Generator) -> dict[str, Any]:
        n, sr = audio_length(sample, self.name), sample_rate_of(sample, self.name)
        index = int(rng.integers(len(self._sources)))
        try:
            frames, rate = self._sources[index].frames_and_rate(sr)
        except (OSError, RuntimeError) as exc:  # an unreadable file: say which one
            raise AugmentationError(f"cannot read noise source {self._sources[index].path!r}: {exc}",
                                    step=self.name) from exc
        need = int(np.ceil(n * rate / sr))
        if frames > need:
            offset, position = int(rng.integers(0, frames - need + 1)), 0
        else:
            offset = 0
            short = int(round(frames * sr / rate))
            position = int(rng.integers(0, max(n - short, 0) + 1)) if not self.loop else 0
        return {"source": index, "offset": offset, "position": position, "snr_db": float(rng.uniform(*self._snr))}

    def _segment(self, params: dict[str, Any], n: int, sr: int) -> np.ndarray:
        source = self._sources[params["source"]]
        frames, rate = source.frames_and_rate(sr)
        need = int(np.ceil(n * rate / sr))
        seg = source.read(params["offset"], need)
        if rate != sr:
            seg = F.resample(seg, rate, sr)
        if seg.shape[-1] >= n:
            return seg[:n]
        if self.loop:
            return np.resize(seg, n).astype(np.float32, copy=False)
        out = np.zeros(n, np.float32)
        start = min(params["position"], n - seg.shape[-1])
        out[start : start + seg.shape[-1]] = seg
        return out

    def apply_audio(self, value: np.ndarray, params: dict[str, Any], sample: Sample) -> np.ndarray:
        noise = self._segment(params, value.shape[-1], sample_rate_of(sample, self.name))
        if value.ndim == 2:
            noise = np.broadcast_to(noise, value.shape)
        return F.mix_at_snr(value, noise, params["snr_db"])
