"""Small augmenters used by the core tests (registered under the modality "testing")."""

from __future__ import annotations

from typing import Any

import numpy as np

import multiaug as ma
from multiaug.core.params import to_range

WORDS = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"]


@ma.register(modality="testing")
class AppendWord(ma.Augmenter):
    """Appends a random word to text fields."""

    def __init__(self, words: list[str] | None = None, p: float = 1.0) -> None:
        super().__init__(p=p)
        self.words = words

    def make_params(self, sample: ma.Sample, rng: np.random.Generator) -> dict[str, Any]:
        words = self.words or WORDS
        return {"word": words[int(rng.integers(len(words)))]}

    def apply_text(self, value: str, params: dict[str, Any], sample: ma.Sample) -> str:
        return f"{value} {params['word']}"


@ma.register(modality="testing")
class Brighten(ma.Augmenter):
    """Adds a random offset to uint8 images (a stand-in for a colour step)."""

    def __init__(self, limit: float | tuple[float, float] = 40, p: float = 1.0) -> None:
        super().__init__(p=p)
        self._limit = to_range(limit, self.name, "limit", low=-255, high=255)
        self.limit = limit

    def make_params(self, sample: ma.Sample, rng: np.random.Generator) -> dict[str, Any]:
        return {"offset": float(rng.uniform(*self._limit))}

    def apply_image(self, image: np.ndarray, params: dict[str, Any], sample: ma.Sample) -> np.ndarray:
        return np.clip(image.astype(np.float32) + params["offset"], 0, 255).astype(image.dtype)


@ma.register(modality="testing")
class ShiftRight(ma.Augmenter):
    """Rolls images right by a random number of pixels; has no mask or box rule."""

    moves = "geometry"

    def __init__(self, p: float = 1.0) -> None:
        super().__init__(p=p)

    def make_params(self, sample: ma.Sample, rng: np.random.Generator) -> dict[str, Any]:
        return {"dx": int(rng.integers(1, 5))}

    def apply_image(self, image: np.ndarray, params: dict[str, Any], sample: ma.Sample) -> np.ndarray:
        return np.roll(image, params["dx"], axis=1)


@ma.register(modality="testing")
class DropFirstBox(ma.Augmenter):
    """Drops the first box and its label (exercises multi-field kernel updates)."""

    def __init__(self, p: float = 1.0) -> None:
        super().__init__(p=p)

    def apply_bboxes(self, boxes: np.ndarray, params: dict[str, Any], sample: ma.Sample) -> ma.Updates:
        updates = ma.Updates({sample.keys_of("bboxes")[0]: boxes[1:]})
        for key in sample.keys_of("bbox_labels"):
            updates[key] = list(sample[key])[1:]
        return updates


@ma.register(modality="testing")
class Explode(ma.Augmenter):
    """Raises an ordinary exception inside a kernel."""

    def __init__(self, p: float = 1.0) -> None:
        super().__init__(p=p)

    def apply_text(self, value: str, params: dict[str, Any], sample: ma.Sample) -> str:
        raise ZeroDivisionError("deep failure")
