"""Contract cases of the audio steps."""

from __future__ import annotations

import numpy as np

from tests.contract.case import Case
from tests.contract.samples import audio_sample, spectrogram_sample

# A short noise recording, made here, for BackgroundNoise (arrays are valid noise sources).
_NOISE = (0.1 * np.random.default_rng(5).standard_normal(4000)).astype(np.float32).tolist()

CASES = {
    "audio.RandomCrop": Case(kwargs={"duration": 0.5}),
    "audio.Pad": Case(kwargs={"duration": 1.5}),
    "audio.BackgroundNoise": Case(kwargs={"sources": [_NOISE], "snr_db": [5.0, 20.0]}),
    "audio.Spectrogram": Case(sample=audio_sample),
    "audio.MelSpectrogram": Case(sample=audio_sample),
    "audio.TimeMask": Case(kwargs={"width": [0.05, 0.2]}),
    "audio.FrequencyMask": Case(sample=spectrogram_sample),
    "audio.TimeWarp": Case(kwargs={"W": 10}, sample=spectrogram_sample),
    "audio.SpecAugment": Case(kwargs={"policy": "LB"}, sample=spectrogram_sample),
}
