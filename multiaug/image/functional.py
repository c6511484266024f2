"""Pure image kernels: arrays in, arrays out, no randomness.

Images are NumPy arrays, HxW or HxWxC, ``uint8`` or ``float32`` in ``[0, 1]``; every kernel
returns the dtype and layout it was given (an HxWx1 image stays HxWx1). Kernels are OpenCV calls
or vectorised NumPy; point operations on ``uint8`` are 256-entry lookup tables (:func:`apply_lut`),
and the same point function is evaluated directly on ``float32`` images. OpenCV calls that accept at
most 4 channels (border fills, colour conversions) are run on chunks of 4 channels.

Example:
    >>> import numpy as np
    >>> img = np.arange(6, dtype=np.uint8).reshape(2, 3)
    >>> hflip(img).tolist()
    [[2, 1, 0], [5, 4, 3]]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import cv2
import numpy as np

__all__ = [
    "INTERPOLATIONS",
    "BORDER_MODES",
    "apply_lut",
    "autocontrast",
    "cv2_matrix",
    "elastic_field",
    "equalize",
    "erase",
    "gaussian_blur",
    "gaussian_ksize",
    "gaussian_noise",
    "grayscale",
    "hflip",
    "jpeg",
    "linear_lut",
    "lut_from",
    "median_blur",
    "motion_kernel",
    "pad",
    "point",
    "resize",
    "rot90",
    "salt_and_pepper",
    "sharpen_kernel",
    "transpose",
    "vflip",
    "warp",
    "warp_nearest",
]

INTERPOLATIONS: dict[str, int] = {
    "nearest": cv2.INTER_NEAREST,
    "linear": cv2.INTER_LINEAR,
    "cubic": cv2.INTER_CUBIC,
    "area": cv2.INTER_AREA,
    "lanczos": cv2.INTER_LANCZOS4,
}
BORDER_MODES: dict[str, int] = {
    "constant": cv2.BORDER_CONSTANT,
    "reflect": cv2.BORDER_REFLECT_101,
    "replicate": cv2.BORDER_REPLICATE,
    "wrap": cv2.BORDER_WRAP,
}
# Mask dtypes that OpenCV warps without a lossy conversion.
_CV_DTYPES = (np.uint8, np.int8, np.uint16, np.int16, np.int32, np.float32, np.float64)


# --------------------------------------------------------------------------------- helpers
def channels(img: np.ndarray) -> int:
    """Number of channels (1 for HxW)."""
    return 1 if img.ndim == 2 else int(img.shape[2])


def like(out: np.ndarray, ref: np.ndarray) -> np.ndarray:
    """Give ``out`` the layout of ``ref``: OpenCV drops a trailing channel axis of size 1."""
    if ref.ndim == 3 and out.ndim == 2:
        return out[:, :, None]
    return out


def fill_values(fill: float | Sequence[float], n: int, dtype: np.dtype) -> list[float]:
    """A fill colour as ``n`` per-channel values, scaled for float images (fill is given in 0..255)."""
    vals = [float(fill)] * n if np.isscalar(fill) else [float(v) for v in fill]  # type: ignore[arg-type]
    if len(vals) == 1:
        vals = vals * n
    if len(vals) != n:
        raise ValueError(f"fill has {len(vals)} values for an image with {n} channels")
    if dtype == np.float32:
        vals = [v / 255.0 for v in vals]
    return vals


def chunked(fn: Callable[[np.ndarray, list[float]], np.ndarray], img: np.ndarray, fill: list[float]) -> np.ndarray:
    """Run ``fn(part, part_fill)`` on chunks of at most 4 channels and stack the results."""
    c = channels(img)
    if c <= 4:
        return like(fn(img, fill), img)
    parts = []
    for s in range(0, c, 4):
        part = np.ascontiguousarray(img[:, :, s : s + 4])
        parts.append(like(fn(part, fill[s : s + 4]), part))
    return np.concatenate(parts, axis=2)


def _scalar(vals: list[float]) -> tuple[float, ...]:
    return tuple(vals[:4]) + (0.0,) * (4 - len(vals[:4]))


# --------------------------------------------------------------------------------- geometry
def hflip(img: np.ndarray) -> np.ndarray:
    """Mirror left-right."""
    if img.dtype.kind == "b":  # OpenCV has no bool arrays
        return img[:, ::-1].copy()
    out = cv2.flip(img, 1)
    return out if out.ndim == img.ndim else out[:, :, None]  # OpenCV drops a channel axis of size 1


def vflip(img: np.ndarray) -> np.ndarray:
    """Mirror top-bottom."""
    if img.dtype.kind == "b":
        return img[::-1].copy()
    out = cv2.flip(img, 0)
    return out if out.ndim == img.ndim else out[:, :, None]


def rot90(img: np.ndarray, k: int) -> np.ndarray:
    """Rotate by ``k`` quarter turns counter-clockwise (as :func:`numpy.rot90`)."""
    k %= 4
    if k == 0:
        return img.copy()
    if img.dtype != np.bool_ and channels(img) <= 4:
        code = {1: cv2.ROTATE_90_COUNTERCLOCKWISE, 2: cv2.ROTATE_180, 3: cv2.ROTATE_90_CLOCKWISE}[k]
        return like(cv2.rotate(img, code), img)
    return np.ascontiguousarray(np.rot90(img, k))


def transpose(img: np.ndarray) -> np.ndarray:
    """Swap rows and columns."""
    return np.ascontiguousarray(np.swapaxes(img, 0, 1))


def cv2_matrix(matrix: np.ndarray) -> np.ndarray:
    """Convert a 3x3 matrix in continuous coordinates to OpenCV's pixel-index convention."""
    shift = np.array([[1.0, 0.0, 0.5], [0.0, 1.0, 0.5], [0.0, 0.0, 1.0]])
    back = np.array([[1.0, 0.0, -0.5], [0.0, 1.0, -0.5], [0.0, 0.0, 1.0]])
    return back @ np.asarray(matrix, dtype=np.float64) @ shift


def _is_affine(m: np.ndarray) -> bool:
    return bool(m[2, 0] == 0 and m[2, 1] == 0 and m[2, 2] == 1)


def warp(
    img: np.ndarray,
    matrix: np.ndarray,
    out_hw: tuple[int, int],
    interpolation: str = "linear",
    border_mode: str = "constant",
    fill: float | Sequence[float] = 0,
) -> np.ndarray:
    """Warp with a 3x3 affine or projective ``matrix`` (continuous coordinates, source -> output)."""
    m = cv2_matrix(matrix)
    size = (int(out_hw[1]), int(out_hw[0]))
    flags = INTERPOLATIONS[interpolation]
    border = BORDER_MODES[border_mode]
    vals = fill_values(fill, channels(img), img.dtype)

    def run(part: np.ndarray, f: list[float]) -> np.ndarray:
        if _is_affine(m):
            return cv2.warpAffine(part, m[:2], size, flags=flags, borderMode=border, borderValue=_scalar(f))
        return cv2.warpPerspective(part, m, size, flags=flags, borderMode=border, borderValue=_scalar(f))

    return chunked(run, img, vals)


def warp_nearest(
    mask: np.ndarray, matrix: np.ndarray, out_hw: tuple[int, int], border_mode: str = "constant", fill: float = 0
) -> np.ndarray:
    """Nearest-neighbour warp for label masks of any dtype and channel count (values never mix)."""
    if mask.dtype.type in _CV_DTYPES and channels(mask) <= 4:
        m = cv2_matrix(matrix)
        size = (int(out_hw[1]), int(out_hw[0]))
        border = BORDER_MODES[border_mode]
        val = (float(fill),) * 4
        if _is_affine(m):
            out = cv2.warpAffine(mask, m[:2], size, flags=cv2.INTER_NEAREST, borderMode=border, borderValue=val)
        else:
            out = cv2.warpPerspective(mask, m, size, flags=cv2.INTER_NEAREST, borderMode=border, borderValue=val)
        return like(out, mask)
    # Other dtypes (bool, int64...): warp an index image and gather, which works for any dtype.
    h, w = mask.shape[:2]
    index = np.arange(h * w, dtype=np.int32).reshape(h, w)
    moved = warp_nearest(index, matrix, out_hw, border_mode, -1)
    return _gather(mask, moved, fill)


def _gather(mask: np.ndarray, index: np.ndarray, fill: float) -> np.ndarray:
    flat = mask.reshape(mask.shape[0] * mask.shape[1], *mask.shape[2:])
    out = flat[np.clip(index, 0, None)]
    outside = index < 0
    if outside.any():
        out[outside] = np.asarray(fill).astype(mask.dtype)
    return out


def remap(
    img: np.ndarray,
    map_x: np.ndarray,
    map_y: np.ndarray,
    interpolation: str = "linear",
    border_mode: str = "constant",
    fill: float | Sequence[float] = 0,
) -> np.ndarray:
    """``out[i, j] = img[map_y[i, j], map_x[i, j]]`` (pixel-index coordinates) with interpolation."""
    flags = INTERPOLATIONS[interpolation]
    border = BORDER_MODES[border_mode]
    if img.dtype.type not in _CV_DTYPES:  # label masks of other dtypes: gather by index
        h, w = img.shape[:2]
        index = np.arange(h * w, dtype=np.int32).reshape(h, w)
        moved = cv2.remap(index, map_x, map_y, cv2.INTER_NEAREST, borderMode=border, borderValue=(-1,) * 4)
        return _gather(img, moved, float(np.ravel(fill)[0]) if not np.isscalar(fill) else float(fill))
    vals = (
        fill_values(fill, channels(img), img.dtype)
        if img.dtype in (np.uint8, np.float32)
        else [float(fill)] * channels(img)
    )  # type: ignore[arg-type]

    def run(part: np.ndarray, f: list[float]) -> np.ndarray:
        return cv2.remap(part, map_x, map_y, flags, borderMode=border, borderValue=_scalar(f))

    return chunked(run, img, vals)


def elastic_field(seed: int, height: int, width: int, alpha: float, sigma: float) -> tuple[np.ndarray, np.ndarray]:
    """A smooth random displacement field (dx, dy), float32, largest displacement ``alpha`` pixels."""
    rng = np.random.default_rng(seed)
    # Drawn at a coarse resolution then smoothed: the field only has detail at scale sigma anyway.
    step = max(1, int(sigma / 2))
    gh, gw = -(-height // step) + 1, -(-width // step) + 1
    coarse = rng.uniform(-1.0, 1.0, size=(2, gh, gw)).astype(np.float32)
    fields = []
    for c in coarse:
        field = cv2.resize(c, (gw * step, gh * step), interpolation=cv2.INTER_LINEAR)[:height, :width]
        field = cv2.GaussianBlur(field, (0, 0), sigmaX=max(sigma, 0.1), borderType=cv2.BORDER_REFLECT_101)
        peak = float(np.abs(field).max())
        fields.append(np.ascontiguousarray(field * (alpha / peak if peak > 0 else 0.0), dtype=np.float32))
    return fields[0], fields[1]


def resize(img: np.ndarray, out_hw: tuple[int, int], interpolation: str = "linear") -> np.ndarray:
    """Resize to ``(height, width)``."""
    if img.shape[:2] == tuple(out_hw):
        return img.copy()
    if img.dtype.type not in _CV_DTYPES:
        h, w = img.shape[:2]
        ys = np.minimum(((np.arange(out_hw[0]) + 0.5) * h / out_hw[0]).astype(np.intp), h - 1)
        xs = np.minimum(((np.arange(out_hw[1]) + 0.5) * w / out_hw[1]).astype(np.intp), w - 1)
        return img[ys][:, xs]
    # INTER_NEAREST_EXACT samples at pixel centres, which keeps masks aligned with moved boxes
    flag = cv2.INTER_NEAREST_EXACT if interpolation == "nearest" else INTERPOLATIONS[interpolation]
    return like(cv2.resize(img, (int(out_hw[1]), int(out_hw[0])), interpolation=flag), img)


def pad(
    img: np.ndarray,
    top: int,
    bottom: int,
    left: int,
    right: int,
    border_mode: str = "constant",
    fill: float | Sequence[float] = 0,
) -> np.ndarray:
    """Pad the borders by the given numbers of pixels."""
    if img.dtype.type not in _CV_DTYPES:
        mode = {"constant": "constant", "reflect": "reflect", "replicate": "edge", "wrap": "wrap"}[border_mode]
        widths = [(top, bottom), (left, right)] + [(0, 0)] * (img.ndim - 2)
        if mode == "constant":
            return np.pad(img, widths, mode="constant", constant_values=np.asarray(fill).astype(img.dtype).item())
        return np.pad(img, widths, mode=mode)
    vals = (
        fill_values(fill, channels(img), img.dtype)
        if img.dtype in (np.uint8, np.float32)
        else [float(fill)] * channels(img)
    )  # type: ignore[arg-type]
    border = BORDER_MODES[border_mode]

    def run(part: np.ndarray, f: list[float]) -> np.ndarray:
        return cv2.copyMakeBorder(part, top, bottom, left, right, border, value=_scalar(f))

    return chunked(run, img, vals)


# --------------------------------------------------------------------------------- point operations
PointFn = Callable[[np.ndarray], np.ndarray]


_LEVELS = np.arange(256, dtype=np.float64) / 255.0


def lut_from(fn: PointFn) -> np.ndarray:
    """A 256-entry uint8 table of the point function ``fn`` (defined on values in [0, 1]).

    Entries are ``clip(rint(255 * fn(x)), 0, 255)``; OpenCV's saturating conversion does the
    rounding (half to even, as ``np.rint``), clipping and cast in one call.
    """
    values = np.asarray(fn(_LEVELS), dtype=np.float64)
    if values.shape != (256,):  # a constant function
        values = np.broadcast_to(values, (256,)).copy()
    return cv2.multiply(values, 255.0, dtype=cv2.CV_8U).reshape(256)


def linear_lut(scale: float, pivot: float = 0.0, offset: float = 0.0) -> np.ndarray:
    """The table of ``(x - pivot) * scale + pivot + offset`` (values in [0, 1]), as :func:`lut_from` makes it.

    Bit-identical to ``lut_from(lambda x: (x - pivot) * scale + pivot + offset)``, computed in place
    (brightness, contrast and their mix are all of this form).

    Example:
        >>> linear_lut(2.0, 0.5)[[0, 64, 128, 192, 255]].tolist()
        [0, 0, 128, 255, 255]
    """
    if pivot == 0.0 and offset == 0.0:  # a pure gain: (x - 0) * s + 0 + 0 is exactly x * s
        v = _LEVELS * scale
    else:
        v = _LEVELS - pivot
        v *= scale
        v += pivot
        v += offset
    return cv2.multiply(v, 255.0, dtype=cv2.CV_8U).reshape(256)


try:  # byte translation with SIMD: several times faster than cv2.LUT for one shared table
    import stringzilla as _sz
except ImportError:  # pragma: no cover - optional speed-up
    _sz = None


def _translate_supports_out() -> bool:
    """Whether this stringzilla's ``translate`` can write into a separate buffer (``out=``, 4.x on)."""
    if _sz is None:
        return False
    try:
        src, dst = np.zeros(2, np.uint8), np.zeros(2, np.uint8)
        _sz.translate(memoryview(src), memoryview(np.full(256, 7, np.uint8)), out=memoryview(dst))
        return bool((dst == 7).all())
    except (TypeError, ValueError):  # pragma: no cover - older stringzilla
        return False


_SZ_OUT = _translate_supports_out()


def apply_lut(img: np.ndarray, lut: np.ndarray) -> np.ndarray:
    """Apply a 256-entry table (or one table per channel, shape (256, C) with C <= 4) to a uint8 image.

    A shared table runs as one SIMD byte translation straight into the new image (no copy first).
    """
    if lut.dtype != np.uint8 or not lut.flags.c_contiguous:
        lut = np.ascontiguousarray(lut, dtype=np.uint8)
    if lut.ndim == 1 and _sz is not None:
        src = img if img.flags.c_contiguous else np.ascontiguousarray(img)
        if _SZ_OUT:
            out = np.empty_like(src)
            if src.size:
                _sz.translate(src.data.cast("B"), lut.data, out=out.data.cast("B"))
            return out
        out = np.array(src, copy=True, order="C")
        _sz.translate(memoryview(out.reshape(-1)), memoryview(lut), inplace=True)
        return out
    if lut.ndim == 2:
        c = lut.shape[1]
        if c == 1:
            lut = lut[:, 0]
        elif c <= 4:
            return like(cv2.LUT(img, lut.reshape(256, 1, c)), img)
        else:
            return np.stack([cv2.LUT(img[:, :, i], lut[:, i]) for i in range(c)], axis=2)
    return like(cv2.LUT(img, lut), img)


def point(img: np.ndarray, fn: PointFn) -> np.ndarray:
    """Apply a point function: a lookup table on uint8, the function itself on float32."""
    if img.dtype == np.uint8:
        return apply_lut(img, lut_from(fn))
    return np.clip(fn(img), 0.0, 1.0).astype(np.float32)


def posterize_lut(bits: int) -> np.ndarray:
    """Keep the ``bits`` most significant bits of each value."""
    mask = (0xFF << (8 - bits)) & 0xFF
    return (np.arange(256) & mask).astype(np.uint8)


def solarize_lut(threshold: int) -> np.ndarray:
    """Invert the values at or above ``threshold`` (0..256)."""
    x = np.arange(256)
    return np.where(x >= threshold, 255 - x, x).astype(np.uint8)


def _channel_hists(img: np.ndarray) -> list[np.ndarray]:
    c = channels(img)
    planes = [img] if c == 1 else [img[:, :, i] for i in range(c)]
    return [np.bincount(p.ravel(), minlength=256) for p in planes]


def equalize_luts(img: np.ndarray) -> np.ndarray:
    """Per-channel histogram-equalisation tables of a uint8 image, shape (256, C).

    Same rule as Pillow's ``ImageOps.equalize``: the last occupied bin is ignored when computing
    the step, and a channel with a single value is left as it is.
    """
    tables = []
    for hist in _channel_hists(img):
        occupied = hist[hist > 0]
        step = (int(hist.sum()) - int(occupied[-1])) // 255 if len(occupied) else 0
        if step == 0:
            tables.append(np.arange(256))
            continue
        before = np.concatenate([[0], np.cumsum(hist)[:-1]])
        tables.append(np.minimum((before + step // 2) // step, 255))
    return np.stack(tables, axis=1).astype(np.uint8)


def equalize(img: np.ndarray) -> np.ndarray:
    """Histogram equalisation per channel (float images go through 256 levels)."""
    if img.dtype == np.uint8:
        return apply_lut(img, equalize_luts(img))
    u8 = np.clip(np.rint(img * 255.0), 0, 255).astype(np.uint8)
    return apply_lut(u8, equalize_luts(u8)).astype(np.float32) / np.float32(255.0)


def autocontrast_luts(img: np.ndarray) -> np.ndarray:
    """Per-channel tables stretching each channel's range to 0..255 (as Pillow's ``autocontrast``)."""
    tables = []
    x = np.arange(256, dtype=np.float64)
    for hist in _channel_hists(img):
        nz = np.flatnonzero(hist)
        lo, hi = (int(nz[0]), int(nz[-1])) if len(nz) else (0, 0)
        if hi <= lo:
            tables.append(np.arange(256))
            continue
        scale = 255.0 / (hi - lo)
        tables.append(np.clip((x * scale - lo * scale).astype(np.int64), 0, 255))
    return np.stack(tables, axis=1).astype(np.uint8)


def autocontrast(img: np.ndarray) -> np.ndarray:
    """Stretch each channel to the full range."""
    if img.dtype == np.uint8:
        return apply_lut(img, autocontrast_luts(img))
    axes = (0, 1)
    lo = img.min(axis=axes, keepdims=True)
    hi = img.max(axis=axes, keepdims=True)
    span = np.where(hi > lo, hi - lo, 1.0)
    return np.where(hi > lo, (img - lo) / span, img).astype(np.float32)


_LUMA = (0.299, 0.587, 0.114)


def gray(img_rgb: np.ndarray) -> np.ndarray:
    """Luma (ITU-R 601: 0.299 R + 0.587 G + 0.114 B) of an RGB image, HxW, same dtype."""
    return cv2.cvtColor(np.ascontiguousarray(img_rgb[:, :, :3]), cv2.COLOR_RGB2GRAY)


def grayscale(img: np.ndarray, num_output_channels: int = 3) -> np.ndarray:
    """Luma of an RGB(A) image, repeated to ``num_output_channels`` (alpha kept when there is one)."""
    y = gray(img)
    if num_output_channels == 1:
        return y[:, :, None]
    out = cv2.cvtColor(y, cv2.COLOR_GRAY2RGB)  # the replication, in one pass
    if img.shape[2] == 4:
        out = np.concatenate([out, img[:, :, 3:]], axis=2)
    return out


def blend_gray(img_rgb: np.ndarray, factor: float) -> np.ndarray:
    """Saturation: ``gray + factor * (img - gray)``, clipped (0 gives grey, 1 the image).

    The blend is linear in the pixel, so it runs as one 3x3 colour matrix (``cv2.transform``):
    one pass, with the luma kept exact rather than rounded to an integer grey first.
    """
    f = float(factor)
    matrix = np.empty((3, 3), np.float64)
    matrix[:] = _LUMA
    matrix *= 1.0 - f
    matrix[(0, 1, 2), (0, 1, 2)] += f
    out = cv2.transform(np.ascontiguousarray(img_rgb), matrix)
    if out.dtype == np.float32:
        np.clip(out, 0.0, 1.0, out=out)
    return out


_HUE_RAMPS: dict[int, np.ndarray] = {}


def _hue_ramp(n: int) -> np.ndarray:
    """``[1, 0, 0]`` repeated over ``n`` bytes (cached for the few image sizes in use)."""
    ramp = _HUE_RAMPS.get(n)
    if ramp is None:
        if len(_HUE_RAMPS) >= 4:
            _HUE_RAMPS.clear()  # a handful of sizes at most in practice; clear() is safe across threads
        ramp = np.zeros(n, np.uint8)
        ramp[::3] = 1
        ramp.flags.writeable = False
        _HUE_RAMPS[n] = ramp
    return ramp


def shift_hue(img_rgb: np.ndarray, shift: float) -> np.ndarray:
    """Rotate the hue by ``shift`` turns (-0.5..0.5) through HSV.

    On uint8 the hue is held in a full byte (256 steps per turn, OpenCV's ``HSV_FULL``), so the
    rotation is a wrapping uint8 addition on the hue bytes.
    """
    if img_rgb.dtype == np.uint8:
        hsv = cv2.cvtColor(img_rgb, cv2.COLOR_RGB2HSV_FULL)
        k = int(round(shift * 256.0)) % 256
        if k:
            flat = hsv.reshape(-1)
            np.add(flat, np.multiply(_hue_ramp(flat.size), np.uint8(k)), out=flat)
        return cv2.cvtColor(hsv, cv2.COLOR_HSV2RGB_FULL)
    hsv = cv2.cvtColor(img_rgb, cv2.COLOR_RGB2HSV)  # hue in degrees
    hsv[:, :, 0] = np.mod(hsv[:, :, 0] + np.float32(shift * 360.0), np.float32(360.0))
    return np.clip(cv2.cvtColor(hsv, cv2.COLOR_HSV2RGB), 0.0, 1.0)


def mean_gray(img_rgb: np.ndarray) -> float:
    """Mean luma of an RGB image in [0, 1] (per-channel sums in one pass, then weighted)."""
    if img_rgb.dtype == np.uint8:
        sums = cv2.sumElems(img_rgb)
        n = img_rgb.shape[0] * img_rgb.shape[1]
        return (_LUMA[0] * sums[0] + _LUMA[1] * sums[1] + _LUMA[2] * sums[2]) / n / 255.0
    return float(sum(wgt * img_rgb[:, :, c].mean(dtype=np.float64) for c, wgt in enumerate(_LUMA)))


# --------------------------------------------------------------------------------- filters
def gaussian_ksize(sigma: float) -> int:
    """Odd kernel size for ``sigma``: radius ``round(3 sigma)``, as ``scipy.ndimage`` with ``truncate=3``.

    Example:
        >>> [gaussian_ksize(s) for s in (0.5, 1.0, 1.5, 2.0)]
        [5, 7, 11, 13]
    """
    return 2 * int(3.0 * sigma + 0.5) + 1


def gaussian_blur(img: np.ndarray, ksize: int, sigma: float) -> np.ndarray:
    """Gaussian blur with an odd ``ksize`` (0: from sigma) and standard deviation ``sigma``.

    Runs as a separable filter (two 1-D passes), which OpenCV does faster than ``GaussianBlur`` here.
    """
    if ksize <= 0:
        ksize = gaussian_ksize(sigma)
    k = cv2.getGaussianKernel(int(ksize), float(sigma))
    if img.dtype == np.float32:
        k = k.astype(np.float32)
    return like(cv2.sepFilter2D(img, -1, k, k, borderType=cv2.BORDER_REFLECT_101), img)


def motion_kernel(ksize: int, angle: float, direction: float) -> np.ndarray:
    """A normalised line kernel of length ``ksize`` at ``angle`` degrees.

    ``direction`` in [-1, 1] moves the weight towards one end of the line (0: symmetric).
    """
    k = np.zeros((ksize, ksize), np.float32)
    c = (ksize - 1) / 2
    t = np.linspace(-c, c, 4 * ksize)
    rad = np.deg2rad(angle)
    xs = np.rint(c + t * np.cos(rad)).astype(int)
    ys = np.rint(c - t * np.sin(rad)).astype(int)
    weights = 1.0 + direction * (t / c if c > 0 else 0.0)
    np.add.at(k, (ys, xs), np.clip(weights, 0.0, None).astype(np.float32))
    total = k.sum()
    if total <= 0:
        k[int(c), int(c)] = 1.0
        total = 1.0
    return k / total


def filter2d(img: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Correlate with ``kernel`` (reflected borders), saturating back to the input dtype."""
    out = cv2.filter2D(img, -1, kernel, borderType=cv2.BORDER_REFLECT_101)
    if out.dtype == np.float32:
        np.clip(out, 0.0, 1.0, out=out)
    return like(out, img)


def median_blur(img: np.ndarray, ksize: int) -> np.ndarray:
    """Median filter with an odd square window (edges replicated)."""
    if img.dtype == np.uint8 or ksize <= 5:
        return like(cv2.medianBlur(img, ksize), img)
    # OpenCV's float median stops at 5x5; larger windows use a sliding view per channel.
    r = ksize // 2
    padded = cv2.copyMakeBorder(img, r, r, r, r, cv2.BORDER_REPLICATE)
    padded = like(padded, img)
    view = np.lib.stride_tricks.sliding_window_view(padded, (ksize, ksize), axis=(0, 1))
    return np.median(view, axis=(-2, -1)).astype(np.float32)


def sharpen_kernel(alpha: float, lightness: float) -> np.ndarray:
    """A 3x3 kernel that blends the identity with a Laplacian sharpening kernel by ``alpha``."""
    ident = np.zeros((3, 3), np.float32)
    ident[1, 1] = 1.0
    sharp = np.full((3, 3), -1.0, np.float32)
    sharp[1, 1] = 8.0 + lightness
    return (1.0 - alpha) * ident + alpha * sharp


# --------------------------------------------------------------------------------- noise, compression, erasing
_Z_TABLE: list[np.ndarray] = []


def _normal_quantiles(sigma: float) -> np.ndarray:
    """``round(sigma * z)`` for 65536 equally likely z (the normal quantiles of (u + 0.5) / 65536), int16."""
    if not _Z_TABLE:
        from statistics import NormalDist

        u = (np.arange(32768) + 0.5) / 65536.0
        inv = NormalDist().inv_cdf
        z = np.fromiter((inv(v) for v in u), dtype=np.float64, count=32768)
        _Z_TABLE.append(np.concatenate([z, -z[::-1]]).astype(np.float32))
    return np.clip(np.rint(_Z_TABLE[0] * np.float32(sigma)), -32768, 32767).astype(np.int16)


def gaussian_noise(img: np.ndarray, sigma: float, mean: float, seed: int, per_channel: bool = True) -> np.ndarray:
    """Add N(mean, sigma) noise (in 0..1 units) and clip.

    On uint8 the noise that reaches the image is ``round(255 * noise)``; it is drawn exactly in that
    integer form from 16 random bits per value (65536 equally likely normal quantiles, tails beyond
    about 4.3 sigma cut), which is several times cheaper than drawing floats. The bits are SFC64's
    raw 64-bit draws, the cheapest uniform bits NumPy offers. Up to about sigma 0.11 the noise
    takes at most 256 values and is drawn by the alias method with byte tables
    (:mod:`multiaug.image.noise_alias`); above that, by a lookup in the 65536-entry table.
    """
    shape = img.shape if per_channel or img.ndim == 2 else img.shape[:2] + (1,)
    if img.dtype == np.uint8:
        from multiaug.image.noise_alias import add_normal_noise  # it imports this module

        out = add_normal_noise(img, shape, sigma * 255.0, int(round(mean * 255.0)), seed) if img.size else None
        if out is not None:
            return out
        n = int(np.prod(shape))
        bits = np.random.SFC64(seed).random_raw(-(-n // 4)).view(np.uint16)[:n].reshape(shape)
        noise = np.take(_normal_quantiles(sigma * 255.0), bits, mode="clip")  # always in range: no checks
        shift = int(round(mean * 255.0))
        if shift:
            noise += np.int16(shift)
        if noise.shape != img.shape:  # one noise per pixel, the same in every channel
            noise = np.repeat(noise, img.shape[2], axis=2)
        np.add(noise, img, out=noise)  # in place: every temporary is a fresh allocation of the image's size
        out = np.empty(img.shape, np.uint8)
        np.clip(noise, 0, 255, out=out, casting="unsafe")  # clip and narrow in one pass (values fit after the clip)
        return out
    rng = np.random.default_rng(seed)
    noise = rng.standard_normal(shape, dtype=np.float32) * np.float32(sigma) + np.float32(mean)
    return np.clip(img + noise, 0.0, 1.0).astype(np.float32)


def salt_and_pepper(img: np.ndarray, amount: float, salt_vs_pepper: float, seed: int) -> np.ndarray:
    """Set a fraction ``amount`` of pixels (all channels) to white (salt) or black (pepper)."""
    rng = np.random.default_rng(seed)
    h, w = img.shape[:2]
    u = rng.random((h, w), dtype=np.float32)
    salt = u < amount * salt_vs_pepper
    pepper = (u >= amount * salt_vs_pepper) & (u < amount)
    out = img.copy()
    hi = 255 if img.dtype == np.uint8 else 1.0
    out[salt] = hi
    out[pepper] = 0
    return out


def jpeg(img: np.ndarray, quality: int) -> np.ndarray:
    """Encode and decode as JPEG at ``quality`` (1 or 3 channels; a 4th channel, alpha, is kept)."""
    u8 = img if img.dtype == np.uint8 else np.clip(np.rint(img * 255.0), 0, 255).astype(np.uint8)
    c = channels(u8)
    body = u8 if c == 1 else u8[:, :, :3]
    if c >= 3:
        body = cv2.cvtColor(np.ascontiguousarray(body), cv2.COLOR_RGB2BGR)
    ok, buf = cv2.imencode(".jpg", body, [cv2.IMWRITE_JPEG_QUALITY, int(quality)])
    if not ok:  # pragma: no cover - OpenCV refuses only invalid arrays, checked by the step
        raise ValueError("JPEG encoding failed")
    dec = cv2.imdecode(buf, cv2.IMREAD_GRAYSCALE if c == 1 else cv2.IMREAD_COLOR)
    if c >= 3:
        dec = cv2.cvtColor(dec, cv2.COLOR_BGR2RGB)
        if c == 4:
            dec = np.concatenate([dec, u8[:, :, 3:]], axis=2)
    dec = like(dec, u8)
    return dec if img.dtype == np.uint8 else dec.astype(np.float32) / np.float32(255.0)


def erase(img: np.ndarray, holes: Sequence[Sequence[int]], fills: Sequence[np.ndarray | float]) -> np.ndarray:
    """Fill rectangles ``(x1, y1, x2, y2)`` (pixels) with the matching fill (a value, a colour or an array)."""
    out = img.copy()
    for (x1, y1, x2, y2), f in zip(holes, fills):
        out[y1:y2, x1:x2] = f
    return out
