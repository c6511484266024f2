"""Dynamics, distortion, room and codec steps: Compressor, Clipping, Reverb, Mp3Compression.

Example:
    >>> import numpy as np
    >>> from multiaug import audio as A
    >>> x = np.sin(np.linspace(0, 200, 8000)).astype(np.float32)
    >>> out = A.Reverb(rt60=(0.3, 0.3), p=1.0)({"audio": x, "sample_rate": 8000})
    >>> out["audio"].shape
    (8000,)
"""

from __future__ import annotations

import io
from typing import Any

import numpy as np

from multiaug.audio import functional as F
from multiaug.audio._common import sample_rate_of
from multiaug.audio.noise import _collect_sources
from multiaug.core.augmenter import Augmenter
from multiaug.core.deps import require
from multiaug.core.errors import AugmentationError
from multiaug.core.fields import Sample
from multiaug.core.params import to_int_range, to_range
from multiaug.core.registry import register

__all__ = ["Clipping", "Compressor", "Mp3Compression", "Reverb", "mp3_roundtrip"]


@register
class Compressor(Augmenter):
    """Dynamic range compression with random threshold, ratio, attack and release.

    A feed-forward compressor with linked channels (see :func:`multiaug.audio.functional.compress`):
    an RMS level detector with time constant ``attack``, a hard knee at ``threshold_db`` and a
    gain smoother with time constant ``release``. No make-up gain: the output is never louder.

    Args:
        threshold_db: Threshold range in dBFS.
        ratio: Compression ratio range (``>= 1``).
        attack: Attack time range in seconds.
        release: Release time range in seconds.
        p: Probability of applying the step.

    Example:
        >>> Compressor(ratio=(2, 4)).ratio
        (2, 4)
    """

    def __init__(self, threshold_db: Any = (-30.0, -10.0), ratio: Any = (2.0, 8.0), attack: Any = (0.001, 0.02),
                 release: Any = (0.05, 0.3), p: float = 0.5) -> None:
        super().__init__(p=p)
        self._threshold = to_range(threshold_db, self.name, "threshold_db", low=-100, high=0, scalar="fixed")
        self._ratio = to_range(ratio, self.name, "ratio", low=1.0, high=100.0, scalar="fixed")
        self._attack = to_range(attack, self.name, "attack", low=1e-5, high=1.0, scalar="fixed")
        self._release = to_range(release, self.name, "release", low=1e-4, high=5.0, scalar="fixed")
        self.threshold_db, self.ratio, self.attack, self.release = threshold_db, ratio, attack, release

    def make_params(self, sample: Sample, rng: np.random.Generator) -> dict[str, Any]:
        return {
            "threshold_db": float(rng.uniform(*self._threshold)),
            "ratio": float(rng.uniform(*self._ratio)),
            "attack": float(rng.uniform(*self._attack)),
            "release": float(rng.uniform(*self._release)),
        }

    def apply_audio(self, value: np.ndarray, params: dict[str, Any], sample: Sample) -> np.ndarray:
        return F.compress(value, sample_rate_of(sample, self.name), params["threshold_db"], params["ratio"],
                          params["attack"], params["release"])


@register
class Clipping(Augmenter):
    """Hard-clips a random percentage of the samples (the loudest ones): a clipping distortion.

    Args:
        percentile: Range of the percentage of samples to clip, within ``[0, 100)``; half of it
            is taken from the positive peaks and half from the negative ones.
        p: Probability of applying the step.

    Example:
        >>> import numpy as np
        >>> x = np.linspace(-1, 1, 101).astype(np.float32)
        >>> out = Clipping(percentile=(20, 20), p=1.0)({"audio": x, "sample_rate": 8000})["audio"]
        >>> round(float(out.max()), 3), round(float(out.min()), 3)
        (0.8, -0.8)
    """

    def __init__(self, percentile: Any = (0.0, 40.0), p: float = 0.5) -> None:
        super().__init__(p=p)
        self._percentile = to_range(percentile, self.name, "percentile", low=0.0, high=99.0, scalar="upper")
        self.percentile = percentile

    def make_params(self, sample: Sample, rng: np.random.Generator) -> dict[str, Any]:
        return {"percentile": float(rng.uniform(*self._percentile))}

    def apply_audio(self, value: np.ndarray, params: dict[str, Any], sample: Sample) -> np.ndarray:
        lo, hi = F.percentile_pair(value, params["percentile"] / 2.0)
        return np.clip(value, np.float32(lo), np.float32(hi))


@register
class Reverb(Augmenter):
    """Convolves with a room impulse response (user files/arrays, or a synthetic one).

    The IR is convolved by FFT (overlap-add) and the output is aligned on the IR's direct-path
    peak, so nothing moves in time; the output keeps the input's length (the reverb tail past
    the end is cut) and the wet signal is scaled to the input's power.

    Args:
        sources: Impulse responses: a folder, a file, an array (at the audio's sample rate), or
            a list of these. None (default) uses a synthetic IR: exponentially decaying noise
            with a direct path at its start.
        rt60: Decay-time range in seconds of the synthetic IR (60 dB decay).
        wet: Range of the wet/dry mix (1.0: only the reverberant signal).
        p: Probability of applying the step.

    Example:
        >>> Reverb(rt60=(0.2, 0.6)).rt60
        (0.2, 0.6)
    """

    def __init__(self, sources: Any = None, rt60: Any = (0.2, 1.0), wet: Any = (0.3, 1.0), p: float = 0.5) -> None:
        super().__init__(p=p)
        self._sources = _collect_sources(sources, self.name) if sources is not None else None
        self._ir_cache: dict[tuple[int, int], np.ndarray] = {}
        self._spectra: dict[tuple[int, int], dict[int, np.ndarray]] = {}  # of the cached IRs, per FFT size
        self._rt60 = to_range(rt60, self.name, "rt60", low=0.01, high=10.0, scalar="fixed")
        self._wet = to_range(wet, self.name, "wet", low=0.0, high=1.0, scalar="fixed")
        self.sources, self.rt60, self.wet = sources, rt60, wet

    def make_params(self, sample: Sample, rng: np.random.Generator) -> dict[str, Any]:
        params: dict[str, Any] = {"wet": float(rng.uniform(*self._wet))}
        if self._sources is None:
            params.update(rt60=float(rng.uniform(*self._rt60)), seed=int(rng.integers(2**63)))
        else:
            params["source"] = int(rng.integers(len(self._sources)))
        return params

    def impulse_response(self, params: dict[str, Any], sample_rate: int) -> np.ndarray:
        """The IR used with ``params`` at ``sample_rate`` (mono float32)."""
        if self._sources is None:
            return F.synthetic_ir(sample_rate, params["rt60"], params["seed"])
        key = (params["source"], sample_rate)
        ir = self._ir_cache.get(key)
        if ir is None:
            source = self._sources[params["source"]]
            frames, rate = source.frames_and_rate(sample_rate)
            ir = source.read(0, frames)
            ir = F.resample(ir, rate, sample_rate) if rate != sample_rate else ir.copy()
            ir.flags.writeable = False
            if len(self._ir_cache) < 256:  # impulse responses are short: keep the ones read
                self._ir_cache[key] = ir
        return ir

    def apply_audio(self, value: np.ndarray, params: dict[str, Any], sample: Sample) -> np.ndarray:
        sample_rate = sample_rate_of(sample, self.name)
        ir = self.impulse_response(params, sample_rate)
        if not np.any(ir):
            raise AugmentationError("the impulse response is silent", step=self.name)
        key = (params.get("source"), sample_rate)
        spectra = None
        if key in self._ir_cache:  # an IR read once and kept: keep its spectra too
            spectra = self._spectra.get(key)
            if spectra is None and len(self._spectra) < 64:
                spectra = self._spectra[key] = {}
        return F.convolve_ir(value, ir, params["wet"], spectra)


#: Sample rates MP3 can carry, and (min, max) CBR bitrates in kbps for each MPEG version.
MP3_RATES = (8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000)


def _bitrate_bounds(sample_rate: int) -> tuple[int, int]:
    if sample_rate >= 32000:
        return 32, 320  # MPEG-1 layer III
    if sample_rate >= 16000:
        return 8, 160  # MPEG-2
    return 8, 64  # MPEG-2.5


def mp3_encode(x: np.ndarray, sample_rate: int, bitrate: int) -> bytes:
    """Encode to constant-bitrate MP3 bytes with libsndfile (LAME), at about ``bitrate`` kbps.

    libsndfile maps a compression level in ``[0, 1]`` linearly onto the bitrates of the MPEG
    version of ``sample_rate``; LAME then uses the nearest standard bitrate.
    """
    sf = require("soundfile", "audio", feature="audio.Mp3Compression")
    if "MP3" not in sf.available_formats():
        raise AugmentationError(
            f"the installed libsndfile ({sf.__libsndfile_version__}) cannot write MP3; soundfile >= 0.12.1 wheels "
            "bundle one that can", step="audio.Mp3Compression",
        )
    lo, hi = _bitrate_bounds(sample_rate)
    level = min(max((hi - bitrate) / (hi - lo), 0.0), 0.99)
    buf = io.BytesIO()
    data = x.T if x.ndim == 2 else x
    sf.write(buf, data, sample_rate, format="MP3", compression_level=level, bitrate_mode="CONSTANT")
    return buf.getvalue()


#: Encoder (576) plus decoder (529) delay of LAME/mpg123, in samples: what the decoded stream
#: starts with when libsndfile cannot apply the gapless information (it does not at low
#: bitrates, where LAME resamples internally). Measured on click trains, see the tests.
MP3_CODEC_DELAY = 576 + 529


def mp3_decode(data: bytes, n: int) -> np.ndarray:
    """Decode MP3 bytes to float32 ``(C, n)``, aligned with the encoded input.

    When the decoded stream has exactly ``n`` frames, libsndfile has already removed the codec
    delay and padding (gapless playback); otherwise the first :data:`MP3_CODEC_DELAY` samples
    are dropped.
    """
    sf = require("soundfile", "audio", feature="audio.Mp3Compression")
    y, _ = sf.read(io.BytesIO(data), dtype="float32", always_2d=True)
    y = y.T
    if y.shape[1] != n:
        y = y[:, MP3_CODEC_DELAY:]
    y = y[:, :n]
    if y.shape[1] < n:
        y = np.pad(y, ((0, 0), (0, n - y.shape[1])))
    return np.ascontiguousarray(y)


def mp3_roundtrip(x: np.ndarray, sample_rate: int, bitrate: int) -> np.ndarray:
    """Encode ``x`` to MP3 and decode it back, time-aligned and with the input's length and layout.

    Audio with more than two channels is coded one channel at a time (MP3 carries at most two).
    """
    x2 = x if x.ndim == 2 else x[None]
    groups = [x2] if x2.shape[0] <= 2 else [x2[i : i + 1] for i in range(x2.shape[0])]
    out = np.concatenate(
        [mp3_decode(mp3_encode(g if g.shape[0] == 2 else g[0], sample_rate, bitrate), x2.shape[1]) for g in groups]
    )
    return out if x.ndim == 2 else out[0]


@register
class Mp3Compression(Augmenter):
    """Encodes to MP3 at a random bitrate and decodes back (codec artefacts, same timing).

    Uses libsndfile's MPEG support through soundfile (no ffmpeg). The decoder removes the
    encoder delay, so the output is time-aligned with the input (checked with click trains in
    the tests) and has its length. The sample rate must be one MP3 supports (8, 11.025, 12,
    16, 22.05, 24, 32, 44.1 or 48 kHz); bitrates are limited by the MPEG version of that rate
    (8-160 kbps at 16-24 kHz, 32-320 kbps at 32-48 kHz, 8-64 kbps below 16 kHz).

    Args:
        bitrate: Range of the bitrate in kbps ``(low, high)`` (a whole number is drawn).
        p: Probability of applying the step.

    Example:
        >>> Mp3Compression(bitrate=(32, 64)).bitrate
        (32, 64)
    """

    def __init__(self, bitrate: Any = (32, 128), p: float = 0.5) -> None:
        super().__init__(p=p)
        self._bitrate = to_int_range(bitrate, self.name, "bitrate", low=8, high=320)
        self.bitrate = bitrate

    def make_params(self, sample: Sample, rng: np.random.Generator) -> dict[str, Any]:
        return {"bitrate": int(rng.integers(self._bitrate[0], self._bitrate[1] + 1))}

    def apply_audio(self, value: np.ndarray, params: dict[str, Any], sample: Sample) -> np.ndarray:
        sr = sample_rate_of(sample, self.name)
        if sr not in MP3_RATES:
            raise AugmentationError(
                f"MP3 cannot carry a sample rate of {sr} Hz; resample to one of {MP3_RATES} first",
                step=self.name,
            )
        return mp3_roundtrip(value, sr, params["bitrate"])
