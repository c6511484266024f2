"""Small augmenters used by the data, CLI and preview tests (registered on demand, once per process)."""

from __future__ import annotations

import numpy as np


def define() -> None:
    """Register ``testaug.Shade``, ``testaug.Suffix`` and ``testaug.FailOn`` unless already registered."""
    import multiaug as ma
    from multiaug.core.registry import _REGISTRY

    if "testaug.Shade" in _REGISTRY:
        return

    @ma.register(modality="testaug")
    class Shade(ma.Augmenter):
        """Adds seeded per-pixel noise to images (every draw differs)."""

        def __init__(self, p: float = 1.0) -> None:
            super().__init__(p=p)

        def make_params(self, sample, rng):
            return {"seed": int(rng.integers(2**63)), "strength": int(rng.integers(5, 40))}

        def apply_image(self, image, params, sample):
            noise = np.random.default_rng(params["seed"]).integers(0, params["strength"], image.shape)
            return ((image.astype(np.int16) + noise) % 256).astype(np.uint8)

    @ma.register(modality="testaug")
    class Suffix(ma.Augmenter):
        """Appends a random word to text."""

        def __init__(self, p: float = 1.0) -> None:
            super().__init__(p=p)

        def make_params(self, sample, rng):
            return {"word": "".join(chr(97 + int(c)) for c in rng.integers(0, 26, 5))}

        def apply_text(self, text, params, sample):
            return f"{text} {params['word']}"

    @ma.register(modality="testaug")
    class FailOn(ma.Augmenter):
        """Fails on text containing the word FAIL."""

        def __init__(self, p: float = 1.0) -> None:
            super().__init__(p=p)

        def apply_text(self, text, params, sample):
            if "FAIL" in text:
                raise ma.AugmentationError("this text asks to fail", field="text")
            return text
