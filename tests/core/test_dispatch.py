"""The per-step dispatch plan: kept per kinds dict, rebuilt when kernels or kinds change, never pickled."""

from __future__ import annotations

import copy
import pickle
from typing import Any

import numpy as np
import pytest

import multiaug as ma
from multiaug.core.augmenter import register_kernel
from multiaug.core.fields import Sample


class Tag(ma.Augmenter):
    """Appends "!" to text and adds one to labels (two kinds, so plans differ per key set)."""

    name = "testing.DispatchTag"

    def apply_text(self, value: str, params: dict[str, Any], sample: Sample) -> str:
        return value + "!"

    def apply_label(self, value: int, params: dict[str, Any], sample: Sample) -> int:
        return value + 1


class Mover(ma.Augmenter):
    """Moves geometry with an image kernel only: a mask must make it raise, whatever came before."""

    name = "testing.DispatchMover"
    moves = "geometry"

    def apply_image(self, value: np.ndarray, params: dict[str, Any], sample: Sample) -> np.ndarray:
        return value[:, ::-1].copy()


def test_plans_follow_the_key_set_of_each_call() -> None:
    pipe = ma.Pipeline([Tag()], seed=0)
    for _ in range(2):  # alternate key sets: each call must use the plan of its own kinds
        assert pipe({"text": "a", "label": 1}) == {"text": "a!", "label": 2}
        assert pipe({"text": "b"}) == {"text": "b!"}
        assert pipe({"label": 5, "other": "x"}) == {"label": 6, "other": "x"}


def test_dependent_fields_still_raise_with_a_cached_plan() -> None:
    pipe = ma.Pipeline([Mover()], seed=0)
    img = np.arange(12, dtype=np.uint8).reshape(3, 4)
    assert np.array_equal(pipe(img), img[:, ::-1])
    with pytest.raises(ma.AugmentationError, match="mask"):
        pipe({"image": img, "mask": np.zeros((3, 4), np.uint8)})
    assert np.array_equal(pipe(img), img[:, ::-1])  # and the image-only plan is rebuilt correctly


def test_a_kernel_registered_after_first_use_is_used() -> None:
    class Late(ma.Augmenter):
        name = "testing.DispatchLate"

        def apply_text(self, value: str, params: dict[str, Any], sample: Sample) -> str:
            return value.upper()

    pipe = ma.Pipeline([Late()], seed=0)
    sample = {"text": "hi", "caption": "cap"}
    assert pipe(sample) == {"text": "HI", "caption": "cap"}

    @register_kernel("testing.DispatchLate", "caption")
    def _caption(step: ma.Augmenter, value: str, params: dict[str, Any], sample: Sample) -> str:
        return value[::-1]

    assert pipe(sample) == {"text": "HI", "caption": "pac"}


def test_cached_plans_are_not_pickled_or_copied() -> None:
    step = Tag()
    ma.Pipeline([step], seed=0)({"text": "a"})
    assert "_dispatch" in step.__dict__
    for clone in (pickle.loads(pickle.dumps(step)), copy.deepcopy(step), copy.copy(step)):
        assert "_dispatch" not in clone.__dict__
        assert ma.Pipeline([clone], seed=0)({"text": "a", "label": 0}) == {"text": "a!", "label": 1}


def test_samples_made_inside_a_pipeline_are_samples() -> None:
    s = Sample({"text": "a"}, {"text": "text"})
    derived = s.derive({"text": "b"})
    assert isinstance(derived, Sample) and isinstance(s.copy(), Sample)
    assert derived == {"text": "b"} and derived.kinds is s.kinds and derived.options is s.options


def test_bare_images_take_the_fast_entry_only_when_image_keeps_its_kind() -> None:
    img = np.zeros((4, 5, 3), np.uint8)
    plain = ma.Pipeline([], seed=0)
    for _ in range(2):  # the second call meets the cached plan (the fast entry)
        assert plain(img) is img
    with pytest.raises(ma.AugmentationError, match="non-empty"):
        plain(np.zeros((0, 5, 3), np.uint8))
    with pytest.raises(ma.AugmentationError, match="NaN"):
        plain(np.full((2, 2), np.nan, np.float32))
    as_mask = ma.Pipeline([], fields={"image": "mask"}, seed=0)
    for _ in range(2):  # the key "image" names a mask here: mask rules, not image rules
        assert as_mask(np.zeros((4, 5), np.int64)).dtype == np.int64
        with pytest.raises(ma.AugmentationError, match="mask dtype"):
            as_mask(np.zeros((4, 5), np.float32))
