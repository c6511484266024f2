"""The issue's check: a run over a few hundred samples, SIGKILLed at random moments and resumed each time."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

import multiaug as ma
from multiaug.data import MANIFEST_NAME, list_sources, load_row, load_source
from multiaug.data.files import TEMP_MARK
from multiaug.data.manifest import read_rows

SOURCES = 240
VARIANTS = 3
KILLS = 10


def _count_rows(path: Path) -> int:
    try:
        return path.read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0


def _command(helpers, config: Path, src: Path, out: Path, workers: int) -> list[str]:
    return [
        sys.executable, str(helpers.child), "augment", str(config), "--input", str(src), "--output", str(out),
        "--n", str(VARIANTS), "--workers", str(workers), "--quiet",
    ]  # fmt: skip


def test_sigkill_at_random_moments_then_resume(tmp_path, helpers, shade_config):
    src = tmp_path / "in"
    helpers.write_images(src, SOURCES, size=8, classes=("a", "b", "c"))
    out = tmp_path / "out"
    rng = np.random.default_rng(1234)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    kills = 0
    for attempt in range(KILLS):
        workers = 1 + attempt % 2  # kill single-process runs and runs with a worker pool
        proc = subprocess.Popen(
            _command(helpers, shade_config, src, out, workers), env=env, start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        start_rows = _count_rows(out / MANIFEST_NAME)
        # Wait until this run has made progress, then kill it a random few milliseconds later.
        want = start_rows + int(rng.integers(1, 25))
        deadline = time.monotonic() + 20
        while proc.poll() is None and _count_rows(out / MANIFEST_NAME) < want and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep(float(rng.uniform(0.0, 0.05)))
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)  # the whole process group: the workers die too
            kills += 1
        proc.wait()
        proc.stderr.close()
        if _count_rows(out / MANIFEST_NAME) >= SOURCES * VARIANTS:
            break
    assert kills >= 5, "the runs finished before they could be killed; make the job bigger"

    final = subprocess.run(_command(helpers, shade_config, src, out, 2), env=env, capture_output=True, text=True)
    assert final.returncode == 0, final.stderr

    rows = read_rows(out / MANIFEST_NAME)
    assert len(rows) == SOURCES * VARIANTS
    keys = [(r["source_index"], r["variant"]) for r in rows]
    assert keys == [(i, v) for i in range(SOURCES) for v in range(VARIANTS)]  # exactly once each, sorted
    leftovers = [p for p in out.rglob("*") if p.name.endswith(TEMP_MARK)]
    assert leftovers == []
    written = sorted(p.relative_to(out).as_posix() for p in (out / "image").rglob("*.png"))
    assert written == sorted(r["files"]["image"] for r in rows)  # no stray outputs either

    pipe = ma.from_dict(helpers.SHADE)
    sources = list_sources(src)
    for row in rows:
        expected = pipe.replay(row["record"], load_source(sources[row["source_index"]]))
        np.testing.assert_array_equal(load_row(row, out)["image"], expected["image"])
