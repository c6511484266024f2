"""Audio augmentation: waveform steps, time-accurate stretch/pitch/speed, filters, reverb, codecs,
spectrogram features and SpecAugment.

Audio fields hold NumPy arrays, ``(N,)`` (mono) or ``(C, N)`` (channels first), next to a
``sample_rate`` field (Hz, kind ``sample_rate``). At pipeline entry audio is converted to
float32: int16 and int32 PCM are divided by 32768 and 2**31 (giving values in ``[-1, 1)``),
float64 is cast to float32. NaN or infinite samples, empty audio and a missing
``sample_rate`` raise :class:`multiaug.AugmentationError`. Outputs are float32 in the same
layout (a multi-channel clip stays multi-channel; every channel gets the same draw).

No step clips unless it is a clipping step (:class:`Clipping`): float audio may go above 1.0
after a gain or a mix, and no step silently hides it. No step produces NaN.

Steps that move audio in time (:class:`Shift`, :class:`RandomCrop`, :class:`Pad`,
:class:`TimeStretch`, :class:`SpeedPerturb`, :class:`Resample`, :class:`TimeWarp`,
:class:`SpecAugment`) expose ``time_map(params, sample_rate, n_samples)``, the exact map from
input seconds to output seconds (a :class:`~multiaug.audio.timemap.TimeMap`), and move the word
timings of a ``transcript`` field (``{"text", "words": [{"word", "start", "end"}]}``) with it.

Example:
    >>> import numpy as np
    >>> import multiaug as ma
    >>> from multiaug import audio as A
    >>> pipe = ma.Pipeline([A.Gain(gain_db=(-6, 6), p=1.0), A.TimeStretch(rate=(0.9, 1.1), p=1.0)], seed=0)
    >>> out = pipe({"audio": np.zeros(16000, np.int16), "sample_rate": 16000})
    >>> out["audio"].dtype
    dtype('float32')
"""

from multiaug.audio.effects import Clipping, Compressor, Mp3Compression, Reverb
from multiaug.audio.filters import BandPass, BandStop, HighPass, LowPass
from multiaug.audio.io import load, save
from multiaug.audio.noise import BackgroundNoise, GaussianNoise, NoiseSNR
from multiaug.audio.specaugment import FrequencyMask, SpecAugment, TimeMask, TimeWarp
from multiaug.audio.spectrogram import MelSpectrogram, Spectrogram
from multiaug.audio.tempo import PitchShift, Resample, SpeedPerturb, TimeStretch
from multiaug.audio.timemap import TimeMap, map_transcript
from multiaug.audio.transforms import Fade, Gain, Normalize, Pad, PolarityInversion, RandomCrop, Shift

__all__ = [
    "BackgroundNoise",
    "BandPass",
    "BandStop",
    "Clipping",
    "Compressor",
    "Fade",
    "FrequencyMask",
    "Gain",
    "GaussianNoise",
    "HighPass",
    "LowPass",
    "MelSpectrogram",
    "Mp3Compression",
    "NoiseSNR",
    "Normalize",
    "Pad",
    "PitchShift",
    "PolarityInversion",
    "RandomCrop",
    "Resample",
    "Reverb",
    "Shift",
    "SpecAugment",
    "SpeedPerturb",
    "Spectrogram",
    "TimeMap",
    "TimeMask",
    "TimeStretch",
    "TimeWarp",
    "load",
    "map_transcript",
    "save",
]
