"""Reading and writing field values as files: images, masks, audio, text, JSON and arrays.

Writes are atomic: the bytes go to a hidden temporary file in the target's folder, which is
flushed to disk and then renamed over the target, so a reader (or a resumed run) only ever sees
complete files. Temporary files carry the :data:`TEMP_MARK` suffix so that a run interrupted by
SIGKILL can find and remove the ones it left behind, and nothing else.

Example:
    >>> import os, tempfile, numpy as np
    >>> folder = tempfile.mkdtemp()
    >>> path = write_value("image", np.zeros((4, 6, 3), np.uint8), os.path.join(folder, "a"))
    >>> os.path.basename(path), read_value("image", path).shape
    ('a.png', (4, 6, 3))
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from multiaug.core.deps import require
from multiaug.core.errors import AugmentationError

__all__ = [
    "AUDIO_SUFFIXES",
    "IMAGE_SUFFIXES",
    "TEMP_MARK",
    "TEXT_SUFFIXES",
    "atomic_write_bytes",
    "encode_value",
    "read_value",
    "remove_temp_files",
    "write_value",
]

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".webp", ".tif", ".tiff")
AUDIO_SUFFIXES = (".wav", ".flac", ".ogg")
TEXT_SUFFIXES = (".txt",)
TEMP_MARK = ".multiaug-tmp"


# ----------------------------------------------------------------------------- atomic writes
def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file, fsync and rename; returns ``path``."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.parent / f".{target.name}.{os.getpid()}{TEMP_MARK}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        tmp.unlink(missing_ok=True)
        raise
    os.close(fd)
    os.replace(tmp, target)
    return target


def remove_temp_files(root: str | os.PathLike[str]) -> int:
    """Delete the temporary files an interrupted run left under ``root``; returns how many."""
    count = 0
    for dirpath, _dirs, names in os.walk(root):
        for name in names:
            if name.startswith(".") and name.endswith(TEMP_MARK):
                Path(dirpath, name).unlink(missing_ok=True)
                count += 1
    return count


# ----------------------------------------------------------------------------- encoding
def _png_bytes(arr: np.ndarray, fmt: str = "png", quality: int = 95) -> bytes:
    pil = require("PIL.Image", "image", feature="writing images")
    if arr.ndim == 3 and arr.shape[2] == 1:
        arr = arr[:, :, 0]
    if arr.ndim == 3 and arr.shape[2] not in (3, 4):
        raise AugmentationError(f"cannot store a {arr.shape[2]}-channel image as {fmt.upper()}; use .npy")
    img = pil.fromarray(np.ascontiguousarray(arr))
    buf = io.BytesIO()
    if fmt == "jpg":
        if img.mode == "RGBA":
            raise AugmentationError("JPEG cannot store an alpha channel; use --image-format png")
        img.save(buf, format="JPEG", quality=quality)
    else:
        img.save(buf, format="PNG", compress_level=1)
    return buf.getvalue()


def _npy_bytes(arr: Any) -> bytes:
    buf = io.BytesIO()
    np.save(buf, np.asarray(arr), allow_pickle=False)
    return buf.getvalue()


def _wav_bytes(audio: np.ndarray, sample_rate: int) -> bytes:
    sf = require("soundfile", "audio", feature="writing audio")
    data = audio.T if audio.ndim == 2 else audio  # soundfile wants (frames, channels)
    buf = io.BytesIO()
    # 32-bit float WAV stores float32 samples exactly, so a written file equals its replay.
    sf.write(buf, np.ascontiguousarray(data, dtype=np.float32), int(sample_rate), format="WAV", subtype="FLOAT")
    return buf.getvalue()


def encode_value(
    kind: str | None, value: Any, *, sample_rate: int | None = None, image_format: str = "png"
) -> tuple[str, bytes]:
    """The file suffix and bytes that store ``value`` of field kind ``kind``.

    Images and masks that fit 8 bits go to PNG (or JPEG when asked), audio to 32-bit float WAV,
    strings to UTF-8 text, JSON values to JSON and other arrays to ``.npy``.

    Example:
        >>> encode_value("text", "héllo")
        ('.txt', b'h\\xc3\\xa9llo')
    """
    if isinstance(value, np.ndarray):
        if kind == "image" and value.dtype == np.uint8:
            return (".jpg" if image_format == "jpg" else ".png"), _png_bytes(value, image_format)
        if kind == "mask" and value.ndim == 2 and value.dtype == np.uint8:
            return ".png", _png_bytes(value)
        if kind == "audio":
            if sample_rate is None:
                raise AugmentationError("audio needs a sample_rate to be written", field=kind)
            return ".wav", _wav_bytes(value, sample_rate)
        return ".npy", _npy_bytes(value)
    if hasattr(value, "detach") and hasattr(value, "numpy"):  # a torch tensor made by a feature step
        return ".npy", _npy_bytes(value.detach().cpu().numpy())
    if isinstance(value, str):
        return ".txt", value.encode("utf-8")
    from multiaug.core.config import to_jsonable

    return ".json", (json.dumps(to_jsonable(value), ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


def write_value(
    kind: str | None,
    value: Any,
    stem: str | os.PathLike[str],
    *,
    sample_rate: int | None = None,
    image_format: str = "png",
) -> Path:
    """Atomically write ``value`` to ``stem`` plus the suffix its kind calls for; returns the path."""
    suffix, data = encode_value(kind, value, sample_rate=sample_rate, image_format=image_format)
    stem = Path(stem)
    return atomic_write_bytes(stem.with_name(stem.name + suffix), data)


# ----------------------------------------------------------------------------- reading
def _read_image(path: Path) -> np.ndarray:
    pil = require("PIL.Image", "image", feature="reading images")
    ops = require("PIL.ImageOps", "image", feature="reading images")
    with pil.open(path) as img:
        img = ops.exif_transpose(img)
        if img.mode in ("1", "P", "LA", "CMYK", "YCbCr"):
            img = img.convert("RGBA" if img.mode == "LA" or "transparency" in img.info else "RGB")
        if img.mode not in ("L", "RGB", "RGBA"):
            raise AugmentationError(f"{path}: image mode {img.mode!r} is not supported (8-bit L, RGB or RGBA)")
        return np.asarray(img).copy()


def _read_mask(path: Path) -> np.ndarray:
    if path.suffix == ".npy":
        return np.load(path, allow_pickle=False)
    pil = require("PIL.Image", "image", feature="reading masks")
    with pil.open(path) as img:
        return np.asarray(img).copy()


def read_audio(path: str | os.PathLike[str]) -> tuple[np.ndarray, int]:
    """Read an audio file as float32 ``(N,)`` or ``(C, N)`` plus its sample rate."""
    sf = require("soundfile", "audio", feature="reading audio")
    data, rate = sf.read(str(path), dtype="float32", always_2d=False)
    if data.ndim == 2:
        data = np.ascontiguousarray(data.T)
    return data, int(rate)


def read_value(kind: str | None, path: str | os.PathLike[str]) -> Any:
    """Read a field value of kind ``kind`` from ``path`` (chosen by kind, then by suffix).

    Audio comes back as ``(array, sample_rate)``.

    Raises:
        AugmentationError: the file is missing or cannot be decoded.
    """
    p = Path(path)
    if not p.is_file():
        raise AugmentationError(f"{p}: no such file")
    suffix = p.suffix.lower()
    readers: dict[str, Callable[[Path], Any]] = {
        ".npy": lambda q: np.load(q, allow_pickle=False),
        ".txt": lambda q: q.read_text(encoding="utf-8"),
        ".json": lambda q: json.loads(q.read_text(encoding="utf-8")),
    }
    try:
        if suffix in readers:
            return readers[suffix](p)
        if kind == "audio" or suffix in AUDIO_SUFFIXES:
            return read_audio(p)
        if kind == "mask":
            return _read_mask(p)
        if kind == "image" or suffix in IMAGE_SUFFIXES:
            return _read_image(p)
    except AugmentationError:
        raise
    except (OSError, ValueError, RuntimeError) as exc:
        raise AugmentationError(f"{p}: cannot read it as {kind or suffix}: {exc}") from exc
    raise AugmentationError(f"{p}: do not know how to read a {suffix or 'suffix-less'} file as {kind}")
