"""Offline dataset expansion: ``n`` augmented variants of every source, written safely, with provenance.

Variant ``v`` of the source at position ``i`` is ``pipe(sample, index=i, epoch=v)``: a function of
(seed, source index, variant) alone, whatever the number of workers, the order samples finish in,
or how often the run was interrupted and resumed. The output folder holds

* the augmented files, ``<field>/<source id>_v<variant>.<ext>`` (fields that came from files, and
  arrays a step created, such as a spectrogram); other fields are stored in the manifest row;
* ``manifest.jsonl``: one row per variant with ``id``, ``source_id``, ``source_index``,
  ``variant``, ``seed``, ``index``, ``epoch``, the replay ``record``, ``files`` (field -> path
  relative to the folder) and every other field, passthrough columns such as ``label`` and
  ``split`` included;
* ``errors.jsonl``: one row per variant that failed, with the reason;
* ``multiaug_run.json``: what the run is (config, seed, input, options), so that running the same
  command again resumes it and a different command refuses to mix into it.

Each file is written to a temporary name, fsynced and renamed; a manifest row is appended only
after its files are in place, and rows are fsynced in batches. A killed run therefore leaves
complete files and complete rows; running it again removes stray temporary files, skips what the
manifest lists, redoes the rest (rewriting identical bytes) and leaves the manifest sorted.

Example:
    >>> import json, os, tempfile
    >>> import multiaug as ma
    >>> folder = tempfile.mkdtemp()
    >>> src = os.path.join(folder, "in.jsonl")
    >>> with open(src, "w") as fh:
    ...     _ = fh.write(json.dumps({"text": "a cat", "label": "pet"}) + "\\n")
    >>> summary = expand(ma.Pipeline([ma.Identity()], seed=0), src, os.path.join(folder, "out"), n=2)
    >>> summary.written, summary.total
    (2, 2)
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from multiaug.core.config import load as load_config
from multiaug.core.config import to_jsonable
from multiaug.core.errors import AugmentationError, ConfigError, MultiaugError
from multiaug.core.fields import resolve_kinds
from multiaug.core.pipeline import Pipeline
from multiaug.data.balance import balance_plan
from multiaug.data.files import read_value, remove_temp_files, write_value
from multiaug.data.manifest import JsonlAppender, read_rows, rewrite_rows
from multiaug.data.sources import Source, list_sources, load_source, safe_id

__all__ = [
    "ERRORS_NAME",
    "MANIFEST_NAME",
    "RUN_NAME",
    "OutputDirError",
    "RunSummary",
    "expand",
    "load_pipeline",
    "load_row",
]

MANIFEST_NAME = "manifest.jsonl"
ERRORS_NAME = "errors.jsonl"
RUN_NAME = "multiaug_run.json"
RUN_FORMAT = 1
_TABLE_KINDS = frozenset({"bboxes", "keypoints"})


class OutputDirError(MultiaugError):
    """The output folder cannot be used: it is inside the input, or holds something else."""


@dataclass
class RunSummary:
    """What a run did.

    Attributes:
        output: The output folder.
        seed: The pipeline seed used.
        sources: Sources listed in the input.
        augmented_sources: Sources that get variants (train rows, unless ``all_splits``).
        skipped_splits: Split -> number of sources left alone by split safety.
        total: Variants the run is to produce in all.
        written: Variants written by this call.
        resumed: Variants already written by an earlier, interrupted call.
        failed: Variants that failed (see ``errors.jsonl``).
        classes_before: With balancing, class -> count before.
        classes_after: With balancing, class -> count after.
        stopped: The run stopped early (``fail_fast``) and is not complete.
        removed_temp: Temporary files left by an interrupted run and removed.
    """

    output: Path
    seed: int
    sources: int
    augmented_sources: int
    skipped_splits: dict[str, int]
    total: int
    written: int = 0
    resumed: int = 0
    failed: int = 0
    classes_before: dict[str, int] | None = None
    classes_after: dict[str, int] | None = None
    stopped: bool = False
    removed_temp: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """Every planned variant is in the manifest."""
        return self.written + self.resumed == self.total


def load_pipeline(config: Any, seed: int | None = None) -> Pipeline:
    """A pipeline from a config path, a config dict or a pipeline, with ``seed`` applied.

    Without a seed in the config or the call, the seed is 0: an offline run must be repeatable.

    Example:
        >>> import multiaug as ma
        >>> load_pipeline({"steps": [{"name": "core.Identity"}]}, seed=5).seed
        5
    """
    from multiaug.core.config import from_dict

    if isinstance(config, Pipeline):
        pipe = config
    elif isinstance(config, Mapping):
        built = from_dict(config)
        pipe = built if isinstance(built, Pipeline) else Pipeline([built])
    else:
        pipe = load_config(config)
    if seed is None and pipe.seed is not None:
        return pipe
    d = pipe.to_dict()
    d["params"] = {**d.get("params", {}), "seed": 0 if seed is None else seed}
    return from_dict(d)


# ----------------------------------------------------------------------------- planning
def _split_of(source: Source) -> str | None:
    value = source.columns.get("split")
    return None if value is None else str(value).strip().lower()


def _select(sources: list[Source], all_splits: bool) -> tuple[list[Source], dict[str, int]]:
    if all_splits or not any("split" in s.columns for s in sources):
        return sources, {}
    chosen, skipped = [], {}
    for s in sources:
        split = _split_of(s)
        if split == "train":
            chosen.append(s)
        else:
            key = split if split else "(none)"
            skipped[key] = skipped.get(key, 0) + 1
    return chosen, dict(sorted(skipped.items()))


def _fingerprint(sources: Sequence[Source]) -> str:
    h = hashlib.sha256()
    for s in sources:
        h.update(json.dumps([s.index, s.id, to_jsonable(s.columns)], sort_keys=True, default=str).encode())
    return h.hexdigest()


# ----------------------------------------------------------------------------- output folder
def _inside(child: Path, parent: Path) -> bool:
    return child == parent or parent in child.parents


def _check_not_input(output: Path, input_path: Path) -> None:
    out, inp = output.resolve(), input_path.resolve()
    if inp.is_dir() and _inside(out, inp):
        raise OutputDirError(f"the output folder {output} is inside the input folder {input_path}; choose another")
    if _inside(inp, out):
        raise OutputDirError(f"the output folder {output} contains the input {input_path}; choose another")


def _clear_previous(output: Path) -> None:
    """Remove what an earlier run wrote (listed in its manifest), and only that."""
    root = output.resolve()
    for row in read_rows(output / MANIFEST_NAME):
        for rel in (row.get("files") or {}).values():
            target = (output / rel).resolve()
            if _inside(target, root) and target.is_file():
                target.unlink()
    for name in (MANIFEST_NAME, ERRORS_NAME, RUN_NAME):
        (output / name).unlink(missing_ok=True)
    remove_temp_files(output)
    for dirpath, _dirs, _files in sorted(os.walk(output, topdown=False)):
        p = Path(dirpath)
        if p != output and not any(p.iterdir()):
            p.rmdir()


def _prepare_output(output: Path, run_info: dict[str, Any], overwrite: bool) -> None:
    run_file = output / RUN_NAME
    if output.exists() and not output.is_dir():
        raise OutputDirError(f"{output} exists and is not a folder")
    if output.is_dir() and any(output.iterdir()):
        previous = None
        if run_file.is_file():
            try:
                previous = json.loads(run_file.read_text(encoding="utf-8"))
            except ValueError:
                previous = None
        if previous == run_info:
            return  # the same run: resume it
        if not overwrite:
            what = "a run of another config or input" if previous is not None else "files that are not a multiaug run"
            raise OutputDirError(
                f"the output folder {output} is not empty: it holds {what}. Choose an empty folder, or pass "
                "--overwrite to replace it (only the files of a previous run are removed)"
            )
        if previous is not None:
            _clear_previous(output)
    output.mkdir(parents=True, exist_ok=True)
    from multiaug.data.files import atomic_write_bytes

    atomic_write_bytes(run_file, (json.dumps(run_info, indent=2, sort_keys=True) + "\n").encode("utf-8"))


# ----------------------------------------------------------------------------- work
@dataclass(frozen=True)
class _Task:
    source: Source
    variants: tuple[int, ...]


@dataclass(frozen=True)
class _Job:
    config: dict[str, Any]
    output: str
    image_format: str


_worker_pipe: Pipeline | None = None
_worker_job: _Job | None = None
_worker_parent: int | None = None


def _init_worker(job: _Job) -> None:
    global _worker_pipe, _worker_job, _worker_parent
    _worker_job = job
    _worker_pipe = load_pipeline(job.config)  # each worker builds the pipeline from its config
    _worker_parent = os.getppid()


def _error_row(source: Source, variant: int, exc: BaseException) -> dict[str, Any]:
    row: dict[str, Any] = {
        "source_id": source.id,
        "source_index": source.index,
        "variant": variant,
        "error": type(exc).__name__,
        "message": str(exc),
    }
    if isinstance(exc, AugmentationError):
        row["step"] = exc.step
        row["field"] = exc.field
    return row


def _store(
    pipe: Pipeline, job: _Job, source: Source, variant: int, out: Mapping[str, Any], record: dict[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    kinds = resolve_kinds(out, pipe.fields)
    rate_keys = [k for k, kind in kinds.items() if kind == "sample_rate"]
    rate = out[rate_keys[0]] if rate_keys else None
    stem_name = f"{safe_id(source.id)}_v{variant:03d}"
    files: dict[str, str] = {}
    inline: dict[str, Any] = {}
    for key, value in out.items():
        is_array = isinstance(value, np.ndarray) or hasattr(value, "detach")
        # Box and keypoint tables stay readable JSON in the row; other arrays (made by a step) go to files.
        as_file = key in source.file_columns or (is_array and kinds[key] not in _TABLE_KINDS)
        if not as_file:
            inline[key] = to_jsonable(value)
            continue
        stem = Path(job.output, safe_id(key), stem_name)
        path = write_value(kinds[key], value, stem, sample_rate=rate, image_format=job.image_format)
        files[key] = path.relative_to(job.output).as_posix()
    row: dict[str, Any] = {
        **inline,
        "id": f"{source.id}_v{variant:03d}",
        "source_id": source.id,
        "source_index": source.index,
        "variant": variant,
        "seed": pipe.seed,
        "index": source.index,
        "epoch": variant,
        "record": record,
        "files": files,
    }
    json.dumps(row, allow_nan=False)  # a field that is not JSON fails here, before the row is written
    return row, [str(Path(job.output, p).parent) for p in files.values()]


def _run_task(pipe: Pipeline, job: _Job, task: _Task) -> list[tuple[str, dict[str, Any], list[str]]]:
    try:
        sample = load_source(task.source, pipe.fields)
    except Exception as exc:  # noqa: BLE001 - any failure to read a source is that source's error
        return [("error", _error_row(task.source, v, exc), []) for v in task.variants]
    results = []
    for v in task.variants:
        try:
            out, record = pipe(sample, index=task.source.index, epoch=v, return_record=True)
            row, dirs = _store(pipe, job, task.source, v, out, record)
            results.append(("ok", row, dirs))
        except Exception as exc:  # noqa: BLE001 - one failing sample must not stop the run
            results.append(("error", _error_row(task.source, v, exc), []))
    return results


def _worker_task(task: _Task) -> list[tuple[str, dict[str, Any], list[str]]]:
    if os.getppid() != _worker_parent:  # the parent was killed: stop rather than write on alone
        os._exit(1)
    assert _worker_pipe is not None and _worker_job is not None
    return _run_task(_worker_pipe, _worker_job, task)


def _results(
    pipe: Pipeline, job: _Job, tasks: list[_Task], workers: int
) -> Iterator[list[tuple[str, dict[str, Any], list[str]]]]:
    if workers <= 1 or len(tasks) <= 1:
        for task in tasks:
            yield _run_task(pipe, job, task)
        return
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    ctx = multiprocessing.get_context(method)
    pool = ctx.Pool(min(workers, len(tasks)), initializer=_init_worker, initargs=(job,))
    try:
        yield from pool.imap_unordered(_worker_task, tasks, chunksize=1)
        pool.close()
    finally:
        pool.terminate()
        pool.join()


# ----------------------------------------------------------------------------- the run
def expand(
    config: Any,
    input: str | os.PathLike[str],
    output: str | os.PathLike[str],
    *,
    n: int | None = 1,
    seed: int | None = None,
    workers: int = 1,
    overwrite: bool = False,
    fail_fast: bool = False,
    balance: str | None = None,
    target: int | None = None,
    all_splits: bool = False,
    image_format: str = "png",
    progress: bool = False,
    log: Callable[[str], None] | None = None,
) -> RunSummary:
    """Write augmented variants of every source of ``input`` to ``output``; resumable.

    Args:
        config: A pipeline, its config dict, or a ``.yaml``/``.json`` config file.
        input: A folder, a media file, or a ``.jsonl``/``.csv`` manifest (see :mod:`multiaug.data.sources`).
        output: The output folder: new, empty, or an interrupted run of the same command.
        n: Variants per source (ignored with ``balance``, which computes them).
        seed: Pipeline seed (overrides the config's; 0 if neither gives one).
        workers: Processes; the output does not depend on it.
        overwrite: Replace a non-empty output folder that is not this run (only a previous run's
            own files are removed).
        fail_fast: Stop at the first failing sample instead of logging it and going on.
        balance: Column holding the class: make variants until every class has ``target`` (or the
            largest class's count) sources.
        target: Count for ``balance``.
        all_splits: Augment every row, not only ``split == "train"`` ones.
        image_format: ``"png"`` (lossless, the default) or ``"jpg"`` for image outputs.
        progress: Show a tqdm progress bar on stderr.
        log: Called with one-line messages (resume notes, removed temporary files).

    Returns:
        A :class:`RunSummary`.

    Raises:
        OutputDirError: the output folder is inside the input, or not empty and not this run.
        ConfigError: bad config, input or options.
    """
    say = log or (lambda msg: None)
    if image_format not in ("png", "jpg"):
        raise ConfigError(f"image format must be 'png' or 'jpg', got {image_format!r}")
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ConfigError(f"workers must be a positive integer, got {workers!r}")
    if balance is None and target is not None:
        raise ConfigError("--target needs --balance FIELD")
    if balance is None and (isinstance(n, bool) or not isinstance(n, int) or n < 1):
        raise ConfigError(f"n must be a positive integer, got {n!r}")
    pipe = load_pipeline(config, seed)
    input_path, out = Path(input), Path(output)
    _check_not_input(out, input_path)
    sources = list_sources(input_path, pipe.fields)
    chosen, skipped = _select(sources, all_splits)

    before = after = None
    if balance is not None:
        missing = [s.id for s in chosen if balance not in s.columns]
        if missing:
            raise ConfigError(f"--balance {balance}: source {missing[0]!r} has no {balance!r} column")
        plan = balance_plan([s.columns[balance] for s in chosen], target)
        counts = plan.variants
        before, after = plan.before, plan.after
    else:
        counts = [int(n)] * len(chosen)  # type: ignore[arg-type]
    planned = {s.index: c for s, c in zip(chosen, counts)}
    total = sum(counts)

    job = _Job(pipe.to_dict(), str(out), image_format)
    run_info = {
        "multiaug_run": RUN_FORMAT,
        "config": job.config,
        "input": str(input_path.resolve()),
        "sources": len(sources),
        "sources_sha256": _fingerprint(sources),
        "n": None if balance is not None else n,
        "balance": balance,
        "target": target,
        "all_splits": all_splits,
        "image_format": image_format,
    }
    _prepare_output(out, run_info, overwrite)
    summary = RunSummary(out, int(pipe.seed or 0), len(sources), len(chosen), skipped, total)
    summary.classes_before, summary.classes_after = before, after
    summary.removed_temp = remove_temp_files(out)
    if summary.removed_temp:
        say(f"removed {summary.removed_temp} temporary file(s) left by an interrupted run")

    manifest_path = out / MANIFEST_NAME
    done: dict[tuple[int, int], dict[str, Any]] = {}
    for row in read_rows(manifest_path):
        key = (row.get("source_index"), row.get("variant"))
        if key[0] not in planned or not isinstance(key[1], int) or not 0 <= key[1] < planned[key[0]]:
            raise OutputDirError(f"{manifest_path} has a row this run would not make: {key}; was it edited?")
        done.setdefault(key, row)  # type: ignore[arg-type]
    summary.resumed = len(done)
    if done:
        say(f"resuming: {len(done)} of {total} variants already written")
    (out / ERRORS_NAME).unlink(missing_ok=True)  # earlier failures are retried

    tasks = []
    for s in chosen:
        todo = tuple(v for v in range(planned[s.index]) if (s.index, v) not in done)
        if todo:
            tasks.append(_Task(s, todo))

    bar = _progress_bar(total, summary.resumed, progress)
    manifest = JsonlAppender(manifest_path).open()
    errors_log = JsonlAppender(out / ERRORS_NAME)
    stream = _results(pipe, job, tasks, workers)
    try:
        for results in stream:
            for status, row, dirs in results:
                if status == "ok":
                    for d in dirs:
                        manifest.touched(Path(d))
                    manifest.append(row)
                    done[(row["source_index"], row["variant"])] = row
                    summary.written += 1
                else:
                    errors_log.append(row)
                    summary.errors.append(row)
                    summary.failed += 1
                if bar is not None:
                    bar.update(1)
            if fail_fast and summary.failed:
                summary.stopped = True
                break
    finally:
        stream.close()  # stops the worker pool, also on Ctrl-C or fail-fast
        manifest.close()
        errors_log.close()
        if bar is not None:
            bar.close()
    rewrite_rows(manifest_path, [done[k] for k in sorted(done)])
    if summary.errors:
        rewrite_rows(out / ERRORS_NAME, sorted(summary.errors, key=lambda r: (r["source_index"], r["variant"])))
    else:
        (out / ERRORS_NAME).unlink(missing_ok=True)
    return summary


def _progress_bar(total: int, initial: int, enabled: bool) -> Any:
    if not enabled:
        return None
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    return tqdm(total=total, initial=initial, unit="variant", file=sys.stderr, dynamic_ncols=True)


# ----------------------------------------------------------------------------- reading outputs
def load_row(
    row: Mapping[str, Any], output: str | os.PathLike[str], fields: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """The augmented sample a manifest row describes: its files read back, its other fields as stored.

    Example:
        >>> load_row({"text": "hi", "files": {}, "record": {}, "id": "a"}, ".")
        {'text': 'hi'}
    """
    from multiaug.data.sources import RESERVED_COLUMNS

    sample = {k: v for k, v in row.items() if k not in RESERVED_COLUMNS and k != "id"}
    kinds = resolve_kinds(row.get("files") or {}, fields)
    for key, rel in (row.get("files") or {}).items():
        value = read_value(kinds[key], Path(output, rel))
        sample[key] = value[0] if isinstance(value, tuple) else value
    return sample
