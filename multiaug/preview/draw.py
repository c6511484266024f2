"""Pictures of samples with Pillow and NumPy: image tiles with their targets, waveforms,
spectrograms with word timings, and text with its changed words marked.

Every function returns an ``HxWx3`` uint8 RGB array. Box and keypoint drawing is taken from
``multiaug.image.draw`` when the image modality is installed, imported only when needed.

Example:
    >>> import numpy as np
    >>> waveform(np.zeros(1600, np.float32), width=80, height=20).shape
    (20, 80, 3)
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache
from typing import Any

import numpy as np

from multiaug.core.deps import require

__all__ = [
    "BACKGROUND",
    "fit",
    "image_tile",
    "spectrogram",
    "text_block",
    "text_changes",
    "waveform",
]

BACKGROUND = (255, 255, 255)
MARK = (255, 214, 102)
INK = (20, 20, 20)
# A perceptually ordered dark-blue -> teal -> yellow ramp for spectrograms.
_RAMP = np.array([[13, 8, 60], [59, 31, 120], [33, 104, 141], [34, 168, 132], [122, 209, 81], [253, 231, 37]], float)
_LUT = np.stack([np.interp(np.linspace(0, 1, 256), np.linspace(0, 1, len(_RAMP)), _RAMP[:, c]) for c in range(3)], 1)
_LUT = _LUT.round().astype(np.uint8)


def _pil() -> Any:
    return require("PIL.Image", "cli", feature="previews")


@lru_cache(maxsize=8)
def font(size: int = 13) -> Any:
    """Pillow's built-in scalable font at ``size`` pixels (a bitmap font on old Pillow)."""
    image_font = require("PIL.ImageFont", "cli", feature="previews")
    try:
        return image_font.load_default(size=size)
    except TypeError:  # Pillow < 10.1 has only the fixed bitmap font
        return image_font.load_default()


def to_rgb(image: Any) -> np.ndarray:
    """An image field as uint8 RGB (grey and RGBA converted, float32 [0, 1] scaled)."""
    arr = np.asarray(image)
    if arr.dtype != np.uint8:
        arr = (np.clip(arr.astype(np.float32), 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8)
    if arr.ndim == 2:
        arr = np.repeat(arr[:, :, None], 3, axis=2)
    elif arr.shape[2] == 1:
        arr = np.repeat(arr, 3, axis=2)
    elif arr.shape[2] == 4:
        alpha = arr[:, :, 3:4].astype(np.float32) / 255.0
        arr = (arr[:, :, :3] * alpha + 255.0 * (1.0 - alpha)).astype(np.uint8)
    elif arr.shape[2] != 3:
        arr = arr[:, :, :3]
    return np.ascontiguousarray(arr)


def fit(image: np.ndarray, size: int) -> np.ndarray:
    """Scale ``image`` so that its longer side is ``size`` pixels."""
    h, w = image.shape[:2]
    scale = size / max(h, w)
    pil = _pil()
    out = pil.fromarray(image).resize((max(1, round(w * scale)), max(1, round(h * scale))), pil.Resampling.LANCZOS)
    return np.asarray(out)


def _draw_targets_fallback(image: np.ndarray, bboxes: Any, keypoints: Any, labels: Any) -> np.ndarray:
    pil = _pil()
    draw_mod = require("PIL.ImageDraw", "cli", feature="previews")
    canvas = pil.fromarray(image)
    pen = draw_mod.Draw(canvas)
    width = max(1, round(max(image.shape[:2]) / 200))
    for i, box in enumerate(np.asarray(bboxes if bboxes is not None else [], float).reshape(-1, 4)):
        pen.rectangle([float(v) for v in box[:4]], outline=(255, 40, 40), width=width)
        if labels is not None and i < len(labels):
            pen.text((float(box[0]) + 2, float(box[1]) + 1), str(labels[i]), fill=(255, 40, 40), font=font(12))
    r = 2 * width + 1
    for pt in np.asarray(keypoints if keypoints is not None else [], float).reshape(-1, 2)[:, :2]:
        x, y = float(pt[0]), float(pt[1])
        pen.ellipse([x - r, y - r, x + r, y + r], fill=(40, 220, 40), outline=(0, 0, 0))
    return np.asarray(canvas)


def image_tile(sample: dict[str, Any], size: int = 224) -> np.ndarray:
    """The sample's first image, its boxes and keypoints drawn on it, scaled to ``size``."""
    keys = [k for k in ("image",) if k in sample] or [k for k, v in sample.items() if _looks_like_image(v)]
    image = to_rgb(sample[keys[0]])
    bboxes, keypoints = sample.get("bboxes"), sample.get("keypoints")
    labels = sample.get("bbox_labels")
    if bboxes is not None or keypoints is not None:
        try:
            from multiaug.image.draw import draw_targets
        except ImportError:
            drawn = _draw_targets_fallback(image, bboxes, keypoints, labels)
        else:
            drawn = to_rgb(draw_targets(image, bboxes=bboxes, keypoints=keypoints, labels=labels))
        image = drawn
    return fit(image, size)


def _looks_like_image(value: Any) -> bool:
    return (
        isinstance(value, np.ndarray) and value.ndim in (2, 3) and value.dtype == np.uint8 and min(value.shape[:2]) > 1
    )


# ----------------------------------------------------------------------------- audio
def _mono(audio: np.ndarray) -> np.ndarray:
    a = np.asarray(audio, dtype=np.float32)
    return a.mean(axis=0) if a.ndim == 2 else a


def waveform(audio: np.ndarray, width: int = 480, height: int = 80) -> np.ndarray:
    """The waveform's min/max envelope, one column per pixel, on a white background."""
    a = _mono(audio)
    out = np.full((height, width, 3), 255, np.uint8)
    if a.size == 0:
        return out
    edges = np.linspace(0, a.size, width + 1).astype(int)
    edges[1:] = np.maximum(edges[1:], edges[:-1] + 1)
    edges = np.minimum(edges, a.size)
    peak = max(float(np.abs(a).max()), 1e-9)
    mid = (height - 1) / 2
    lo = np.minimum.reduceat(a, np.minimum(edges[:-1], a.size - 1)) / peak
    hi = np.maximum.reduceat(a, np.minimum(edges[:-1], a.size - 1)) / peak
    rows = np.arange(height)[:, None]
    top = np.round(mid - hi * mid)[None, :]
    bottom = np.round(mid - lo * mid)[None, :]
    out[(rows >= top) & (rows <= bottom)] = (40, 90, 170)
    out[int(mid)] = np.minimum(out[int(mid)], 200)
    return out


def stft_db(audio: np.ndarray, sample_rate: int, n_fft: int = 512, hop: int | None = None) -> np.ndarray:
    """Log-magnitude (dB, top at 0) STFT of mono ``audio``, shape (freq, frames)."""
    a = _mono(audio)
    hop = hop or max(1, n_fft // 4)
    if a.size < n_fft:
        a = np.pad(a, (0, n_fft - a.size))
    frames = 1 + (a.size - n_fft) // hop
    idx = np.arange(n_fft)[None, :] + hop * np.arange(frames)[:, None]
    spec = np.abs(np.fft.rfft(a[idx] * np.hanning(n_fft)[None, :], axis=1)).T
    db = 20 * np.log10(np.maximum(spec, 1e-10))
    return db - db.max()


def colorize(values: np.ndarray, floor: float = -80.0, height: int = 160, width: int = 480) -> np.ndarray:
    """A (freq, time) array as a colour picture, low frequencies at the bottom.

    Values are scaled from ``floor`` (dark) to the maximum (bright); pass ``floor=None`` to scale
    from the minimum.
    """
    v = np.asarray(values, dtype=np.float64)
    if v.ndim == 3:
        v = v[0]
    lo = float(v.min()) if floor is None else v.max() + floor
    hi = float(v.max())
    scaled = np.zeros_like(v) if hi <= lo else np.clip((v - lo) / (hi - lo), 0, 1)
    pic = _LUT[(scaled[::-1] * 255).astype(np.uint8)]
    pil = _pil()
    return np.asarray(pil.fromarray(pic).resize((width, height), pil.Resampling.BILINEAR))


def spectrogram(
    audio: np.ndarray | None,
    sample_rate: int | None,
    *,
    transcript: dict[str, Any] | None = None,
    features: np.ndarray | None = None,
    duration: float | None = None,
    width: int = 480,
    height: int = 160,
) -> np.ndarray:
    """A spectrogram picture with the transcript's word timings drawn over it.

    Args:
        audio: Samples to analyse (ignored when ``features`` is given).
        sample_rate: Their rate.
        transcript: ``{"words": [{"word", "start", "end"}]}``; each word's span is outlined and labelled.
        features: A spectrogram a step produced ((F, T) or (C, F, T)); drawn as it is, low rows at the bottom.
        duration: Seconds the picture spans (for the word timings); default from ``audio``.
    """
    if features is not None:
        feats = np.asarray(features, dtype=np.float64)
        if feats.min() >= 0 and feats.max() > 0:  # power or magnitude: show in dB
            feats = 10 * np.log10(np.maximum(feats, feats.max() * 1e-8))
        pic = colorize(feats, floor=None, height=height, width=width)
    else:
        pic = colorize(stft_db(audio, int(sample_rate or 16000)), height=height, width=width)
    if duration is None and audio is not None and sample_rate:
        duration = _mono(audio).size / float(sample_rate)
    words = (transcript or {}).get("words") or []
    if not words or not duration:
        return pic
    pil = _pil()
    draw_mod = require("PIL.ImageDraw", "cli", feature="previews")
    canvas = pil.fromarray(pic)
    pen = draw_mod.Draw(canvas)
    f = font(11)
    for i, w in enumerate(words):
        x0 = float(w["start"]) / duration * (width - 1)
        x1 = float(w["end"]) / duration * (width - 1)
        pen.line([(x0, 0), (x0, height)], fill=(255, 255, 255), width=1)
        pen.line([(x1, 0), (x1, height)], fill=(255, 120, 120), width=1)
        pen.text((x0 + 2, 2 + 12 * (i % 2)), str(w["word"]), fill=(255, 255, 255), font=f)
    return np.asarray(canvas)


# ----------------------------------------------------------------------------- text
_TOKEN = re.compile(r"\S+|\s+")


def text_changes(original: str, new: str) -> list[tuple[str, str]]:
    """``new`` split into ``(piece, tag)`` pairs: tag ``"same"``, ``"new"`` (inserted or replaced)
    or ``"gone"`` (a word of ``original`` that was removed), by a word-level diff.

    Example:
        >>> text_changes("a red car", "a blue car")
        [('a ', 'same'), ('red', 'gone'), ('blue', 'new'), (' car', 'same')]
    """
    a, b = _TOKEN.findall(original), _TOKEN.findall(new)
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("".join(b[j1:j2]), "same"))
            continue
        gone = "".join(a[i1:i2]).strip()
        if gone:
            out.append((gone, "gone"))
        added = "".join(b[j1:j2])
        if added:
            out.append((added, "new"))
    merged: list[tuple[str, str]] = []
    for piece, tag in out:
        if merged and merged[-1][1] == tag and tag == "same":
            merged[-1] = (merged[-1][0] + piece, tag)
        else:
            merged.append((piece, tag))
    return merged


def text_block(original: str, new: str, width: int = 480, size: int = 14) -> np.ndarray:
    """``new`` wrapped to ``width`` pixels, inserted or replaced words on a yellow background,
    removed words struck through in grey."""
    pil = _pil()
    draw_mod = require("PIL.ImageDraw", "cli", feature="previews")
    f = font(size)
    line_h = size + 6
    pieces: list[tuple[str, str]] = []
    for piece, tag in text_changes(original, new) if original != new else [(new, "same")]:
        for tok in _TOKEN.findall(piece):
            pieces.append((tok, tag))
    # Lay out first to know the height, then draw.
    x, y, placed = 4.0, 2.0, []
    for tok, tag in pieces:
        if tok.isspace():
            x += f.getlength(" ") if "\n" not in tok else 0
            if "\n" in tok:
                x, y = 4.0, y + line_h
            continue
        w = f.getlength(tok)
        if x + w > width - 4 and x > 4:
            x, y = 4.0, y + line_h
        placed.append((x, y, w, tok, tag))
        x += w + (f.getlength(" ") if tag == "gone" else 0)
    canvas = pil.new("RGB", (width, int(y + line_h + 4)), BACKGROUND)
    pen = draw_mod.Draw(canvas)
    for x, y, w, tok, tag in placed:
        if tag == "new":
            pen.rectangle([x - 1, y, x + w + 1, y + line_h - 2], fill=MARK)
        color = (150, 150, 150) if tag == "gone" else INK
        pen.text((x, y + 1), tok, fill=color, font=f)
        if tag == "gone":
            pen.line([(x, y + line_h / 2), (x + w, y + line_h / 2)], fill=(150, 150, 150), width=1)
    return np.asarray(canvas)


def label_strip(text: str, width: int, size: int = 12, color: tuple[int, int, int] = (90, 90, 90)) -> np.ndarray:
    """A one-line caption strip (text cut to fit)."""
    pil = _pil()
    draw_mod = require("PIL.ImageDraw", "cli", feature="previews")
    f = font(size)
    while text and f.getlength(text) > width - 6:
        text = text[:-2] + "…"
    canvas = pil.new("RGB", (width, size + 6), BACKGROUND)
    draw_mod.Draw(canvas).text((3, 2), text, fill=color, font=f)
    return np.asarray(canvas)


def stack(pictures: list[np.ndarray], *, axis: int = 0, gap: int = 4) -> np.ndarray:
    """Pictures placed below each other (``axis=0``) or side by side (``axis=1``) on white."""
    pictures = [p for p in pictures if p is not None and p.size]
    if not pictures:
        return np.full((1, 1, 3), 255, np.uint8)
    if axis == 0:
        width = max(p.shape[1] for p in pictures)
        height = sum(p.shape[0] for p in pictures) + gap * (len(pictures) - 1)
    else:
        width = sum(p.shape[1] for p in pictures) + gap * (len(pictures) - 1)
        height = max(p.shape[0] for p in pictures)
    out = np.full((height, width, 3), 255, np.uint8)
    pos = 0
    for p in pictures:
        if axis == 0:
            out[pos : pos + p.shape[0], : p.shape[1]] = p
            pos += p.shape[0] + gap
        else:
            out[: p.shape[0], pos : pos + p.shape[1]] = p
            pos += p.shape[1] + gap
    return out
