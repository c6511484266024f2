"""Framework overhead: cost per step of an identity step inside a Pipeline, and per call.

Compared with albumentations' ``Compose`` of ``NoOp`` steps in the same run (when installed).
Run: ``OMP_NUM_THREADS=1 .venv/bin/python benchmarks/core_bench.py``.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

import multiaug as ma

STEPS = 50
REPEATS = 15


def per_call_us(fn: Callable[[], object], calls: int) -> float:
    """Fastest of REPEATS runs: the mean time of one call, in microseconds.

    On a shared machine noise only ever adds time, so the fastest run is the least disturbed one.
    """
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        for _ in range(calls):
            fn()
        times.append((time.perf_counter() - start) / calls * 1e6)
    return min(times)


class Touch(ma.Augmenter):
    """A step with one image kernel that returns its input: measures kernel dispatch."""

    name = "bench.Touch"

    def apply_image(self, image, params, sample):  # type: ignore[no-untyped-def]
        return image


def main() -> None:
    image = np.zeros((8, 8, 3), np.uint8)
    sample = {"image": image, "label": 1}
    rows = []

    empty = ma.Pipeline([], seed=0)
    full = ma.Pipeline([ma.Identity() for _ in range(STEPS)], seed=0)
    half = ma.Pipeline([ma.Identity(p=0.5) for _ in range(STEPS)], seed=0)
    calls = 2000
    t_empty = per_call_us(lambda: empty(sample), calls)
    t_full = per_call_us(lambda: full(sample), calls)
    t_half = per_call_us(lambda: half(sample), calls)
    t_index = per_call_us(lambda: empty(sample, index=5), calls)
    t_record = per_call_us(lambda: full(sample, return_record=True), calls)
    touch = ma.Pipeline([Touch() for _ in range(STEPS)], seed=0)
    t_touch = per_call_us(lambda: touch(sample), calls)
    step_us = (t_full - t_empty) / STEPS
    rows.append(("multiaug per-call overhead (no index)", t_empty))
    rows.append(("multiaug per-call overhead (index=...)", t_index))
    rows.append(("multiaug per Identity step (p=1)", step_us))
    rows.append(("multiaug per Identity step (p=0.5)", (t_half - t_empty) / STEPS))
    rows.append(("multiaug per step with one kernel (dispatch + new dict)", (t_touch - t_empty) / STEPS))
    rows.append(("multiaug per Identity step with return_record", (t_record - t_empty) / STEPS))

    try:
        import albumentations as A
    except ImportError:
        A = None
    if A is not None:
        a_empty = A.Compose([])
        a_full = A.Compose([A.NoOp(p=1.0) for _ in range(STEPS)])
        ta_empty = per_call_us(lambda: a_empty(image=image), calls)
        ta_full = per_call_us(lambda: a_full(image=image), calls)
        a_step = (ta_full - ta_empty) / STEPS
        rows.append(("albumentations per-call overhead", ta_empty))
        rows.append(("albumentations per NoOp step (p=1)", a_step))
        dispatch_us = (t_touch - t_empty) / STEPS
        rows.append(("ratio: albumentations NoOp step / multiaug one-kernel step", a_step / dispatch_us))

    width = max(len(r[0]) for r in rows)
    for label, value in rows:
        unit = "x" if label.startswith("ratio") else "µs"
        print(f"{label:<{width}}  {value:8.2f} {unit}")


if __name__ == "__main__":
    main()
