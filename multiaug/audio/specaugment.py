"""Masking and warping: TimeMask, FrequencyMask, TimeWarp and SpecAugment.

Spectrograms are NumPy arrays ``(F, T)`` or ``(C, F, T)`` (one example; channels share the
masks), or torch tensors: ``(F, T)`` is one example, ``(B, F, T)`` (or ``(B, C, F, T)``) is a
batch whose examples get independent masks. A ``spectrogram_lengths`` field (one length in
frames per example) marks the valid frames of padded batches: masks and warps stay inside
each example's length and the padding is never counted as speech (nor used for the mean fill).
Torch tensors are processed with torch operations on their own device, except float32 and
float64 CPU tensors that need no gradient: those go example by example through the NumPy
kernels (zero-copy views, one copy out), which is several times faster on a CPU and gives the
same result. There is no global RNG: every random draw happens in ``make_params``.

Example:
    >>> import numpy as np
    >>> from multiaug import audio as A
    >>> spec = np.zeros((80, 500), np.float32)
    >>> out = A.SpecAugment(policy="LD", p=1.0)({"spectrogram": spec + 1.0})
    >>> out["spectrogram"].shape
    (80, 500)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from multiaug.audio import functional as F
from multiaug.audio._common import sample_rate_of
from multiaug.audio.spec_kernels import copy_filling_columns, warp_frames_major
from multiaug.audio.timemap import TimeMap, map_transcript
from multiaug.core.augmenter import Augmenter
from multiaug.core.errors import AugmentationError
from multiaug.core.fields import Sample
from multiaug.core.params import check_choice, check_int, check_number, to_range
from multiaug.core.registry import register

__all__ = [
    "POLICIES", "FrequencyMask", "SpecAugment", "TimeMask", "TimeWarp", "apply_masks", "warp_frame",
    "warp_positions",
]

#: SpecAugment policies of Park et al. 2019 (W, F, mF, T, p, mT), and the adaptive policy of
#: Park et al. 2020: time masks whose count (min(20, pM * tau)) and size (pS * tau) follow the
#: utterance length tau (pM = pS = 0.04), F = 27, mF = 2 and no time warp.
POLICIES: dict[str, dict[str, Any]] = {
    "LB": {"W": 80, "F": 27, "mF": 1, "T": 100, "p": 1.0, "mT": 1},
    "LD": {"W": 80, "F": 27, "mF": 2, "T": 100, "p": 1.0, "mT": 2},
    "SM": {"W": 40, "F": 15, "mF": 2, "T": 70, "p": 0.2, "mT": 2},
    "SS": {"W": 40, "F": 27, "mF": 2, "T": 70, "p": 0.2, "mT": 2},
    "adaptive": {"W": 0, "F": 27, "mF": 2, "pM": 0.04, "pS": 0.04, "max_masks": 20},
}


def _is_torch(value: Any) -> bool:
    return type(value).__module__.startswith("torch")


def _layout(spec: Any) -> tuple[int, int, int]:
    """(number of examples, F, T) of a spectrogram value."""
    shape = tuple(spec.shape)
    if len(shape) < 2:
        raise AugmentationError(f"spectrogram must be (F, T), (C, F, T) or a torch batch, got shape {shape}")
    examples = shape[0] if _is_torch(spec) and len(shape) >= 3 else 1
    return examples, shape[-2], shape[-1]


def _lengths(sample: Sample, examples: int, frames: int, step: str) -> list[int]:
    value = sample.first("spectrogram_lengths")
    if value is None:
        return [frames] * examples
    if _is_torch(value):
        value = value.detach().cpu().numpy()
    arr = np.atleast_1d(np.asarray(value))
    if arr.ndim != 1 or arr.shape[0] != examples or not np.issubdtype(arr.dtype, np.number):
        raise AugmentationError(f"spectrogram_lengths must hold one length per example ({examples}), got {value!r}",
                                step=step, field=sample.keys_of("spectrogram_lengths")[0])
    if (arr < 1).any() or (arr > frames).any() or (arr != np.round(arr)).any():
        raise AugmentationError(f"spectrogram_lengths must be whole numbers in [1, {frames}], got {arr.tolist()}",
                                step=step, field=sample.keys_of("spectrogram_lengths")[0])
    return [int(v) for v in arr]


def _spectrogram_layout(sample: Sample, step: str) -> tuple[int, int, list[int]]:
    spec = sample.first("spectrogram")
    if spec is None:
        raise AugmentationError("this step needs a 'spectrogram' field", step=step)
    examples, n_freq, frames = _layout(spec)
    return n_freq, frames, _lengths(sample, examples, frames, step)


def _uniforms(rng: np.random.Generator, count: int) -> Iterator[float]:
    """``count`` uniforms in ``[0, 1)`` from one generator call (each ``rng.integers`` call costs ~1 µs)."""
    return iter(rng.random(count).tolist())


def _draw_bands(u: Iterator[float], size: int, max_width: int, count: int) -> list[list[int]]:
    """``count`` bands ``[start, start + w)`` with ``w ~ U{0..max_width}`` inside ``[0, size)``.

    Uses two uniforms of ``u`` per band (width, then start).
    """
    top = min(max_width, size)
    bands = []
    for _ in range(count):
        w = min(int(next(u) * (top + 1)), top)
        start = min(int(next(u) * (size - w + 1)), size - w)
        if w:
            bands.append([start, start + w])
    return bands


def _warp_possible(length: int, W: int) -> bool:
    return W > 0 and length - 1 - 2 * W >= 2


def _draw_warp(u: Iterator[float], length: int, W: int) -> list[int] | None:
    """Park et al.: a point ``c`` in ``(W, length - 1 - W)`` moves by ``w ~ U{-W..W}``; None if too short.

    Uses two uniforms of ``u`` when the warp is possible, none otherwise.
    """
    if not _warp_possible(length, W):
        return None
    span = length - 2 - 2 * W  # number of allowed centres: W + 1 .. length - 2 - W
    c = W + 1 + min(int(next(u) * span), span - 1)
    w = -W + min(int(next(u) * (2 * W + 1)), 2 * W)
    return [c, w] if w else None


def warp_positions(length: int, center: int, shift: int) -> np.ndarray:
    """Source position (fractional frame) that each output frame ``0..length-1`` of a time warp reads.

    Frames are unit intervals (frame ``t`` spans ``[t - 0.5, t + 0.5]``): the warp maps the source
    span ``[-0.5, center - 0.5]`` linearly onto ``[-0.5, dest - 0.5]`` and ``[center - 0.5,
    length - 0.5]`` onto ``[dest - 0.5, length - 0.5]``, with ``dest = center + shift``. Each part
    reads only its own source frames (positions are clamped to ``[0, center - 1]`` and ``[center,
    length - 1]``), which is exactly what a linear resize of each part does.

    Example:
        >>> warp_positions(6, 2, 2).tolist()
        [0.0, 0.25, 0.75, 1.0, 2.5, 4.5]
    """
    dest = center + shift
    pos = np.arange(length, dtype=np.float64)
    pos += 0.5
    left = pos[:dest]
    left *= center / dest
    left -= 0.5
    np.clip(left, 0.0, center - 1, out=left)
    right = pos[dest:]
    right -= dest
    right *= (length - center) / (length - dest)
    right += center - 0.5
    np.clip(right, center, length - 1, out=right)
    return pos


def warp_frame(frame: float, length: int, center: int, shift: int) -> float:
    """Where a source position (in frames, intervals as in :func:`warp_positions`) lands after the warp.

    Positions from ``length - 0.5`` on (padding) stay where they are.

    Example:
        >>> warp_frame(1.5, 6, 2, 2)
        3.5
    """
    dest = center + shift
    if frame <= center - 0.5:
        return (frame + 0.5) * dest / center - 0.5
    if frame <= length - 0.5:
        return dest - 0.5 + (frame - center + 0.5) * (length - dest) / (length - center)
    return frame


def _check_warp(warp: Any, length: int) -> tuple[int, int]:
    """``(center, shift)`` of a warp entry, or an :class:`AugmentationError` if it cannot be applied."""
    try:
        center, shift = warp
        center, shift = int(center), int(shift)
    except (TypeError, ValueError):
        raise AugmentationError(f"a warp must be [center, shift] (two integers), got {warp!r}") from None
    if not (0 < center < length - 1 and 0 < center + shift < length - 1):
        raise AugmentationError(
            f"warp {[center, shift]} does not fit {length} frames: need 0 < center < {length - 1} "
            f"and 0 < center + shift < {length - 1}")
    return center, shift


def _warp_table(length: int, center: int, shift: int) -> tuple[np.ndarray, np.ndarray]:
    """Left source frame (at most ``length - 2``) and float32 weight of the next frame, per output frame."""
    pos = warp_positions(length, center, shift)
    left = pos.astype(np.intp)
    np.minimum(left, length - 2, out=left)
    pos -= left
    return left, pos.astype(np.float32)


#: The dtypes that OpenCV's resize, transpose and sum and the compiled warp take; others use NumPy.
_CV_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))


def _transpose(flat: np.ndarray) -> np.ndarray:
    """``flat.T`` as a new C-contiguous array."""
    cv2 = F.opencv()
    if cv2 is not None and flat.dtype in _CV_DTYPES and flat.strides[-1] == flat.itemsize:
        return cv2.transpose(flat)
    return np.ascontiguousarray(flat.T)


#: Up to this many float32 values, a sum is one BLAS dot product with a row of ones (about twice
#: as fast as ``cv2.sumElems``); its float32 partial sums keep the relative error near 1e-6 there.
_DOT_SUM_LIMIT = 1 << 20
_ones = np.ones(0, np.float32)


def _total(block: np.ndarray) -> float:
    """Sum of a 2-D block whose rows are contiguous."""
    global _ones
    if block.dtype == np.float32 and block.flags.c_contiguous and block.size <= _DOT_SUM_LIMIT:
        flat = block.reshape(-1)
        if _ones.size < flat.size:
            _ones = np.ones(max(flat.size, 2 * _ones.size), np.float32)
        return float(flat.dot(_ones[: flat.size]))
    cv2 = F.opencv()
    if cv2 is not None and block.dtype in _CV_DTYPES and block.strides[-1] == block.itemsize:
        if block.flags.c_contiguous:
            block = block.reshape(1, -1)  # one long row: OpenCV pays per row
        return float(cv2.sumElems(block)[0])  # accumulates in float64
    acc = np.promote_types(block.dtype, np.float32)  # pairwise sum in float32 (or wider): fast, accurate
    return float(block.sum(dtype=acc))


def apply_masks(spec: Any, examples: list[dict[str, Any]], fill: str = "zero", lengths: list[int] | None = None) -> Any:
    """Warp and mask a spectrogram as described by ``examples`` (one dict per example).

    Each dict may hold ``"warp": [center, shift]`` (or None), ``"freq": [[f0, f1], ...]`` and
    ``"time": [[t0, t1], ...]`` (half-open bin/frame ranges); ``fill`` is ``"zero"`` or
    ``"mean"`` (the mean of the example's valid frames, taken before masking). A NumPy result
    is a new array; after a warp it is usually laid out frames-major (Fortran order, as the
    compiled and the NumPy warps leave it, and as masking it is fastest), which NumPy, torch and
    the other steps read like any array.

    Example:
        >>> out = apply_masks(np.ones((4, 6), np.float32), [{"freq": [[0, 1]], "time": [[2, 4]]}])
        >>> out.astype(int).tolist()[:2]
        [[0, 0, 0, 0, 0, 0], [1, 1, 0, 0, 1, 1]]
    """
    n, _, frames = _layout(spec)
    lengths = lengths or [frames] * n
    if len(examples) != n or len(lengths) != n:
        raise AugmentationError(f"params describe {len(examples)} examples (lengths for {len(lengths)}), "
                                f"the spectrogram holds {n}")
    if _is_torch(spec):
        return _apply_torch(spec, examples, fill, lengths)
    return _apply_numpy(spec, examples[0], fill, lengths[0])


def _apply_numpy(spec: np.ndarray, ex: dict[str, Any], fill: str, length: int) -> np.ndarray:
    frames = spec.shape[-1]
    freq, time, warp = ex.get("freq"), ex.get("time"), ex.get("warp")
    if not (freq or time):
        return _warp_numpy(spec, length, warp)[0] if warp else spec.copy()
    mean = fill == "mean"
    copy = copy_filling_columns() if time and not warp and spec.dtype in _CV_DTYPES else None
    if copy is not None and spec.flags.c_contiguous:
        # no warp, time masks: one compiled pass copies and fills the masked frames of every row
        flat = spec.reshape(-1, frames)
        block = flat[:, :length]  # the valid frames
        value = _total(block) / block.size if mean else 0.0
        runs = np.asarray(time)
        if runs.ndim != 2 or runs.shape[1] != 2 or runs.dtype.kind not in "iu":
            raise ValueError(f"time masks must be [start, end] pairs of integers, got {time!r}")
        out = np.empty_like(spec)
        copy(flat, out.reshape(-1, frames), runs.astype(np.int64).reshape(-1), value)
        _fill_bands(out, freq, length, value)
        return out
    total = None
    if warp:
        out, by_frame, total = _warp_numpy(spec, length, warp, mean)
    else:
        out, by_frame = spec.copy(), None
    value = 0.0
    if mean:
        # the valid frames as a 2-D block with contiguous rows: frames-major after a warp
        block = by_frame[:length] if by_frame is not None else out.reshape(-1, frames)[:, :length]
        value = (total if total is not None else _total(block)) / block.size
    _fill_bands(out, freq, length, value)
    if time:
        # Overlapping spans (the adaptive policy draws up to 20) are filled again, not merged
        # first: merging them in Python costs more than the repeated fills (1.09x, measured).
        target = by_frame if by_frame is not None else out.T  # whole frames: rows of the frames-major buffer
        for t0, t1 in time:
            target[max(0, t0) : max(0, t1)].fill(value)
    return out


def _fill_bands(out: np.ndarray, freq: Any, length: int, value: float) -> None:
    """Frequency masks: ``value`` in the valid frames of each band of bins.

    ``ndarray.fill`` on the views is the cheapest way to set a block (the masks are a fair part of
    the kernel's time at SpecAugment sizes).
    """
    for f0, f1 in freq or ():
        out[..., max(0, f0) : max(0, f1), :length].fill(value)


def _warp_numpy(spec: np.ndarray, length: int, warp: Any,
                want_sum: bool = False) -> tuple[np.ndarray, np.ndarray | None, float | None]:
    """The warped spectrogram, its frames-major buffer ``(frames, bins)`` when it has one, and a sum.

    The sum of the warped frames ``0 .. length - 1`` comes back when ``want_sum`` is true and
    the path taken computes it on the way; otherwise it is None.

    Three paths, fastest first, all computing the warp of :func:`warp_positions` (they agree to
    about 4e-6 on log-mel values): the compiled frames-major pass of
    :mod:`multiaug.audio.spec_kernels` (numba; float32 and float64), which also sums; with
    OpenCV, one linear resize along time per part of the warp, written straight into the
    output; and plain NumPy, where frame ``j`` interpolates the source frames ``left[j]`` and
    ``left[j] + 1``: whole frames are gathered as rows of a frames-major copy (four times cheaper
    than gathering columns of the ``(F, T)`` layout) and interpolated in place. The first and
    last return a transposed view of their frames-major buffer. Frames past ``length``
    (padding) are copied unchanged on every path.
    """
    center, shift = _check_warp(warp, length)
    frames = spec.shape[-1]
    kernel = warp_frames_major() if spec.dtype in _CV_DTYPES else None
    if kernel is not None:
        source = _transpose(spec.reshape(-1, frames))  # (frames, bins), C-contiguous
        out = np.empty_like(source)
        total = kernel(source, out, length, center, center + shift, want_sum)
        return out.T.reshape(spec.shape), out, (total if want_sum else None)
    cv2 = F.opencv()
    if cv2 is not None and spec.dtype in _CV_DTYPES:
        return _warp_opencv(cv2, spec, length, center, center + shift), None, None
    left, weight = _warp_table(length, center, shift)
    source = _transpose(spec.reshape(-1, frames))  # (frames, bins), C-contiguous
    out = np.empty_like(source)
    valid = out[:length]
    lower = source.take(left, axis=0)
    left += 1
    np.take(source, left, axis=0, out=valid, mode="clip")  # the upper neighbours (indices are in range)
    np.subtract(valid, lower, out=valid)
    valid *= weight.astype(spec.dtype, copy=False)[:, None]
    valid += lower
    if length < frames:
        out[length:] = source[length:]
    return out.T.reshape(spec.shape), out, None


def _warp_opencv(cv2: Any, spec: np.ndarray, length: int, center: int, dest: int) -> np.ndarray:
    frames = spec.shape[-1]
    src = spec.reshape(-1, frames)
    if src.strides[-1] != src.itemsize:
        src = np.ascontiguousarray(src)
    rows = src.shape[0]
    out = np.empty((rows, frames), spec.dtype)
    linear = cv2.INTER_LINEAR
    for part, source in ((out[:, :dest], src[:, :center]), (out[:, dest:length], src[:, center:length])):
        # positional arguments (dst, fx, fy, interpolation): OpenCV's keyword parsing costs ~1 us a call
        res = cv2.resize(source, (part.shape[1], rows), part, 0, 0, linear)
        if res is not part:  # OpenCV could not write into the view and allocated: copy the result in
            part[...] = res
    if length < frames:
        out[:, length:] = src[:, length:]
    return out.reshape(spec.shape)


def _apply_torch(spec: Any, examples: list[dict[str, Any]], fill: str, lengths: list[int]) -> Any:
    import torch

    if spec.device.type == "cpu" and spec.dtype in (torch.float32, torch.float64) and not spec.requires_grad:
        return _apply_torch_cpu(torch, spec, examples, fill, lengths)
    return _apply_torch_ops(torch, spec, examples, fill, lengths)


def _apply_torch_ops(torch: Any, spec: Any, examples: list[dict[str, Any]], fill: str, lengths: list[int]) -> Any:
    """The whole batch in torch operations on its own device (GPU tensors, other dtypes, autograd)."""
    batched = spec.ndim >= 3
    x = spec if batched else spec[None]
    n, n_freq, frames = x.shape[0], x.shape[-2], x.shape[-1]
    device = x.device
    if any(ex.get("warp") for ex in examples):
        pos = np.tile(np.arange(frames, dtype=np.float64), (n, 1))
        for i, ex in enumerate(examples):
            if ex.get("warp"):
                pos[i, : lengths[i]] = warp_positions(lengths[i], *ex["warp"])
        last = np.asarray(lengths)[:, None] - 1
        i0 = np.minimum(np.floor(pos).astype(np.int64), frames - 1)
        # inside an example's length never read past its last valid frame (padding may hold anything)
        inside = np.arange(frames)[None, :] <= last
        i1 = np.where(inside, np.minimum(i0 + 1, last), np.minimum(i0 + 1, frames - 1))
        shape = (n,) + (1,) * (x.ndim - 2) + (frames,)
        t0 = torch.as_tensor(i0, device=device).reshape(shape).expand(x.shape)
        t1 = torch.as_tensor(i1, device=device).reshape(shape).expand(x.shape)
        a = torch.as_tensor(pos - i0, device=device, dtype=x.dtype).reshape(shape)
        x = torch.lerp(torch.gather(x, -1, t0), torch.gather(x, -1, t1), a)

    def band_mask(key: str, size: int) -> Any:
        most = max((len(ex.get(key, ())) for ex in examples), default=0)
        if most == 0:
            return None
        bands = np.zeros((n, most, 2), np.int64)
        for i, ex in enumerate(examples):
            for k, (b0, b1) in enumerate(ex.get(key, ())):
                bands[i, k] = (b0, b1)
        b = torch.as_tensor(bands, device=device)
        ar = torch.arange(size, device=device)
        return ((ar >= b[..., 0:1]) & (ar < b[..., 1:2])).any(dim=1)  # (n, size)

    fmask, tmask = band_mask("freq", n_freq), band_mask("time", frames)
    if fmask is not None or tmask is not None:
        valid = torch.arange(frames, device=device)[None, :] < torch.as_tensor(lengths, device=device)[:, None]
        mask = torch.zeros((n, n_freq, frames), dtype=torch.bool, device=device)
        if fmask is not None:
            mask |= fmask[:, :, None] & valid[:, None, :]
        if tmask is not None:
            mask |= tmask[:, None, :]
        value_shape = (n,) + (1,) * (x.ndim - 1)
        if fill == "mean":  # per example, over its valid frames, computed on the device (no host sync)
            valid_b = valid.reshape((n,) + (1,) * (x.ndim - 2) + (frames,))
            total = torch.where(valid_b, x, torch.zeros((), dtype=x.dtype, device=device)).sum(
                dim=tuple(range(1, x.ndim)), dtype=torch.float64)
            count = torch.as_tensor(lengths, device=device, dtype=torch.float64) * (x[0].numel() // frames)
            fill_t = (total / count).to(x.dtype).reshape(value_shape)
        else:
            fill_t = torch.zeros(value_shape, dtype=x.dtype, device=device)
        mask = mask.reshape((n,) + (1,) * (x.ndim - 3) + (n_freq, frames))
        x = torch.where(mask, fill_t, x)
    elif x is spec or (not batched and x.data_ptr() == spec.data_ptr()):
        x = x.clone()
    return x if batched else x[0]


def _apply_torch_cpu(torch: Any, spec: Any, examples: list[dict[str, Any]], fill: str, lengths: list[int]) -> Any:
    """A CPU tensor, example by example through the NumPy kernels (zero-copy views in, one copy out).

    The same masks, warps, lengths and fills as the torch path (the tests compare the two), four
    to six times faster on CPU, where the torch path's gathers and full-size masks dominate.
    """
    if spec.ndim < 3:
        return torch.from_numpy(np.ascontiguousarray(_apply_numpy(spec.numpy(), examples[0], fill, lengths[0])))
    out = torch.empty(spec.shape, dtype=spec.dtype)
    target = out.numpy()
    source = spec.numpy()
    for i, ex in enumerate(examples):
        target[i] = _apply_numpy(source[i], ex, fill, lengths[i])
    return out


def _warp_time_map(examples: list[dict[str, Any]], lengths: list[int], hop_length: int, sample_rate: int,
                   n_samples: int) -> TimeMap:
    d = n_samples / sample_rate
    warp = examples[0].get("warp") if examples else None
    if not warp:
        return TimeMap.linear(d, in_duration=d)
    sec = hop_length / sample_rate  # frame t describes time t * sec
    c, w, length = warp[0], warp[1], lengths[0]
    knots = sorted({0.0, min((c - 0.5) * sec, d), min((length - 0.5) * sec, d), d})
    warped = TimeMap.from_knots(knots, [warp_frame(t / sec, length, c, w) * sec for t in knots], in_duration=d)
    return TimeMap(warped.segments, in_duration=d, out_duration=d)  # the spectrogram keeps its length


class _SpecStep(Augmenter):
    """Shared parts of the spectrogram steps: fill, hop and the transcript rule of a warp."""

    def _check_fill(self, fill: str) -> None:
        check_choice(fill, self.name, "fill", ("zero", "mean"))

    def apply_spectrogram(self, value: Any, params: dict[str, Any], sample: Sample) -> Any:
        n, _, frames = _layout(value)
        lengths = _lengths(sample, n, frames, self.name)
        return apply_masks(value, params["examples"], getattr(self, "fill", "zero"), lengths)


@register
class FrequencyMask(_SpecStep):
    """Masks ``num_masks`` bands of ``[0, F]`` consecutive frequency bins (SpecAugment).

    Args:
        F: Largest band width in bins (each width is drawn from ``0..F``).
        num_masks: Number of bands.
        fill: ``"zero"`` or ``"mean"`` (the example's mean).
        p: Probability of applying the step.

    Example:
        >>> import numpy as np
        >>> out = FrequencyMask(F=10, p=1.0)({"spectrogram": np.ones((40, 50), np.float32)})
        >>> out["spectrogram"].shape
        (40, 50)
    """

    def __init__(self, F: int = 27, num_masks: int = 1, fill: str = "zero", p: float = 0.5) -> None:
        super().__init__(p=p)
        check_int(F, self.name, "F", low=0)
        check_int(num_masks, self.name, "num_masks", low=0, high=1000)
        self._check_fill(fill)
        self.F, self.num_masks, self.fill = F, num_masks, fill

    def make_params(self, sample: Sample, rng: np.random.Generator) -> dict[str, Any]:
        n_freq, _, lengths = _spectrogram_layout(sample, self.name)
        u = _uniforms(rng, 2 * self.num_masks * len(lengths))
        return {"examples": [{"freq": _draw_bands(u, n_freq, self.F, self.num_masks)} for _ in lengths]}


@register
class TimeMask(_SpecStep):
    """Silences random time spans of the audio and/or masks the same spans of a spectrogram.

    Spans are drawn as fractions of the duration, so when a sample has both ``audio`` and
    ``spectrogram`` the same span of time is masked in both (to within a frame). In a torch
    batch each example gets its own spans, relative to its own length.

    Args:
        width: Range of each span's width, as a fraction of the duration, within ``[0, 1]``.
        num_masks: Number of spans.
        max_fraction: Cap on the total masked fraction: if the drawn widths add up to more,
            they are scaled down to fit.
        fill: For spectrograms, ``"zero"`` or ``"mean"``; audio is always silenced.
        p: Probability of applying the step.

    Example:
        >>> import numpy as np
        >>> out = TimeMask(width=(0.5, 0.5), p=1.0)({"audio": np.ones(8, np.float32), "sample_rate": 8})
        >>> int((out["audio"] == 0).sum())
        4
    """

    def __init__(self, width: Any = (0.0, 0.2), num_masks: int = 1, max_fraction: float = 1.0, fill: str = "zero",
                 p: float = 0.5) -> None:
        super().__init__(p=p)
        self._width = to_range(width, self.name, "width", low=0.0, high=1.0, scalar="upper")
        check_int(num_masks, self.name, "num_masks", low=0, high=1000)
        check_number(max_fraction, self.name, "max_fraction", low=0.0, high=1.0)
        self._check_fill(fill)
        self.width, self.num_masks, self.max_fraction, self.fill = width, num_masks, max_fraction, fill

    def make_params(self, sample: Sample, rng: np.random.Generator) -> dict[str, Any]:
        spec = sample.first("spectrogram")
        count = _layout(spec)[0] if spec is not None else 1
        k, (lo, hi), cap = self.num_masks, self._width, self.max_fraction
        spans_all = []
        for _ in range(count):
            if k == 1:  # the common case, without the lists (scalar draws give the same numbers)
                w = lo + (hi - lo) * rng.random()
                if w > cap:
                    w *= cap / w
                start = (1.0 - w) * rng.random()
                spans_all.append([[start, start + w]])
                continue
            u = rng.random(2 * k).tolist()  # k widths, then k starts
            widths = [lo + (hi - lo) * v for v in u[:k]]
            total = sum(widths)
            if total > cap:
                widths = [w * (cap / total) for w in widths]
            starts = [(1.0 - w) * v for w, v in zip(widths, u[k:])]
            spans_all.append([[s, s + w] for s, w in zip(starts, widths)])
        return {"spans": spans_all}

    def apply_audio(self, value: np.ndarray, params: dict[str, Any], sample: Sample) -> np.ndarray:
        n = value.shape[-1]
        return F.time_mask(value, [[round(a * n), round(b * n)] for a, b in params["spans"][0]])

    def apply_spectrogram(self, value: Any, params: dict[str, Any], sample: Sample) -> Any:
        n, _, frames = _layout(value)
        lengths = _lengths(sample, n, frames, self.name)
        if len(params["spans"]) != n:
            raise AugmentationError(f"params hold spans for {len(params['spans'])} examples, the spectrogram has {n}",
                                    step=self.name)
        examples = [{"time": [[round(a * t), round(b * t)] for a, b in spans]}
                    for spans, t in zip(params["spans"], lengths)]
        return apply_masks(value, examples, self.fill, lengths)


class _Warping(_SpecStep):
    moves = "time"

    def _check_hop(self, hop_length: int) -> None:
        check_int(hop_length, self.name, "hop_length", low=1)

    def time_map(self, params: dict[str, Any], sample_rate: int, n_samples: int) -> TimeMap:
        """The map of the first example's warp, in seconds, for a transcript of ``n_samples`` of audio.

        Frame ``t`` is taken to describe time ``t * hop_length / sample_rate``.
        """
        lengths = params.get("lengths") or [1 + n_samples // self.hop_length]
        return _warp_time_map(params["examples"], lengths, self.hop_length, sample_rate, n_samples)

    def apply_transcript(self, value: Any, params: dict[str, Any], sample: Sample) -> dict[str, Any]:
        if len(params["examples"]) != 1:
            raise AugmentationError("a transcript can follow the warp of a single example, not a batch",
                                    step=self.name)
        sr = sample_rate_of(sample, self.name)
        audio = sample.first("audio")
        n = int(audio.shape[-1]) if audio is not None else params["lengths"][0] * self.hop_length
        return map_transcript(value, self.time_map(params, sr, n))


@register
class TimeWarp(_Warping):
    """Warps a spectrogram in time (SpecAugment): frame ``c`` moves to ``c + w``, ``|w| <= W``.

    The warp is piecewise linear with frames as unit intervals: the start of frame 0 and the end
    of frame ``length - 1`` stay, the start of frame ``c`` (``c`` drawn in ``(W, length - 1 - W)``)
    moves by ``w ~ U{-W..W}`` frames; each part is linearly resampled (:func:`warp_positions`). A
    transcript follows the warp (frames are ``hop_length`` samples apart); an ``audio`` field is
    left as it is (this is a feature-level augmentation). Spectrograms shorter than
    ``2 W + 3`` frames are not warped.

    Args:
        W: Largest displacement in frames.
        hop_length: Samples between frames, used to move a transcript.
        p: Probability of applying the step.

    Example:
        >>> import numpy as np
        >>> out = TimeWarp(W=5, p=1.0)({"spectrogram": np.ones((10, 40), np.float32)})
        >>> out["spectrogram"].shape
        (10, 40)
    """

    def __init__(self, W: int = 80, hop_length: int = 160, p: float = 0.5) -> None:
        super().__init__(p=p)
        check_int(W, self.name, "W", low=0)
        self._check_hop(hop_length)
        self.W, self.hop_length = W, hop_length

    def make_params(self, sample: Sample, rng: np.random.Generator) -> dict[str, Any]:
        _, _, lengths = _spectrogram_layout(sample, self.name)
        u = _uniforms(rng, 2 * sum(_warp_possible(t, self.W) for t in lengths))
        return {"examples": [{"warp": _draw_warp(u, t, self.W)} for t in lengths], "lengths": lengths}


@register
class SpecAugment(_Warping):
    """SpecAugment (Park et al. 2019): time warp, frequency masks and time masks, by policy.

    Policies (W, F, mF, T, p, mT): ``"LB"`` (80, 27, 1, 100, 1.0, 1), ``"LD"`` (80, 27, 2, 100,
    1.0, 2), ``"SM"`` (40, 15, 2, 70, 0.2, 2), ``"SS"`` (40, 27, 2, 70, 0.2, 2); time-mask widths
    are drawn from ``0..min(T, p * length)``. ``"adaptive"`` (Park et al. 2020): F = 27, mF = 2,
    ``min(20, floor(0.04 * length))`` time masks of up to ``floor(0.04 * length)`` frames, no
    warp. In a torch batch every example gets its own draw within its own length.

    Args:
        policy: One of ``"LB"``, ``"LD"``, ``"SM"``, ``"SS"``, ``"adaptive"``.
        fill: ``"zero"`` or ``"mean"`` (the example's mean over its valid frames).
        hop_length: Samples between frames, used to move a transcript with the warp.
        p: Probability of applying the step.

    Example:
        >>> SpecAugment(policy="SM").policy
        'SM'
    """

    def __init__(self, policy: str = "LD", fill: str = "mean", hop_length: int = 160, p: float = 1.0) -> None:
        super().__init__(p=p)
        check_choice(policy, self.name, "policy", tuple(POLICIES))
        self._check_fill(fill)
        self._check_hop(hop_length)
        self.policy, self.fill, self.hop_length = policy, fill, hop_length

    def make_params(self, sample: Sample, rng: np.random.Generator) -> dict[str, Any]:
        pol = POLICIES[self.policy]
        n_freq, _, lengths = _spectrogram_layout(sample, self.name)
        examples = []
        for tau in lengths:
            if self.policy == "adaptive":
                count = min(pol["max_masks"], int(pol["pM"] * tau))
                t_max = int(pol["pS"] * tau)
            else:
                count, t_max = pol["mT"], min(pol["T"], int(pol["p"] * tau))
            # one generator call per example: warp (2 draws if possible), then 2 per band
            u = _uniforms(rng, 2 * (_warp_possible(tau, pol["W"]) + pol["mF"] + count))
            examples.append({
                "warp": _draw_warp(u, tau, pol["W"]),
                "freq": _draw_bands(u, n_freq, pol["F"], pol["mF"]),
                "time": _draw_bands(u, tau, t_max, count),
            })
        return {"examples": examples, "lengths": lengths}
