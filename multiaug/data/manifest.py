"""Append-only JSON-lines files that survive a kill: the output manifest and the error log.

Each row is written with a single ``write`` call, so an interrupted process leaves either the whole
line or, after a power loss, a torn last line that :func:`read_rows` drops and :meth:`JsonlAppender.open`
cuts off before appending. Rows are fsynced in batches (every ``sync_every`` rows or
``sync_seconds``), together with the folders that received new files, so a row on disk always
describes files that are on disk too.

Example:
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "m.jsonl")
    >>> with JsonlAppender(path) as out:
    ...     out.append({"a": 1})
    >>> read_rows(path)
    [{'a': 1}]
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from multiaug.data.files import atomic_write_bytes

__all__ = ["JsonlAppender", "read_rows", "rewrite_rows"]


def _dumps(row: Any) -> str:
    return json.dumps(row, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)


def read_rows(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """The complete rows of a JSON-lines file; a torn last line is ignored, a missing file is empty."""
    p = Path(path)
    if not p.exists():
        return []
    rows = []
    data = p.read_bytes()
    complete = data[: data.rfind(b"\n") + 1]
    for line in complete.decode("utf-8").splitlines():
        if line.strip():
            rows.append(json.loads(line))
    return rows


def rewrite_rows(path: str | os.PathLike[str], rows: Iterable[Any]) -> None:
    """Atomically replace ``path`` with ``rows`` (used to leave a finished manifest sorted)."""
    text = "".join(_dumps(r) + "\n" for r in rows)
    atomic_write_bytes(path, text.encode("utf-8"))


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot fsync a folder; the file data itself is synced
    finally:
        os.close(fd)


class JsonlAppender:
    """Appends rows to a JSON-lines file, fsyncing in batches.

    Args:
        path: The file (created if missing; a torn last line is cut off first).
        sync_every: Rows between fsyncs.
        sync_seconds: Longest time between fsyncs while rows arrive.
    """

    def __init__(self, path: str | os.PathLike[str], *, sync_every: int = 64, sync_seconds: float = 1.0) -> None:
        self.path = Path(path)
        self.sync_every = sync_every
        self.sync_seconds = sync_seconds
        self._fd: int | None = None
        self._pending = 0
        self._last_sync = time.monotonic()
        self._dirs: set[Path] = set()

    def open(self) -> JsonlAppender:
        """Open for appending, cutting off a torn last line."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        size = os.fstat(fd).st_size
        if size:
            keep = _complete_length(fd, size)
            if keep != size:
                os.ftruncate(fd, keep)
        os.lseek(fd, 0, os.SEEK_END)
        self._fd = fd
        _fsync_dir(self.path.parent)
        return self

    def __enter__(self) -> JsonlAppender:
        return self.open() if self._fd is None else self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def touched(self, folder: Path) -> None:
        """Note a folder that received files, to fsync before the rows describing them."""
        self._dirs.add(folder)

    def append(self, row: Any) -> None:
        """Write one row (one ``write`` call); fsync when the batch is full or old enough."""
        if self._fd is None:
            self.open()
        data = (_dumps(row) + "\n").encode("utf-8")
        view = memoryview(data)
        while view:
            view = view[os.write(self._fd, view) :]  # type: ignore[arg-type]
        self._pending += 1
        if self._pending >= self.sync_every or time.monotonic() - self._last_sync >= self.sync_seconds:
            self.sync()

    def sync(self) -> None:
        """Flush the folders of new files, then the rows, to disk."""
        for folder in self._dirs:
            _fsync_dir(folder)
        self._dirs.clear()
        if self._fd is not None:
            os.fsync(self._fd)
        self._pending = 0
        self._last_sync = time.monotonic()

    def close(self) -> None:
        """Sync and close."""
        if self._fd is not None:
            self.sync()
            os.close(self._fd)
            self._fd = None


def _complete_length(fd: int, size: int) -> int:
    """Length of the file up to and including its last newline."""
    pos = size
    chunk = 65536
    while pos > 0:
        start = max(0, pos - chunk)
        data = os.pread(fd, pos - start, start)
        nl = data.rfind(b"\n")
        if nl >= 0:
            return start + nl + 1
        pos = start
    return 0
