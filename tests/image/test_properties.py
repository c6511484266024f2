"""Property tests: every image step keeps dtype and layout for shapes from 1x1 up, 1/3/4 channels, uint8 and float32."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import multiaug as ma
from multiaug import image as I
from multiaug.image import functional as F

SHAPE_KEEPING = [
    I.HorizontalFlip(p=1), I.VerticalFlip(p=1), I.Rotate(p=1), I.Affine(p=1), I.Perspective(p=1),
    I.ElasticTransform(p=1), I.RandomBrightnessContrast(p=1), I.RandomGamma(p=1), I.Posterize(p=1),
    I.Solarize(p=1), I.Equalize(p=1), I.AutoContrast(p=1), I.Invert(p=1), I.GaussianBlur(p=1),
    I.MotionBlur(p=1), I.MedianBlur(p=1), I.Sharpen(p=1), I.GaussianNoise(p=1), I.SaltAndPepper(p=1),
    I.JpegCompression(p=1), I.CoarseDropout(p=1), I.RandomErasing(p=1),
]  # fmt: skip
RGB_ONLY = [I.ColorJitter(p=1), I.Grayscale(p=1), I.RandAugment(), I.TrivialAugmentWide()]


@st.composite
def images(draw, channels=(None, 1, 3, 4)):
    h = draw(st.integers(1, 24))
    w = draw(st.integers(1, 24))
    c = draw(st.sampled_from(channels))
    shape = (h, w) if c is None else (h, w, c)
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    if draw(st.booleans()):
        return rng.integers(0, 256, shape, dtype=np.uint8)
    return rng.random(shape, dtype=np.float32)


@settings(max_examples=40, deadline=None)
@given(img=images(), which=st.integers(0, len(SHAPE_KEEPING) - 1), seed=st.integers(0, 1000))
def test_steps_keep_dtype_layout_and_range(img, which, seed):
    out = ma.Pipeline([SHAPE_KEEPING[which]], seed=seed)(img)
    assert out.shape == img.shape and out.dtype == img.dtype
    if out.dtype == np.float32:
        assert np.isfinite(out).all() and out.min() >= 0 and out.max() <= 1


@settings(max_examples=25, deadline=None)
@given(img=images(channels=(3, 4)), which=st.integers(0, len(RGB_ONLY) - 1), seed=st.integers(0, 1000))
def test_colour_steps_on_rgb(img, which, seed):
    out = ma.Pipeline([RGB_ONLY[which]], seed=seed)(img)
    assert out.shape == img.shape and out.dtype == img.dtype


@settings(max_examples=30, deadline=None)
@given(img=images(), k=st.integers(0, 7))
def test_rot90_kernel_matches_numpy(img, k):
    assert np.array_equal(F.rot90(img, k), np.rot90(img, k))
    assert np.array_equal(F.hflip(img), img[:, ::-1]) and np.array_equal(F.vflip(img), img[::-1])


@settings(max_examples=30, deadline=None)
@given(img=images(), seed=st.integers(0, 1000), size=st.tuples(st.integers(1, 30), st.integers(1, 30)))
def test_geometric_shapes(img, seed, size):
    out = ma.Pipeline([I.Resize(*size)], seed=seed)(img)
    assert out.shape[:2] == size and out.shape[2:] == img.shape[2:] and out.dtype == img.dtype
    out = ma.Pipeline([I.RandomRotate90(p=1), I.Pad(1)], seed=seed)(img)
    assert out.dtype == img.dtype and out.ndim == img.ndim


@settings(max_examples=40, deadline=None)
@given(img=images(channels=(None, 1, 3)))
def test_luts_agree_with_float_path(img):
    if img.dtype != np.uint8:
        return
    f = img.astype(np.float32) / 255
    for fn in (lambda x: x * 1.3, lambda x: np.sqrt(x), lambda x: 1 - x):
        a = F.point(img, fn).astype(np.float64)
        b = F.point(f, fn).astype(np.float64) * 255
        assert np.abs(a - b).max() <= 0.5 + 1e-3
