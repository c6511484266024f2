"""Inputs of an offline run: a folder, a single file, or a JSONL/CSV manifest, listed as :class:`Source` rows.

* **Folder**: every image (``.png``, ``.jpg`` ...), audio (``.wav``, ``.flac``, ``.ogg``) and text
  (``.txt``) file below it is one source. A JSON file with the same stem (``photo.json`` next to
  ``photo.jpg``) adds fields: a dict of fields (``caption``, ``bboxes`` ...), or for audio a
  transcript ``{"text", "words"}``. Sub-folders name the class (``cats/001.jpg`` has label
  ``cats``), and a top folder called ``train``, ``val``, ``valid``, ``validation`` or ``test``
  sets the split.
* **Single file**: one source, read as in a folder (its sidecar JSON included).
* **Manifest** (``.jsonl`` or ``.csv``): one row per source, columns map to fields by name (or by the
  pipeline's ``fields``). ``image``, ``mask``, ``audio`` and ``spectrogram`` columns hold paths,
  resolved relative to the manifest; ``transcript`` is a dict or a path to a JSON file; an ``id``
  column names the source. Every other column passes through to the output manifest.

Listing reads no media; :func:`load_source` reads one source when it is augmented.

Example:
    >>> import json, os, tempfile
    >>> folder = tempfile.mkdtemp()
    >>> with open(os.path.join(folder, "rows.jsonl"), "w") as fh:
    ...     _ = fh.write(json.dumps({"text": "a cat", "label": "pet", "split": "train"}) + "\\n")
    >>> [s.id for s in list_sources(os.path.join(folder, "rows.jsonl"))]
    ['000000']
    >>> load_source(list_sources(os.path.join(folder, "rows.jsonl"))[0])["text"]
    'a cat'
"""

from __future__ import annotations

import csv
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from multiaug.core.errors import AugmentationError, ConfigError
from multiaug.core.fields import resolve_kinds
from multiaug.data.files import AUDIO_SUFFIXES, IMAGE_SUFFIXES, TEXT_SUFFIXES, read_value

__all__ = ["FILE_KINDS", "RESERVED_COLUMNS", "SPLITS", "Source", "list_sources", "load_source", "safe_id"]

#: Kinds whose manifest value is a path to a file.
FILE_KINDS = frozenset({"image", "mask", "audio", "spectrogram"})
#: Columns an output manifest row uses for provenance; an input may not use them for data.
RESERVED_COLUMNS = frozenset({"source_id", "source_index", "variant", "seed", "index", "epoch", "record", "files"})
SPLITS = ("train", "val", "valid", "validation", "test")
_JSON_KINDS = frozenset({"bboxes", "keypoints", "bbox_labels", "keypoint_labels", "transcript"})
_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class Source:
    """One input row: an id, its position, its columns and the folder its paths are relative to.

    Attributes:
        index: Position in the input listing (what the augmentation's random draw is keyed on).
        id: Unique name of the source; output files are named after it.
        columns: Field name -> value as given (paths still relative to ``base``).
        base: Folder that relative paths are resolved against.
        file_columns: Columns that hold paths to read.
    """

    index: int
    id: str
    columns: dict[str, Any]
    base: str
    file_columns: frozenset[str] = field(default_factory=frozenset)


def safe_id(source_id: str) -> str:
    """A relative path made from ``source_id`` that stays inside the output folder.

    Example:
        >>> safe_id("cats/../x y.jpg")
        'cats/x_y.jpg'
    """
    parts = [_SAFE.sub("_", p) for p in str(source_id).replace("\\", "/").split("/")]
    parts = [p for p in parts if p not in ("", ".", "..")]
    return "/".join(parts) or "_"


def _media_kind(path: Path) -> str | None:
    suffix = path.suffix.lower()
    if suffix in IMAGE_SUFFIXES:
        return "image"
    if suffix in AUDIO_SUFFIXES:
        return "audio"
    if suffix in TEXT_SUFFIXES:
        return "text"
    return None


def _file_source(path: Path, root: Path, index: int) -> Source:
    kind = _media_kind(path)
    assert kind is not None
    rel = path.relative_to(root)
    columns: dict[str, Any] = {kind: rel.as_posix()}
    sidecar = path.with_suffix(".json")
    if kind != "text" and sidecar.is_file():
        try:
            extra = json.loads(sidecar.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ConfigError(f"{sidecar}: not readable JSON: {exc}") from None
        if not isinstance(extra, Mapping):
            raise ConfigError(f"{sidecar}: a sidecar must hold a JSON object of fields")
        if kind == "audio" and "words" in extra and "text" in extra:
            extra = {"transcript": dict(extra)}
        if extra.get(kind) == path.name:  # a sidecar may name its own media file
            extra = {k: v for k, v in extra.items() if k != kind}
        for key, value in extra.items():
            if key in RESERVED_COLUMNS or key == kind:
                raise ConfigError(f"{sidecar}: field {key!r} is reserved")
            columns[key] = value
    dirs = rel.parts[:-1]
    if dirs and dirs[0].lower() in SPLITS:
        columns.setdefault("split", dirs[0].lower())
        dirs = dirs[1:]
    if dirs:
        columns.setdefault("label", dirs[0])
    return Source(index, rel.with_suffix("").as_posix(), columns, str(root), frozenset({kind}))


def _list_folder(root: Path) -> list[Source]:
    files = []
    for dirpath, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            p = Path(dirpath, name)
            if not name.startswith(".") and _media_kind(p) is not None:
                files.append(p)
    files.sort(key=lambda p: p.relative_to(root).as_posix())
    return [_file_source(p, root, i) for i, p in enumerate(files)]


def _read_manifest_rows(path: Path) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    try:
        if path.suffix.lower() == ".csv":
            with path.open(newline="", encoding="utf-8") as fh:
                for row in csv.DictReader(fh):
                    rows.append({k: v for k, v in row.items() if k is not None})
            return rows
        with path.open(encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except ValueError as exc:
                    raise ConfigError(f"{path}, line {lineno}: not valid JSON: {exc}") from None
                if not isinstance(row, dict):
                    raise ConfigError(f"{path}, line {lineno}: a row must be a JSON object")
                rows.append(row)
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror or exc}") from None
    return rows


def _list_manifest(path: Path, fields: Mapping[str, str] | None) -> list[Source]:
    rows = _read_manifest_rows(path)
    base = str(path.parent)
    sources = []
    for i, row in enumerate(rows):
        bad = sorted(RESERVED_COLUMNS & set(row))
        if bad:
            raise ConfigError(f"{path}, row {i + 1}: column {bad[0]!r} is reserved for the output manifest")
        kinds = resolve_kinds(row, fields)
        file_columns = frozenset(
            k
            for k, kind in kinds.items()
            if kind in FILE_KINDS or (kind == "transcript" and isinstance(row[k], str) and row[k].endswith(".json"))
        )
        for k in file_columns:
            if not isinstance(row[k], str) or not row[k]:
                raise ConfigError(f"{path}, row {i + 1}: column {k!r} must be a file path, got {row[k]!r}")
        raw_id = row.pop("id", None)
        source_id = str(raw_id) if raw_id not in (None, "") else f"{i:06d}"
        sources.append(Source(i, source_id, row, base, file_columns))
    return sources


def list_sources(path: str | os.PathLike[str], fields: Mapping[str, str] | None = None) -> list[Source]:
    """List the sources of an input: a folder, a media file, or a ``.jsonl``/``.csv`` manifest.

    Args:
        path: The input.
        fields: The pipeline's field-name -> kind map, for manifest columns not named after their kind.

    Raises:
        ConfigError: the input does not exist, has no sources, a row is malformed or two sources
            share an id.
    """
    p = Path(path)
    if p.is_dir():
        sources = _list_folder(p)
    elif p.is_file() and p.suffix.lower() in (".jsonl", ".csv"):
        sources = _list_manifest(p, fields)
    elif p.is_file() and _media_kind(p) is not None:
        sources = [_file_source(p, p.parent, 0)]
    elif p.exists():
        raise ConfigError(f"{p}: an input is a folder, a .jsonl/.csv manifest, or an image, audio or .txt file")
    else:
        raise ConfigError(f"{p}: no such file or folder")
    if not sources:
        raise ConfigError(f"{p}: no images, audio or text files found")
    seen: dict[str, int] = {}
    for s in sources:
        key = safe_id(s.id)
        if key in seen:
            raise ConfigError(f"{p}: sources {seen[key]} and {s.index} both have the id {s.id!r}; ids must be unique")
        seen[key] = s.index
    return sources


def _parse_inline(kind: str | None, key: str, value: Any) -> Any:
    if isinstance(value, str) and kind in _JSON_KINDS and value.strip()[:1] in ("[", "{"):
        try:
            return json.loads(value)
        except ValueError as exc:
            raise AugmentationError(f"column {key!r} is not valid JSON: {exc}", field=key) from None
    if isinstance(value, str) and kind == "sample_rate" and value.strip().isdigit():
        return int(value)
    return value


def load_source(source: Source, fields: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Read one source into a sample dict: files loaded, JSON columns parsed, audio with its rate.

    Raises:
        AugmentationError: a file is missing or unreadable, or a column is malformed.
    """
    kinds = resolve_kinds(source.columns, fields)
    sample: dict[str, Any] = {}
    for key, value in source.columns.items():
        kind = kinds[key]
        if key not in source.file_columns:
            sample[key] = _parse_inline(kind, key, value)
            continue
        loaded = read_value(kind, Path(source.base, value))
        if isinstance(loaded, tuple):  # audio: (samples, rate)
            loaded, rate = loaded
            given = sample.get("sample_rate", source.columns.get("sample_rate"))
            if given not in (None, "") and int(given) != rate:
                raise AugmentationError(f"{value} is {rate} Hz but the row says sample_rate={given}", field=key)
            sample["sample_rate"] = rate
        sample[key] = loaded
    return sample
