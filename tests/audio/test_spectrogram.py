"""Spectrogram features against librosa; SpecAugment masks within policy bounds (NumPy and torch)."""

from __future__ import annotations

import numpy as np
import pytest

import multiaug as ma
from multiaug import audio as A
from multiaug.audio.specaugment import POLICIES, apply_masks
from multiaug.core.fields import Sample

SR = 16000


def _audio(n: int = SR, channels: int = 1) -> np.ndarray:
    rng = np.random.default_rng(0)
    t = np.arange(n) / SR
    x = (0.3 * np.sin(2 * np.pi * 440 * t) + 0.05 * rng.standard_normal(n)).astype(np.float32)
    return x if channels == 1 else np.stack([x, 0.5 * x][:channels])


def test_mel_spectrogram_matches_librosa() -> None:
    librosa = pytest.importorskip("librosa")
    x = _audio()
    ours = A.MelSpectrogram(n_fft=400, hop_length=160, n_mels=64, log=None)({"audio": x, "sample_rate": SR})
    ref = librosa.feature.melspectrogram(y=x, sr=SR, n_fft=400, hop_length=160, n_mels=64, center=True,
                                         pad_mode="constant", power=2.0)
    assert ours["spectrogram"].shape == ref.shape
    np.testing.assert_allclose(ours["spectrogram"], ref, rtol=1e-3, atol=1e-6 * ref.max())


def test_spectrogram_matches_librosa_stft_in_db_and_stereo() -> None:
    librosa = pytest.importorskip("librosa")
    x = _audio(channels=2)
    ours = A.Spectrogram(n_fft=512, hop_length=128)({"audio": x, "sample_rate": SR})["spectrogram"]
    ref = np.abs(librosa.stft(x, n_fft=512, hop_length=128, center=True, pad_mode="constant")) ** 2
    assert ours.shape == ref.shape == (2, 257, 1 + SR // 128)
    np.testing.assert_allclose(ours, 10 * np.log10(np.maximum(ref, 1e-10)), atol=2e-3)


def test_clip_shorter_than_the_window_gives_finite_frames() -> None:
    out = A.MelSpectrogram(n_fft=400, hop_length=160)({"audio": _audio(100), "sample_rate": SR})
    assert out["spectrogram"].shape == (80, 1) and np.isfinite(out["spectrogram"]).all()


def _spec_sample(spec, **extra) -> Sample:
    data = {"spectrogram": spec, **extra}
    return Sample(data, {k: k for k in data})


def _bands(mask_axis: np.ndarray) -> list[tuple[int, int]]:
    """Runs of True in a 1-D boolean array as [start, end)."""
    padded = np.concatenate([[False], mask_axis, [False]]).astype(int)
    edges = np.flatnonzero(np.diff(padded))
    return list(zip(edges[::2], edges[1::2]))


@pytest.mark.parametrize("policy", ["LB", "LD", "SM", "SS", "adaptive"])
def test_specaugment_params_within_policy_bounds(policy: str) -> None:
    pol = POLICIES[policy]
    step = A.SpecAugment(policy=policy)
    rng = np.random.default_rng(0)
    spec = np.zeros((80, 500), np.float32)
    for _ in range(200):
        params = step.make_params(_spec_sample(spec), rng)
        ex = params["examples"][0]
        assert len(ex["freq"]) <= pol["mF"]
        assert all(0 < f1 - f0 <= pol["F"] and 0 <= f0 and f1 <= 80 for f0, f1 in ex["freq"])
        if policy == "adaptive":
            max_count, max_width = min(20, int(0.04 * 500)), int(0.04 * 500)
        else:
            max_count, max_width = pol["mT"], min(pol["T"], int(pol["p"] * 500))
        assert len(ex["time"]) <= max_count
        assert all(0 < t1 - t0 <= max_width and 0 <= t0 and t1 <= 500 for t0, t1 in ex["time"])
        if ex["warp"]:
            c, w = ex["warp"]
            assert pol["W"] < c < 500 - 1 - pol["W"] and 0 < abs(w) <= pol["W"]


def test_masks_applied_exactly_with_mean_and_zero_fill() -> None:
    spec = np.arange(40 * 60, dtype=np.float32).reshape(40, 60)
    ex = [{"freq": [[5, 9]], "time": [[20, 31], [50, 52]]}]
    for fill, value in (("zero", 0.0), ("mean", float(spec.mean()))):
        out = apply_masks(spec, ex, fill)
        masked = np.zeros_like(spec, bool)
        masked[5:9] = True
        masked[:, 20:31] = True
        masked[:, 50:52] = True
        np.testing.assert_allclose(out[masked], value, rtol=1e-6)
        assert np.array_equal(out[~masked], spec[~masked])


def test_adaptive_policy_scales_with_length() -> None:
    step = A.SpecAugment(policy="adaptive")
    rng = np.random.default_rng(1)
    counts = {}
    for frames in (100, 1000):
        spec = np.zeros((80, frames), np.float32)
        counts[frames] = max(len(step.make_params(_spec_sample(spec), rng)["examples"][0]["time"]) for _ in range(50))
    assert counts[100] <= 4 < counts[1000] <= 20


@pytest.fixture(params=["cpu-kernels", "torch-ops"])
def torch_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a torch test through the NumPy kernels (CPU tensors) and through the torch operations (as on a GPU)."""
    if request.param == "torch-ops":
        from multiaug.audio import specaugment as S

        monkeypatch.setattr(S, "_apply_torch_cpu", S._apply_torch_ops)
    return request.param


def test_torch_batch_independent_masks_within_lengths(torch_path: str) -> None:
    torch = pytest.importorskip("torch")
    batch = torch.randn(4, 80, 300) + 5.0
    lengths = [300, 250, 120, 60]
    for k, n in enumerate(lengths):
        batch[k, :, n:] = 0.0  # padding
    pipe = ma.Pipeline([A.SpecAugment(policy="LD", fill="zero", p=1.0)], seed=0)
    out, rec = pipe({"spectrogram": batch, "spectrogram_lengths": lengths}, return_record=True)
    result = out["spectrogram"]
    assert isinstance(result, torch.Tensor) and result.shape == batch.shape and result.device == batch.device
    examples = rec["steps"][0]["params"]["examples"]
    assert len(examples) == 4 and len({str(e) for e in examples}) == 4  # independent draws
    for k, (ex, n) in enumerate(zip(examples, lengths)):
        assert all(t1 <= n and t1 - t0 <= min(100, n) for t0, t1 in ex["time"])
        if ex["warp"]:
            assert ex["warp"][0] + abs(ex["warp"][1]) < n
        assert torch.equal(result[k, :, n:], batch[k, :, n:])  # padding untouched
        zeros = (result[k, :, :n] == 0).numpy()
        time_masked = zeros.all(axis=0)
        for t0, t1 in ex["time"]:
            assert time_masked[t0:t1].all()
    # replay gives the same tensor
    assert torch.equal(pipe.replay(rec, {"spectrogram": batch, "spectrogram_lengths": lengths})["spectrogram"], result)


def test_torch_and_numpy_kernels_agree(torch_path: str) -> None:
    torch = pytest.importorskip("torch")
    spec = np.random.default_rng(0).standard_normal((40, 120)).astype(np.float32)
    ex = [{"warp": [50, 7], "freq": [[3, 10]], "time": [[30, 45]]}]
    a = apply_masks(spec, ex, "mean")
    b = apply_masks(torch.from_numpy(spec), ex, "mean").numpy()
    np.testing.assert_allclose(a, b, atol=1e-5)


def test_mean_fill_ignores_padding_in_torch_batches(torch_path: str) -> None:
    torch = pytest.importorskip("torch")
    batch = torch.ones(2, 10, 20)
    batch[1, :, 10:] = -100.0  # padding with a wild value
    ex = [{"time": [[0, 2]]}, {"time": [[0, 2]]}]
    out = apply_masks(batch, ex, "mean", lengths=[20, 10])
    assert torch.allclose(out[1, :, :2], torch.ones(10, 2))


def test_time_mask_masks_the_same_span_in_audio_and_spectrogram() -> None:
    x = _audio(SR) + 1.0
    spec = A.MelSpectrogram(n_mels=20)({"audio": x, "sample_rate": SR})["spectrogram"]
    out, rec = ma.Pipeline([A.TimeMask(width=(0.2, 0.3), p=1.0)], seed=4)(
        {"audio": x, "sample_rate": SR, "spectrogram": spec}, return_record=True)
    (a, b), = rec["steps"][0]["params"]["spans"][0]
    silent = np.flatnonzero(out["audio"] == 0)
    frames = np.flatnonzero((out["spectrogram"] == 0).all(axis=0))
    assert silent[0] / SR == pytest.approx(a, abs=1 / SR) and (silent[-1] + 1) / SR == pytest.approx(b, abs=1 / SR)
    hop_s = 160 / SR
    assert frames[0] * hop_s == pytest.approx(a, abs=hop_s) and (frames[-1] + 1) * hop_s == pytest.approx(b, abs=hop_s)


def test_time_mask_cap_on_masked_fraction() -> None:
    step = A.TimeMask(width=(0.3, 0.5), num_masks=5, max_fraction=0.4)
    rng = np.random.default_rng(0)
    sample = Sample({"audio": np.ones(1000, np.float32), "sample_rate": SR},
                    {"audio": "audio", "sample_rate": "sample_rate"})
    for _ in range(50):
        params = step.make_params(sample, rng)
        assert sum(b - a for a, b in params["spans"][0]) <= 0.4 + 1e-9
        out = step.apply(sample, params)["audio"]
        assert (out == 0).mean() <= 0.4 + 1e-3


def test_frequency_mask_numpy_channels_share_masks() -> None:
    spec = np.ones((2, 30, 50), np.float32)
    out = ma.Pipeline([A.FrequencyMask(F=10, num_masks=2, p=1.0)], seed=3)({"spectrogram": spec}, index=1)
    masked = out["spectrogram"] == 0
    assert np.array_equal(masked[0], masked[1]) and masked.any()
    for f0, f1 in _bands(masked[0].all(axis=1)):
        assert f1 - f0 <= 20  # two bands of <= 10 bins may touch


def test_time_warp_moves_transcript_and_needs_single_example() -> None:
    spec = np.random.default_rng(0).standard_normal((20, 101)).astype(np.float32)
    transcript = {"text": "w", "words": [{"word": "w", "start": 0.30, "end": 0.40}]}
    step = A.TimeWarp(W=20, hop_length=160)
    params = {"examples": [{"warp": [40, 10]}], "lengths": [101]}
    sample = Sample({"spectrogram": spec, "transcript": transcript, "sample_rate": SR},
                    {"spectrogram": "spectrogram", "transcript": "transcript", "sample_rate": "sample_rate"})
    out = step.apply(sample, params)
    word = out["transcript"]["words"][0]
    # frames are intervals: [-0.5, 39.5] -> [-0.5, 49.5] and [39.5, 100.5] -> [49.5, 100.5] (frame = 10 ms)
    # 0.3 s = frame 30 -> 30.5 * 50 / 40 - 0.5 = 37.625; 0.4 s = frame 40 -> 49.5 + 0.5 * 51 / 61
    assert word["start"] == pytest.approx(0.37625) and word["end"] == pytest.approx((49.5 + 0.5 * 51 / 61) / 100)


def test_specaugment_on_pipeline_output_of_mel() -> None:
    pipe = ma.Pipeline([A.MelSpectrogram(), A.SpecAugment(policy="SM")], seed=0)
    out = pipe({"audio": _audio(3 * SR), "sample_rate": SR})
    assert out["spectrogram"].shape == (80, 301) and np.isfinite(out["spectrogram"]).all()


def test_time_and_frequency_masks_on_a_torch_batch_with_tensor_lengths(torch_path: str) -> None:
    torch = pytest.importorskip("torch")
    batch = torch.ones(3, 16, 100, dtype=torch.float64)
    lengths = torch.tensor([100, 50, 20])
    pipe = ma.Pipeline([A.TimeMask(width=(0.2, 0.2), p=1.0), A.FrequencyMask(F=4, num_masks=1, p=1.0)], seed=0)
    out, rec = pipe({"spectrogram": batch, "spectrogram_lengths": lengths}, return_record=True)
    result = out["spectrogram"]
    assert result.dtype == torch.float64 and result.device == batch.device
    spans = rec["steps"][0]["params"]["spans"]
    for k, n in enumerate([100, 50, 20]):
        masked = (result[k] == 0).all(dim=0)
        assert int(masked.sum()) == round(0.2 * n)  # a fifth of this example's own length
        assert not masked[n:].any() and torch.equal(result[k, :, n:], batch[k, :, n:])
        a, b = spans[k][0]
        assert masked[round(a * n) : round(b * n)].all()
    with pytest.raises(ma.AugmentationError, match="one length per example"):
        pipe({"spectrogram": batch, "spectrogram_lengths": [100, 50]})


@pytest.mark.parametrize("shape", [(6, 40, 200), (3, 2, 24, 150), (40, 200)])
@pytest.mark.parametrize("fill", ["mean", "zero"])
def test_cpu_tensors_through_numpy_kernels_equal_the_torch_operations(shape: tuple[int, ...], fill: str) -> None:
    """CPU float tensors go example by example through the NumPy kernels; the torch-ops path (as on
    a GPU) must give the same warps, masks, fills and untouched padding."""
    torch = pytest.importorskip("torch")
    from multiaug.audio import specaugment as S

    batch = torch.from_numpy(np.random.default_rng(9).normal(-30, 10, size=shape).astype(np.float32))
    n = shape[0] if len(shape) >= 3 else 1
    frames = shape[-1]
    lengths = [frames - 23 * k for k in range(n)]
    step = A.SpecAugment(policy="SS", p=1.0)  # W=40: every length here can be warped
    sample = ma.Sample({"spectrogram": batch, "spectrogram_lengths": lengths},
                       {"spectrogram": "spectrogram", "spectrogram_lengths": "spectrogram_lengths"})
    for seed in range(4):
        examples = step.make_params(sample, np.random.default_rng(seed))["examples"]
        assert any(ex.get("warp") for ex in examples)
        fast = apply_masks(batch, examples, fill, lengths)
        reference = S._apply_torch_ops(torch, batch, examples, fill, lengths)
        assert fast.shape == batch.shape and fast.dtype == batch.dtype and fast.is_contiguous()
        torch.testing.assert_close(fast, reference, atol=1e-4, rtol=0)
    assert torch.equal(batch, torch.from_numpy(np.random.default_rng(9).normal(-30, 10, size=shape).astype(np.float32)))


def test_tensors_that_need_a_gradient_keep_it() -> None:
    torch = pytest.importorskip("torch")
    batch = torch.randn(2, 10, 60, requires_grad=True)
    ex = [{"warp": [30, 5], "freq": [[1, 3]], "time": [[4, 9]]}, {"time": [[0, 2]]}]
    out = apply_masks(batch, ex, "mean", lengths=[60, 50])
    assert out.requires_grad
    out.sum().backward()
    assert batch.grad is not None and batch.grad.shape == batch.shape


def test_params_for_another_number_of_examples_are_an_augmentation_error(torch_path: str) -> None:
    torch = pytest.importorskip("torch")
    batch = torch.zeros(3, 10, 60)
    step = A.SpecAugment(policy="LD")
    sample = Sample({"spectrogram": batch}, {"spectrogram": "spectrogram"})
    for examples in ([{"time": [[1, 2]]}] * 2, []):
        with pytest.raises(ma.AugmentationError, match="examples"):
            step.apply(sample, {"examples": examples, "lengths": [60, 60, 60]})
    with pytest.raises(ma.AugmentationError, match="examples"):
        apply_masks(np.zeros((10, 60), np.float32), [])
