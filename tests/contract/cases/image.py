"""Contract cases of the image steps (registry name -> Case)."""

from __future__ import annotations

from tests.contract.case import Case

CASES = {
    "image.RandomCrop": Case(kwargs={"height": 32, "width": 40}, why="the crop size is a required argument"),
    "image.CenterCrop": Case(kwargs={"height": 32, "width": 40}, why="the crop size is a required argument"),
    "image.Resize": Case(kwargs={"height": 30, "width": 50}, why="the output size is a required argument"),
    "image.RandomResizedCrop": Case(kwargs={"size": (40, 40)}, why="the output size is a required argument"),
    "image.MixUp": Case(
        kwargs={"num_classes": 10},
        batch_only=True,
        why="mixes samples of a batch; integer labels need num_classes to become soft labels",
    ),
    "image.CutMix": Case(
        kwargs={"num_classes": 10},
        batch_only=True,
        why="mixes samples of a batch; integer labels need num_classes to become soft labels",
    ),
}


def _low_contrast_sample() -> dict:
    from tests.contract.samples import image_sample

    sample = image_sample()
    sample["image"] = (sample["image"] // 2 + 40).astype("uint8")
    return sample


CASES["image.AutoContrast"] = Case(
    sample=_low_contrast_sample, why="the default sample already spans 0..255, which AutoContrast leaves alone"
)
