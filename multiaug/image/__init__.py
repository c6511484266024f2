"""Image augmentations: geometric, colour, filters and noise, erasing, mixing and policies.

Every geometric step moves ``mask``, ``bboxes`` and ``keypoints`` fields with the image; see
:mod:`multiaug.image.targets` for the box formats and how keypoints that leave the image are
flagged. Images are HxW or HxWxC numpy arrays (uint8, or float32 in [0, 1]); PIL images and
torch CxHxW tensors are converted by the pipeline and given back in the same type.

Example:
    >>> import numpy as np
    >>> import multiaug as ma
    >>> from multiaug import image as I
    >>> pipe = ma.Pipeline([I.HorizontalFlip(p=1.0)], seed=0)
    >>> out = pipe(image=np.zeros((4, 6, 3), np.uint8), bboxes=[[0, 0, 2, 2]], bbox_labels=[5])
    >>> out["bboxes"].tolist(), out["bbox_labels"]
    ([[4.0, 0.0, 6.0, 2.0]], [5])
"""

from multiaug.image.blur_noise import (
    GaussianBlur,
    GaussianNoise,
    JpegCompression,
    MedianBlur,
    MotionBlur,
    SaltAndPepper,
    Sharpen,
)
from multiaug.image.color import (
    AutoContrast,
    ColorJitter,
    Equalize,
    Grayscale,
    Invert,
    Posterize,
    RandomBrightnessContrast,
    RandomGamma,
    Solarize,
)
from multiaug.image.erase import CoarseDropout, RandomErasing
from multiaug.image.geometric import (
    Affine,
    CenterCrop,
    ElasticTransform,
    HorizontalFlip,
    Pad,
    Perspective,
    RandomCrop,
    RandomResizedCrop,
    RandomRotate90,
    Resize,
    Rotate,
    Transpose,
    VerticalFlip,
)
from multiaug.image.mix import CutMix, MixUp
from multiaug.image.policies import RandAugment, TrivialAugmentWide
from multiaug.image.targets import keypoints_visible

__all__ = [
    "Affine",
    "AutoContrast",
    "CenterCrop",
    "CoarseDropout",
    "ColorJitter",
    "CutMix",
    "ElasticTransform",
    "Equalize",
    "GaussianBlur",
    "GaussianNoise",
    "Grayscale",
    "HorizontalFlip",
    "Invert",
    "JpegCompression",
    "MedianBlur",
    "MixUp",
    "MotionBlur",
    "Pad",
    "Perspective",
    "Posterize",
    "RandAugment",
    "RandomBrightnessContrast",
    "RandomCrop",
    "RandomErasing",
    "RandomGamma",
    "RandomResizedCrop",
    "RandomRotate90",
    "Resize",
    "Rotate",
    "SaltAndPepper",
    "Sharpen",
    "Solarize",
    "Transpose",
    "TrivialAugmentWide",
    "VerticalFlip",
    "keypoints_visible",
]
