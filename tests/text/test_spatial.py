"""Caption word maps of the image flips, and colour words."""

from __future__ import annotations

import numpy as np
import pytest

import multiaug as ma
from multiaug.core.augmenter import Augmenter
from multiaug.text import spatial as S

HORIZONTAL = [
    ("a dog left of a red car", "a dog right of a red car"),
    (
        "Left, RIGHT and left-hand, right-hand; leftmost/rightmost.",
        "Right, LEFT and right-hand, left-hand; rightmost/leftmost.",
    ),
    ("The top-left corner is bright", "The top-right corner is bright"),
    ("upright copyright bright leftover leftovers, outright", "upright copyright bright leftover leftovers, outright"),
    ("the cup on the Left", "the cup on the Right"),
    ("LEFT-hand side", "RIGHT-hand side"),
    ("all right, we go right now", "all right, we go right now"),
    ("food left over on the left", "food left over on the right"),
    ("", ""),
]
VERTICAL = [
    ("a lamp above the upper shelf", "a lamp below the lower shelf"),
    ("Top and BOTTOM, topmost or bottommost", "Bottom and TOP, bottommost or topmost"),
    ("a bottomless pit, stopwatch, laptop, topless", "a bottomless pit, stopwatch, laptop, topless"),
    ("bottom-right", "top-right"),
    ("a top-notch photo at the top", "a top-notch photo at the bottom"),
    ("Below: the lower deck", "Above: the upper deck"),
]


@pytest.mark.parametrize("before, after", HORIZONTAL)
def test_horizontal(before: str, after: str) -> None:
    assert S.flip_horizontal(before) == after
    assert S.flip_horizontal(after) == before or "right now" in before or "left over" in before


# "right" and "left" that are not directions stay; directions in the same sentence still swap.
NOT_DIRECTIONS = [
    ("You are right.", "You are right."),
    ("That's right!", "That's right!"),
    ("the right answer is on the left", "the right answer is on the right"),
    ("the right to vote", "the right to vote"),
    ("a right angle at the top left", "a right angle at the top right"),
    ("a right-angled corner on the right", "a right-angled corner on the left"),
    ("a dog right next to the car on the left", "a dog right next to the car on the right"),
    ("She left the cup on the right", "She left the cup on the left"),
    ("the man left the room", "the man left the room"),
    ("there is nothing left", "there is nothing left"),
    ("the bags were left behind", "the bags were left behind"),
]
DIRECTIONS = [
    ("turn right at the corner", "turn left at the corner"),
    ("a cat left of a dog", "a cat right of a dog"),
    ("his left hand", "his right hand"),
    ("the left hand holds a cup", "the right hand holds a cup"),
    ("from left to right", "from right to left"),
    ("a car parked left of the tree", "a car parked right of the tree"),
    ("the cup is right of the plate", "the cup is left of the plate"),
    ("a man looking left", "a man looking right"),
    ("Left: a red car. Right: a bus.", "Right: a red car. Left: a bus."),
]


@pytest.mark.parametrize("before, after", NOT_DIRECTIONS + DIRECTIONS)
def test_left_and_right_follow_their_context(before: str, after: str) -> None:
    assert S.flip_horizontal(before) == after


@pytest.mark.parametrize("before, after", DIRECTIONS)
def test_directions_swap_back(before: str, after: str) -> None:
    assert S.flip_horizontal(S.flip_horizontal(before)) == before


@pytest.mark.parametrize("before, after", VERTICAL)
def test_vertical(before: str, after: str) -> None:
    assert S.flip_vertical(before) == after


def test_flips_do_not_touch_each_others_words() -> None:
    assert S.flip_vertical("left and right") == "left and right"
    assert S.flip_horizontal("top and bottom") == "top and bottom"


def test_colour_words() -> None:
    assert S.mentions_colour("A Red car") and S.mentions_color("a dark-blue sky")
    assert not S.mentions_colour("a credible bored redundant account")  # "red" inside words does not count
    assert S.colour_words("Grey, GREEN and bluish-purple") == ["Grey", "GREEN", "bluish", "purple"]
    assert {"red", "green", "blue", "grey", "gray"} <= S.COLOUR_WORDS


class _Dummy(Augmenter):
    name = "test.DummyFlip"


def test_kernels_directly() -> None:
    kernels = {k: v for k, v in S.__dict__.items() if k.endswith("_caption")}
    h, v = kernels["_horizontal_flip_caption"], kernels["_vertical_flip_caption"]
    assert h(_Dummy(), "left of the tree", {}, None) == "right of the tree"
    assert v(_Dummy(), "above the tree", {}, None) == "below the tree"


def test_kernels_are_attached_to_the_flips_by_name() -> None:
    from multiaug.core.augmenter import _EXTERNAL_KERNELS

    assert "caption" in _EXTERNAL_KERNELS["image.HorizontalFlip"]
    assert "caption" in _EXTERNAL_KERNELS["image.VerticalFlip"]


def test_through_a_real_image_pipeline() -> None:
    image_mod = pytest.importorskip("multiaug.image")
    img = np.arange(2 * 3 * 3, dtype=np.uint8).reshape(2, 3, 3)
    sample = {"image": img, "caption": "the dog is left of the upright lamp", "text": "left alone"}
    out = ma.Pipeline([image_mod.HorizontalFlip(p=1.0)], seed=0)(sample)
    assert np.array_equal(out["image"], img[:, ::-1])
    assert out["caption"] == "the dog is right of the upright lamp"
    assert out["text"] == "left alone", "plain text does not describe the image"
    out = ma.Pipeline([image_mod.VerticalFlip(p=1.0)], seed=0)({"image": img, "caption": "a bird above a top hat"})
    assert out["caption"] == "a bird below a bottom hat"
    assert "caption" in image_mod.HorizontalFlip.target_kinds()
