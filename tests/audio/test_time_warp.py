"""The time warp (compiled, OpenCV and NumPy paths) against a straightforward reference implementation."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import multiaug as ma
from multiaug import audio as A
from multiaug.audio import spec_kernels
from multiaug.audio import specaugment as S
from multiaug.audio.spec_kernels import copy_filling_columns, warp_frames_major
from multiaug.audio.specaugment import POLICIES, apply_masks
from multiaug.core.fields import Sample


def reference_warp(spec: np.ndarray, length: int, center: int, shift: int) -> np.ndarray:
    """Column by column, in float64: output frame j reads source position p(j), linearly interpolated.

    Frames are unit intervals: [-0.5, center - 0.5] maps linearly onto [-0.5, dest - 0.5] and
    [center - 0.5, length - 0.5] onto [dest - 0.5, length - 0.5] (dest = center + shift), each part
    reading only its own source frames; frames from ``length`` on are copied as they are.
    """
    out = spec.astype(np.float64)
    src = spec.astype(np.float64)
    dest = center + shift
    for j in range(length):
        if j < dest:
            p = min(max((j + 0.5) * center / dest - 0.5, 0.0), center - 1)
        else:
            p = min(max(center - 0.5 + (j - dest + 0.5) * (length - center) / (length - dest), center), length - 1)
        k = min(int(np.floor(p)), length - 1)
        k1 = min(k + 1, length - 1)
        out[..., j] = (1 - (p - k)) * src[..., k] + (p - k) * src[..., k1]
    return out


@pytest.fixture(params=["compiled", "opencv", "numpy"])
def backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test with each warp path: the compiled kernel, OpenCV's resize, and plain NumPy."""
    if request.param == "compiled":
        if warp_frames_major() is None:
            pytest.skip("numba is not installed (it comes with the audio extra)")
    else:
        monkeypatch.setattr(S, "warp_frames_major", lambda: None)
        monkeypatch.setattr(S, "copy_filling_columns", lambda: None)
    if request.param == "numpy":
        monkeypatch.setattr(S.F, "opencv", lambda: None)
    return request.param


def _warps(length: int) -> list[tuple[int, int]]:
    last = length - 1
    return [(length // 2, 7), (length // 3, -(length // 4)), (1, 1), (last - 1, -(last - 2)), (last - 2, 1), (2, -1)]


@pytest.mark.parametrize(("shape", "dtype", "length"), [
    ((80, 500), np.float32, 500),
    ((2, 30, 90), np.float32, 90),
    ((40, 120), np.float64, 120),
    ((40, 120), np.float32, 77),  # padded: frames 77.. are padding
    ((16, 60), np.float16, 60),
])
def test_numpy_warp_matches_the_reference(shape: tuple[int, ...], dtype: type, length: int, backend: str) -> None:
    spec = np.random.default_rng(0).normal(-20, 8, size=shape).astype(dtype)
    before = spec.copy()
    for center, shift in _warps(length):
        lengths = [length] if length < shape[-1] else None
        out = apply_masks(spec, [{"warp": [center, shift]}], lengths=lengths)
        ref = reference_warp(spec, length, center, shift)
        assert out.shape == spec.shape and out.dtype == spec.dtype
        tol = 0.05 if dtype == np.float16 else 1e-4
        np.testing.assert_allclose(out.astype(np.float64), ref, atol=tol, rtol=0)
        assert np.array_equal(out[..., length:], spec[..., length:])  # padding copied exactly
        if shift > 0:  # a stretched start or a squeezed end keeps its outermost frame
            assert np.array_equal(out[..., 0], spec[..., 0])
        else:
            np.testing.assert_allclose(out[..., length - 1].astype(np.float64), spec[..., length - 1], atol=tol)
    assert np.array_equal(spec, before)  # the input is never written


@pytest.mark.parametrize("layout", ["fortran", "strided"])
def test_numpy_warp_of_non_contiguous_input(layout: str, backend: str) -> None:
    base = np.random.default_rng(1).standard_normal((30, 200)).astype(np.float32)
    spec = np.asfortranarray(base) if layout == "fortran" else base[:, ::2]
    out = apply_masks(spec, [{"warp": [40, -15]}])
    np.testing.assert_allclose(out, reference_warp(spec, spec.shape[-1], 40, -15), atol=1e-5)


def test_warp_then_masks_fill_with_the_mean_of_the_warped_frames(backend: str) -> None:
    spec = np.random.default_rng(2).normal(-30, 10, size=(40, 150)).astype(np.float32)
    ex = {"warp": [60, 20], "freq": [[5, 12]], "time": [[10, 30], [25, 40], [100, 101]]}
    out = apply_masks(spec, [ex], "mean")
    warped = reference_warp(spec, 150, 60, 20)
    masked = np.zeros(spec.shape, bool)
    masked[5:12] = True
    masked[:, 10:40] = True
    masked[:, 100] = True
    np.testing.assert_allclose(out[masked], warped.mean(), rtol=1e-5)
    np.testing.assert_allclose(out[~masked], warped[~masked], atol=1e-4)


def test_warp_step_and_specaugment_agree_with_the_reference_through_a_pipeline(backend: str) -> None:
    spec = np.random.default_rng(3).standard_normal((80, 300)).astype(np.float32)
    pipe = ma.Pipeline([A.TimeWarp(W=40, p=1.0)], seed=5)
    for index in range(5):
        out, rec = pipe({"spectrogram": spec}, index=index, return_record=True)
        warp = rec["steps"][0]["params"]["examples"][0]["warp"]
        expected = reference_warp(spec, 300, *warp) if warp else spec
        np.testing.assert_allclose(out["spectrogram"], expected, atol=1e-4)


def test_bad_warp_parameters_are_an_augmentation_error() -> None:
    spec = np.zeros((10, 50), np.float32)
    sample = Sample({"spectrogram": spec}, {"spectrogram": "spectrogram"})
    step = A.TimeWarp(W=5)
    for warp in ([0, 3], [10, -10], [48, 1], [10, 39], ["a", 1], [3]):
        with pytest.raises(ma.AugmentationError, match="warp"):
            step.apply(sample, {"examples": [{"warp": warp}], "lengths": [50]})


@pytest.mark.parametrize("policy", ["LB", "SM"])
def test_warp_draws_cover_the_whole_allowed_range(policy: str) -> None:
    W, frames = POLICIES[policy]["W"], 200
    step = A.SpecAugment(policy=policy)
    sample = Sample({"spectrogram": np.zeros((20, frames), np.float32)}, {"spectrogram": "spectrogram"})
    rng = np.random.default_rng(0)
    warps = [step.make_params(sample, rng)["examples"][0]["warp"] for _ in range(3000)]
    centers = [w[0] for w in warps if w]
    shifts = {w[1] for w in warps if w}
    assert min(centers) == W + 1 and max(centers) == frames - 2 - W
    assert shifts == set(range(-W, W + 1)) - {0}


def _compiled_warp() -> object:
    warp = warp_frames_major()
    if warp is None:
        pytest.skip("numba is not installed (it comes with the audio extra)")
    return warp


def test_compiled_warp_sums_the_warped_frames_and_copies_the_padding() -> None:
    warp = _compiled_warp()
    # the long case accumulates over more than one flush (256 frames) of the per-bin sums
    for dtype, (bins, frames, length, center, dest) in itertools.product(
            (np.float32, np.float64), [(48, 130, 100, 37, 52), (12, 1500, 1400, 900, 700)]):
        spec = np.random.default_rng(4).normal(-25, 9, size=(bins, frames)).astype(dtype)
        src_t = np.ascontiguousarray(spec.T)
        out_t = np.empty_like(src_t)
        total = warp(src_t, out_t, length, center, dest, True)
        np.testing.assert_allclose(out_t.T[:, :length], reference_warp(spec, length, center, dest - center)[:, :length],
                                   atol=1e-4)
        assert np.array_equal(out_t[length:], src_t[length:])
        np.testing.assert_allclose(total, out_t[:length].sum(dtype=np.float64), rtol=1e-6)
        assert warp(src_t, out_t, length, center, dest, False) == 0.0


@pytest.mark.parametrize("policy", ["LD", "SS", "adaptive"])
@pytest.mark.parametrize(("shape", "length"), [((80, 300), 300), ((2, 30, 190), 170), ((40, 260), 217)])
def test_every_path_gives_what_plain_numpy_gives(policy: str, shape: tuple[int, ...], length: int,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """SpecAugment's draws, warped and masked with each fill: the default path (compiled warp,
    frames-major copies) against OpenCV's resize and against plain NumPy."""
    spec = np.random.default_rng(8).normal(-30, 10, size=shape).astype(np.float32)
    step = A.SpecAugment(policy=policy, p=1.0)
    sample = Sample({"spectrogram": spec, "spectrogram_lengths": [length]},
                    {"spectrogram": "spectrogram", "spectrogram_lengths": "spectrogram_lengths"})
    examples = [step.make_params(sample, np.random.default_rng(i))["examples"] for i in range(12)]
    assert any(ex[0].get("warp") for ex in examples) == (policy != "adaptive")
    cases = [(ex, fill) for ex in examples for fill in ("mean", "zero")]
    default = [apply_masks(spec, ex, fill, [length]) for ex, fill in cases]
    monkeypatch.setattr(S, "warp_frames_major", lambda: None)
    monkeypatch.setattr(S, "copy_filling_columns", lambda: None)
    resized = [apply_masks(spec, ex, fill, [length]) for ex, fill in cases]
    monkeypatch.setattr(S.F, "opencv", lambda: None)
    for (ex, fill), a, b in zip(cases, default, resized):
        plain = apply_masks(spec, ex, fill, [length])
        for out in (a, b):
            assert out.shape == spec.shape and out.dtype == spec.dtype
            np.testing.assert_allclose(out, plain, atol=1e-4, rtol=0)


def test_multiaug_jit_0_turns_the_compiled_kernels_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spec_kernels, "_compiled", {})
    monkeypatch.setenv("MULTIAUG_JIT", "0")
    assert spec_kernels.warp_frames_major() is None and spec_kernels.copy_filling_columns() is None


def test_compiled_copy_filling_columns() -> None:
    copy = copy_filling_columns()
    if copy is None:
        pytest.skip("numba is not installed (it comes with the audio extra)")
    rng = np.random.default_rng(7)
    for dtype, (rows, cols) in itertools.product((np.float32, np.float64), [(20, 30), (1, 1), (3, 200)]):
        src = rng.standard_normal((rows, cols)).astype(dtype)
        runs = rng.integers(-5, cols + 5, size=(6, 2))  # overlapping, reversed (empty), out of range
        expected = src.copy()
        for a, b in runs:
            expected[:, max(0, a) : max(0, b)] = -7.5
        out = np.full_like(src, np.nan)
        copy(src, out, runs.reshape(-1), -7.5)
        assert np.array_equal(out, expected)


def test_time_masks_that_are_not_integer_pairs_are_an_augmentation_error() -> None:
    spec = np.zeros((10, 50), np.float32)
    sample = Sample({"spectrogram": spec}, {"spectrogram": "spectrogram"})
    step = A.SpecAugment(policy="LD")
    for spans in ([[1, 2, 3]], [[1.5, 4.0]], [3]):
        with pytest.raises(ma.AugmentationError):
            step.apply(sample, {"examples": [{"time": spans}], "lengths": [50]})


def test_masks_without_a_warp_fill_with_the_mean_on_every_path(backend: str) -> None:
    spec = np.random.default_rng(6).normal(-30, 10, size=(40, 150)).astype(np.float32)
    ex = {"freq": [[5, 12]], "time": [[10, 30], [100, 101]]}
    out = apply_masks(spec, [ex], "mean")
    masked = np.zeros(spec.shape, bool)
    masked[5:12] = True
    masked[:, 10:30] = True
    masked[:, 100] = True
    np.testing.assert_allclose(out[masked], spec.mean(dtype=np.float64), rtol=1e-5)
    assert np.array_equal(out[~masked], spec[~masked])
