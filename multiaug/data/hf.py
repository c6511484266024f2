"""Hugging Face ``datasets`` adapters: :func:`transform` (online) and :func:`map_function` (offline).

Both take a batch as ``datasets`` hands it over (a dict of column -> list of values), turn each row
into a multiaug sample, run the pipeline and put the result back into the same columns:

* ``ds.set_transform(transform(pipe))`` (or ``with_transform``) augments rows as they are read, a new
  draw every time, e.g. inside a PyTorch ``DataLoader``.
* ``ds.map(map_function(pipe, epoch=0), batched=True, with_indices=True)`` writes an augmented copy.
  Row ``i`` gets ``pipe(sample, index=i, epoch=epoch)``, so the result is the same whatever the
  ``batch_size`` or ``num_proc``.

Columns and fields:

* A column is given to the pipeline under its own name, so ``image``, ``caption``, ``text``, ``label``,
  ``bboxes`` ... columns are fields of those kinds. ``columns={"img": "image", "sentence": "text"}``
  gives other columns a field name, ``columns={"text": None}`` keeps a column away from the pipeline,
  and a dotted name reaches into a dict column (a ``Sequence`` of dicts, as in detection datasets):
  ``columns={"objects.bbox": "bboxes", "objects.category": "bbox_labels"}``. When boxes are dropped,
  the other per-object lists of that dict (``area``, ``id`` ...) are cut to the same rows.
* Columns whose field name has no kind (see ``Pipeline(fields=...)``) are not given to the pipeline
  and come back untouched.
* ``Image`` columns: PIL in, PIL out. A ``mask`` keeps its PIL mode and palette (class ids are never
  recoloured). Undecoded images (``Image(decode=False)``: ``{"bytes", "path"}``) are opened with PIL.
* ``Audio`` columns (a dict ``{"array", "sampling_rate", "path"}``, or the audio decoder object of
  ``datasets`` 4 and later) become ``audio`` + ``sample_rate`` fields and come back as a dict with the
  same keys: a float32 ``array`` and the new ``sampling_rate`` if a step resampled. Undecoded audio
  (``Audio(decode=False)``: ``{"bytes", "path"}``) is read with soundfile at the file's own rate, so no
  audio decoder is needed; :func:`transform` returns it decoded, :func:`map_function` writes it back
  as 32-bit float WAV bytes in the same ``{"bytes", "path"}`` form.
* Box and keypoint lists come back as lists (arrays as arrays).

A row that fails raises :class:`~multiaug.AugmentationError` naming the row within the batch (and its
dataset index for :func:`map_function`), the column and the step.

The module itself does not import ``datasets``; the two factories check that it is installed
(``pip install "multiaug[hf]"``).

Example:
    >>> import multiaug as ma
    >>> fn = transform(ma.Pipeline([ma.Identity()], seed=0), columns={"sentence": "text"})
    >>> fn({"sentence": ["a cat", "a dog"], "label": [0, 1]})
    {'sentence': ['a cat', 'a dog'], 'label': [0, 1]}
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np

from multiaug.core.deps import require
from multiaug.core.errors import AugmentationError, InvalidParameterError, InvalidParameterTypeError
from multiaug.core.fields import resolve_kinds
from multiaug.core.pipeline import Pipeline

__all__ = ["map_function", "transform"]

Batch = dict[str, list[Any]]
_TABLE_KINDS = ("bboxes", "keypoints")
_SAMPLE_RATE = "sample_rate"
_Put = Callable[[Any, dict[str, Any]], None]  # stores one result value into the output row
_Restore = Callable[[dict[str, Any], dict[str, Any]], None]  # (pipeline output, output row) -> None


def transform(pipe: Pipeline, *, columns: Mapping[str, str | None] | None = None) -> Callable[[Batch], Batch]:
    """A batch function for ``datasets.Dataset.set_transform`` / ``with_transform``.

    Every read draws afresh from the pipeline's own stream (forked DataLoader workers each get a
    distinct stream). For a draw fixed per (epoch, index), write a copy with :func:`map_function`,
    or wrap a dataset of plain rows in :class:`multiaug.data.torch.AugmentedDataset`.

    Args:
        pipe: The pipeline.
        columns: Column -> field name for columns not named after their field (``{"img": "image"}``),
            ``None`` to keep a column away from the pipeline; dotted names reach into dict columns.

    Returns:
        A function from a batch (column -> list) to a batch with the same columns, plus any field a
        step added (``None`` in rows that lack it).

    Raises:
        MissingDependencyError: ``datasets`` is not installed.

    Example:
        >>> import multiaug as ma
        >>> from multiaug import image as I
        >>> fn = transform(ma.Pipeline([I.HorizontalFlip(p=1.0)], seed=0))
        >>> fn({"caption": ["a cat left of a dog"], "id": [7]})
        {'caption': ['a cat right of a dog'], 'id': [7]}
    """
    require("datasets", "hf", feature="multiaug.data.hf.transform")
    return _Transform(pipe, columns)


def map_function(
    pipe: Pipeline, *, columns: Mapping[str, str | None] | None = None, epoch: int = 0
) -> Callable[..., Batch]:
    """A function for ``dataset.map(fn, batched=True, with_indices=True)``: reproducible augmented copies.

    Row ``i`` of the dataset gets ``pipe(sample, index=i, epoch=epoch)``, so the copy depends only on
    the pipeline's seed, ``epoch`` and the rows, never on ``batch_size`` or ``num_proc``. Only the
    columns given to the pipeline (and fields a step added) are returned, so ``map`` keeps the
    other columns exactly as they were. ``batched=False`` works too.

    Args:
        pipe: The pipeline (give it a seed for a copy that can be made again).
        columns: As in :func:`transform`.
        epoch: Epoch number; make several copies with different epochs for more variants.

    Raises:
        MissingDependencyError: ``datasets`` is not installed.

    Example:
        >>> import multiaug as ma
        >>> fn = map_function(ma.Pipeline([ma.Identity()], seed=0), epoch=1)
        >>> fn({"text": ["a cat", "a dog"], "id": [3, 4]}, [10, 11])  # "id" is no field: map keeps it
        {'text': ['a cat', 'a dog']}
    """
    require("datasets", "hf", feature="multiaug.data.hf.map_function")
    if isinstance(epoch, bool) or not isinstance(epoch, (int, np.integer)) or epoch < 0:
        raise InvalidParameterError(f"map_function: epoch must be an integer >= 0, got {epoch!r}", param="epoch")
    return _MapFunction(pipe, columns, int(epoch))


# ----------------------------------------------------------------------------- the column plan
class _Source(NamedTuple):
    """One value given to the pipeline: ``row[column]`` or ``row[column][key]``, as ``field``."""

    column: str
    key: str | None
    field: str
    kind: str

    @property
    def label(self) -> str:
        return self.column if self.key is None else f"{self.column}.{self.key}"


class _Plan(NamedTuple):
    sources: tuple[_Source, ...]
    nested: dict[str, tuple[str, ...]]  # dict column -> its keys given to the pipeline
    field_label: dict[str, str]  # field -> the column it came from, for error messages


def _check_columns(columns: Any, owner: str) -> dict[str, str | None]:
    if columns is None:
        return {}
    if not isinstance(columns, Mapping):
        raise InvalidParameterTypeError(
            f"{owner}: columns must map column names to field names, got {type(columns).__name__}", param="columns"
        )
    out: dict[str, str | None] = {}
    for column, field in columns.items():
        if not isinstance(column, str) or not column:
            raise InvalidParameterTypeError(f"{owner}: column names must be non-empty str, got {column!r}",
                                            param="columns")
        if field is not None and (not isinstance(field, str) or not field):
            raise InvalidParameterTypeError(
                f"{owner}: columns[{column!r}] must be a field name (str) or None, got {field!r}", param="columns"
            )
        out[column] = field
    targets = [f for f in out.values() if f is not None]
    for field in targets:
        if targets.count(field) > 1:
            names = [c for c, f in out.items() if f == field]
            raise InvalidParameterError(f"{owner}: columns {names} all map to field {field!r}", param="columns")
    return out


class _BatchAugmenter:
    """Shared machinery of the two adapters: batch -> samples -> pipeline -> batch."""

    owner = "multiaug.data.hf"
    decoded_audio = True  # undecoded audio comes back decoded (transform) or as WAV bytes (map)
    all_columns = True  # return untouched columns too (transform) or only the changed ones (map)

    def __init__(self, pipe: Pipeline, columns: Mapping[str, str | None] | None) -> None:
        if not isinstance(pipe, Pipeline):
            raise InvalidParameterError(
                f"{self.owner}: pipe must be a multiaug Pipeline, got {type(pipe).__name__}", param="pipe"
            )
        self.pipe = pipe
        self.columns = _check_columns(columns, self.owner)
        self._plans: dict[tuple[str, ...], _Plan] = {}

    def __repr__(self) -> str:
        return f"{type(self).__name__}(columns={self.columns!r}, pipe={self.pipe!r})"

    # ------------------------------------------------------------------ planning
    def _plan(self, names: tuple[str, ...]) -> _Plan:
        plan = self._plans.get(names)
        if plan is None:
            plan = self._plans[names] = self._make_plan(names)
        return plan

    def _make_plan(self, names: tuple[str, ...]) -> _Plan:
        present = set(names)
        wanted: list[tuple[str, str | None, str]] = []
        for source, field in self.columns.items():
            if source in present:
                if field is not None:
                    wanted.append((source, None, field))
                continue
            head, dot, key = source.partition(".")
            if not dot or head not in present or not key:
                raise AugmentationError(
                    f"columns names {source!r}, which is not a column of this batch (columns: {sorted(names)})"
                )
            if field is not None:
                wanted.append((head, key, field))
        wanted.extend((name, None, name) for name in names if name not in self.columns)
        kinds = resolve_kinds([field for _, _, field in wanted], self.pipe.fields)
        sources = tuple(_Source(c, k, f, kinds[f]) for c, k, f in wanted if kinds[f] is not None)
        field_label: dict[str, str] = {}
        for src in sources:
            if src.field in field_label:
                raise AugmentationError(
                    f"columns {field_label[src.field]!r} and {src.label!r} are both given to the pipeline as "
                    f"field {src.field!r}; map one of them to another name (or to None) with columns=",
                    field=src.field,
                )
            field_label[src.field] = src.label
        nested: dict[str, tuple[str, ...]] = {}
        for src in sources:
            if src.key is not None:
                nested[src.column] = (*nested.get(src.column, ()), src.key)
        return _Plan(sources, nested, field_label)

    # ------------------------------------------------------------------ batches
    def _run(self, batch: Mapping[str, Any], indices: Sequence[int] | None) -> Batch:
        if not isinstance(batch, Mapping):
            raise AugmentationError(f"a batch must be a dict of column -> list, got {type(batch).__name__}")
        names = tuple(batch)
        plan = self._plan(names)
        touched = {src.column for src in plan.sources}
        # Under map, columns the pipeline does not read are never touched (nor decoded).
        n = _batch_length(batch, names if self.all_columns else [c for c in names if c in touched])
        if indices is not None and n is not None and len(indices) != n:
            raise AugmentationError(f"{len(indices)} indices for a batch of {n} rows")
        n = n if n is not None else len(indices or ())
        rows: list[dict[str, Any]] = []
        for i in range(n):
            index = None if indices is None else int(indices[i])
            try:
                rows.append(self._run_row(plan, batch, i, index))
            except AugmentationError as exc:
                raise _row_error(exc, plan, i, index) from exc
        out: Batch = {}
        for name in names:
            if name in touched:
                out[name] = [row.pop(name) for row in rows]
            elif self.all_columns:
                out[name] = batch[name]
        for row in rows:  # fields that a step added, in the order they first appear
            for name in row:
                if name not in out:
                    out[name] = [r.get(name) for r in rows]
        return out

    def _run_row(self, plan: _Plan, batch: Mapping[str, Any], i: int, index: int | None) -> dict[str, Any]:
        sample: dict[str, Any] = {}
        restores: list[_Restore] = []
        containers = {column: batch[column][i] for column in plan.nested}
        for column, container in containers.items():
            if not isinstance(container, Mapping):
                raise AugmentationError(
                    f"column {column!r} must hold dicts to reach into it, got {type(container).__name__}",
                    field=column,
                )
            containers[column] = dict(container)  # written back as a new dict, the input is left alone
        for src in plan.sources:
            if src.key is None:
                value = batch[src.column][i]
            else:
                if src.key not in containers[src.column]:
                    raise AugmentationError(f"row has no key {src.key!r} in column {src.column!r}", field=src.field)
                value = containers[src.column][src.key]
            restores.append(self._give(sample, src, value, plan, containers))
        out = self.pipe(sample) if index is None else self.pipe(sample, index=index, epoch=self._epoch())
        row: dict[str, Any] = {}
        for restore in restores:
            restore(out, row)
        for column, container in containers.items():
            row[column] = container
        given = {src.field for src in plan.sources}
        if any(src.kind == "audio" and src.field != _SAMPLE_RATE for src in plan.sources):
            given.add(_SAMPLE_RATE)
        for field, value in out.items():
            if field not in given:
                row[field] = value
        return row

    def _epoch(self) -> int:
        return 0

    # ------------------------------------------------------------------ one value
    def _give(
        self, sample: dict[str, Any], src: _Source, value: Any, plan: _Plan, containers: dict[str, dict[str, Any]]
    ) -> _Restore:
        """Put ``value`` into ``sample`` as ``src.field``; returns what writes the result back."""
        field = src.field

        def put(result: Any, row: dict[str, Any]) -> None:
            if src.key is None:
                row[src.column] = result
            else:
                containers[src.column][src.key] = result

        if src.kind == "audio" and _is_audio_record(value):
            return self._give_audio(sample, src, value, plan, put)
        if src.kind in ("image", "mask") and isinstance(value, Mapping):
            value = _open_image(value, src.label)
        if src.kind == "mask" and _is_pil(value):
            array, back = _mask_from_pil(value, src.label)
            sample[field] = array
            return lambda out, row: put(back(out[field]) if field in out else None, row)
        if src.kind == "audio" and isinstance(value, (list, tuple)):
            value = np.asarray(value, dtype=np.float32)
        if src.kind in _TABLE_KINDS:
            return self._give_table(sample, src, value, plan, containers, put)
        sample[field] = value
        return lambda out, row: put(out.get(field), row)

    def _give_table(
        self, sample: dict[str, Any], src: _Source, value: Any, plan: _Plan,
        containers: dict[str, dict[str, Any]], put: _Put,
    ) -> _Restore:
        field = src.field
        as_list = isinstance(value, (list, tuple))
        siblings = _per_object_siblings(src, value, plan, containers)
        if siblings:
            table = np.asarray(value, dtype=np.float64)
            value = np.column_stack([table, np.arange(len(table), dtype=np.float64)])
        sample[field] = value

        def restore(out: dict[str, Any], row: dict[str, Any]) -> None:
            result = out.get(field)
            if result is None:
                put(None, row)
                return
            if siblings:
                result, keep = _split_row_ids(np.asarray(result), len(table), table.shape[1], src)
                container = containers[src.column]
                for key in siblings:
                    container[key] = _take(container[key], keep)
            if as_list and isinstance(result, np.ndarray):
                result = result.tolist()
            put(result, row)

        return restore

    def _give_audio(self, sample: dict[str, Any], src: _Source, value: Any, plan: _Plan, put: _Put) -> _Restore:
        field = src.field
        if _SAMPLE_RATE in plan.field_label:
            other = plan.field_label[_SAMPLE_RATE]
            raise AugmentationError(
                f"the audio dict of {src.label!r} brings its own sampling_rate, but column {other!r} is also given "
                f"as field 'sample_rate'; map one of them away with columns=",
                field=field,
            )
        if sum(s.kind == "audio" for s in plan.sources) > 1:
            raise AugmentationError(
                "only one audio column can be augmented per row (the pipeline has one 'sample_rate'); "
                "map the others to None with columns=",
                field=field,
            )
        undecoded = isinstance(value, Mapping) and "array" not in value
        if undecoded:
            array, rate = _read_audio(value, src.label)
            keys: tuple[str, ...] = ("array", "sampling_rate", "path")
        else:
            array = value["array"]
            rate = value.get("sampling_rate") if isinstance(value, Mapping) else value["sampling_rate"]
            if isinstance(array, (list, tuple)):
                array = np.asarray(array, dtype=np.float32)
            keys = tuple(value) if isinstance(value, Mapping) else ("array", "sampling_rate", "path")
        if rate is None:
            raise AugmentationError("the audio dict has no 'sampling_rate'", field=field)
        path = value.get("path") if isinstance(value, Mapping) else _decoder_path(value)
        extra = {k: value[k] for k in keys if k not in ("array", "sampling_rate", "path")}
        sample[field] = array
        sample[_SAMPLE_RATE] = rate

        def restore(out: dict[str, Any], row: dict[str, Any]) -> None:
            audio = np.asarray(out[field], dtype=np.float32)
            new_rate = int(out[_SAMPLE_RATE])
            if undecoded and not self.decoded_audio:
                from multiaug.data.files import encode_value

                _, data = encode_value("audio", audio, sample_rate=new_rate)
                put({"bytes": data, "path": path}, row)
                return
            result = {"array": audio, "sampling_rate": new_rate, "path": path, **extra}
            put({k: result[k] for k in keys}, row)

        return restore


class _Transform(_BatchAugmenter):
    """The function returned by :func:`transform`."""

    owner = "multiaug.data.hf.transform"

    def __call__(self, batch: Mapping[str, Any]) -> Batch:
        return self._run(batch, None)


class _MapFunction(_BatchAugmenter):
    """The function returned by :func:`map_function`."""

    owner = "multiaug.data.hf.map_function"
    decoded_audio = False
    all_columns = False

    def __init__(self, pipe: Pipeline, columns: Mapping[str, str | None] | None, epoch: int) -> None:
        super().__init__(pipe, columns)
        self.epoch = epoch

    def _epoch(self) -> int:
        return self.epoch

    def __call__(self, batch: Mapping[str, Any], indices: Any = None) -> Batch:
        if indices is None:
            raise AugmentationError(
                "map_function needs the row indices: call dataset.map(fn, batched=True, with_indices=True)"
            )
        if isinstance(indices, (int, np.integer)):  # map(..., batched=False): one row
            out = self._run({k: [v] for k, v in batch.items()}, [int(indices)])
            return {k: v[0] for k, v in out.items()}
        return self._run(batch, list(indices))


# ----------------------------------------------------------------------------- helpers
def _batch_length(batch: Mapping[str, Any], names: Sequence[str]) -> int | None:
    lengths = set()
    for name in names:
        values = batch[name]
        if isinstance(values, (str, bytes)) or not hasattr(values, "__len__"):
            raise AugmentationError(
                f"column {name!r} of the batch must be a list of values, got {type(values).__name__}", field=name
            )
        lengths.add(len(values))
    if len(lengths) > 1:
        raise AugmentationError(f"the columns of the batch have different lengths: {sorted(lengths)}")
    return lengths.pop() if lengths else None


def _row_error(exc: AugmentationError, plan: _Plan, i: int, index: int | None) -> AugmentationError:
    where = f"row {i} of the batch" + (f" (dataset index {index})" if index is not None else "")
    column = plan.field_label.get(exc.field, exc.field) if exc.field is not None else None
    if exc.field == _SAMPLE_RATE and _SAMPLE_RATE not in plan.field_label:
        column = next((s.label for s in plan.sources if s.kind == "audio"), column)
    return AugmentationError(f"{where}: {exc.message}", step=exc.step, field=column)


def _is_pil(value: Any) -> bool:
    return type(value).__module__.startswith("PIL.")


def _is_audio_record(value: Any) -> bool:
    """A ``datasets`` audio value: a dict with ``array`` or ``bytes``/``path``, or a decoder object."""
    if isinstance(value, Mapping):
        return "array" in value or "bytes" in value or "path" in value
    return hasattr(value, "get_all_samples") and hasattr(value, "__getitem__")


def _decoder_path(decoder: Any) -> str | None:
    return getattr(getattr(decoder, "metadata", None), "path", None)  # datasets sets it when decoding


def _read_audio(value: Mapping[str, Any], label: str) -> tuple[np.ndarray, int]:
    sf = require("soundfile", "audio", feature="reading undecoded audio in multiaug.data.hf")
    data, path = value.get("bytes"), value.get("path")
    if data is None and path is None:
        raise AugmentationError("the audio dict has none of 'array', 'bytes' and 'path'", field=label)
    try:
        frames, rate = sf.read(io.BytesIO(data) if data is not None else path, dtype="float32", always_2d=True)
    except (sf.LibsndfileError, RuntimeError, OSError, TypeError) as exc:
        raise AugmentationError(f"cannot read the audio ({path or 'bytes'}): {exc}", field=label) from exc
    audio = np.ascontiguousarray(frames.T)
    return (audio[0] if audio.shape[0] == 1 else audio), int(rate)


def _open_image(value: Mapping[str, Any], label: str) -> Any:
    pil = require("PIL.Image", "image", feature="reading undecoded images in multiaug.data.hf")
    data, path = value.get("bytes"), value.get("path")
    if data is None and path is None:
        raise AugmentationError("the image dict has neither 'bytes' nor 'path'", field=label)
    try:
        img = pil.open(io.BytesIO(data) if data is not None else path)
        img.load()
    except (OSError, ValueError) as exc:
        raise AugmentationError(f"cannot read the image ({path or 'bytes'}): {exc}", field=label) from exc
    return img


_MASK_MODES = {"1": np.bool_, "L": np.uint8, "P": np.uint8, "I;16": np.uint16, "I": np.int32}


def _mask_from_pil(img: Any, label: str) -> tuple[np.ndarray, Callable[[Any], Any]]:
    """A PIL mask as its integer array (palette indices, not colours) and the way back to PIL."""
    from PIL import Image

    mode = img.mode
    if mode not in _MASK_MODES:
        raise AugmentationError(f"PIL mask mode {mode!r} is not supported; use 'L', 'P', 'I;16', 'I' or '1'",
                                field=label)
    array = np.asarray(img, dtype=_MASK_MODES[mode])
    palette = img.getpalette() if mode == "P" else None

    def back(out: Any) -> Any:
        out = np.asarray(out)
        if out.ndim == 3 and out.shape[2] == 1:
            out = out[:, :, 0]
        if mode == "1":
            return Image.fromarray(out.astype(np.uint8) * 255).convert("1")
        result = Image.fromarray(np.ascontiguousarray(out.astype(_MASK_MODES[mode], copy=False)))
        if palette is not None:
            result.putpalette(palette)  # an "L" image with a palette is a "P" image with the same indices
        return result

    return array, back


def _per_object_siblings(src: _Source, value: Any, plan: _Plan, containers: dict[str, dict[str, Any]]) -> list[str]:
    """The unmapped per-object lists beside a box/keypoint list in a dict column (``objects.area`` ...)."""
    if src.key is None:
        return []
    try:
        table = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return []  # the pipeline reports the malformed table
    if table.ndim != 2 or len(table) == 0:
        return []
    container = containers[src.column]
    mapped = set(plan.nested[src.column])
    siblings = [
        key for key, v in container.items()
        if key not in mapped and not isinstance(v, (str, bytes)) and hasattr(v, "__len__") and len(v) == len(table)
    ]
    others = [s for s in plan.sources if s.column == src.column and s.key != src.key and s.kind in _TABLE_KINDS]
    if siblings and others:
        raise AugmentationError(
            f"column {src.column!r} holds more than one box/keypoint list, so its other per-object lists "
            f"{siblings} cannot be matched to one of them; map each as 'bbox_labels' or 'keypoint_labels' "
            f"(or to None) with columns=",
            field=src.field,
        )
    return siblings


def _split_row_ids(table: np.ndarray, n_before: int, n_cols: int, src: _Source) -> tuple[np.ndarray, np.ndarray]:
    """Remove the row-id column added before the pipeline; returns the table and the kept row ids."""
    if table.ndim != 2 or table.shape[1] != n_cols + 1:
        raise AugmentationError(
            f"a step changed the columns of the table from {n_cols} to {table.shape[1:] or 'none'}, so the other "
            f"per-object lists of {src.column!r} cannot follow it; map them with columns=",
            field=src.field,
        )
    ids = table[:, -1]
    keep = ids.astype(np.int64)
    if len(ids) and (not np.array_equal(keep, ids) or keep.min() < 0 or keep.max() >= n_before):
        raise AugmentationError(
            f"a step added rows that did not come from this row's {src.label!r}, so the other per-object lists "
            f"of {src.column!r} cannot follow; map them with columns=",
            field=src.field,
        )
    return np.ascontiguousarray(table[:, :-1]), keep


def _take(values: Any, keep: np.ndarray) -> Any:
    if isinstance(values, np.ndarray):
        return values[keep]
    return [values[j] for j in keep.tolist()]
