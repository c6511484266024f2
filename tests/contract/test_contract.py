"""Generic checks run over every registered built-in augmenter (DESIGN.md section 8)."""

from __future__ import annotations

import copy
import json
from typing import Any

import numpy as np
import pytest

import multiaug as ma
from multiaug.core.fields import field_values_equal
from multiaug.core.registry import BUILTIN_MODALITIES, get
from tests.contract.case import Case
from tests.contract.cases import CASES
from tests.contract.samples import BAD_VALUES, default_sample

NAMES = [n for n in ma.available() if n.split(".", 1)[0] in BUILTIN_MODALITIES]


def _case(name: str) -> Case:
    case = CASES.get(name, Case())
    if case.skip:
        pytest.skip(f"{name}: {case.skip}")
    return case


def _make(name: str, p: float = 1.0) -> ma.Augmenter:
    case = CASES.get(name, Case())
    return get(name)(**copy.deepcopy({**case.kwargs, "p": p}))


def _sample(name: str) -> dict[str, Any]:
    case = CASES.get(name, Case())
    return case.sample() if case.sample else default_sample(get(name).target_kinds())


def _run(pipe: ma.Pipeline, sample: dict[str, Any], index: int, case: Case, **kw: Any) -> Any:
    if case.batch_only:
        n = case.batch_size
        outs = pipe.batch([sample] * n, indices=[index * n + k for k in range(n)], **kw)
        return outs
    return pipe(sample, index=index, **kw)


def _equal(a: Any, b: Any) -> bool:
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b))
    return a.keys() == b.keys() and all(field_values_equal(a[k], b[k]) for k in a)


def test_registry_is_not_empty() -> None:
    assert "core.Identity" in NAMES


@pytest.mark.parametrize("name", NAMES)
def test_same_seed_same_output(name: str) -> None:
    case = _case(name)
    sample = _sample(name)
    first = ma.Pipeline([_make(name)], seed=11)
    second = ma.Pipeline([_make(name)], seed=11)
    for index in range(3):
        assert _equal(_run(first, sample, index, case), _run(second, sample, index, case))


@pytest.mark.parametrize("name", NAMES)
def test_replay_matches_after_json_round_trip(name: str) -> None:
    case = _case(name)
    sample = _sample(name)
    pipe = ma.Pipeline([_make(name)], seed=5)
    for index in range(3):
        if case.batch_only:
            n = case.batch_size
            outs, records = pipe.batch(
                [sample] * n, indices=[index * n + k for k in range(n)], return_records=True
            )
            batch = [sample] * n
            replayed = [pipe.replay(json.loads(json.dumps(r)), s) for r, s in zip(records, batch)]
            for record in records:
                assert json.loads(json.dumps(record)) == record, "params must be plain JSON values"
            if getattr(get(name), "replays_per_sample", True):
                assert _equal(replayed, outs)
            continue
        out, record = pipe(sample, index=index, return_record=True)
        restored = json.loads(json.dumps(record))
        assert restored == record, "params must be plain JSON values"
        assert _equal(pipe.replay(restored, sample), out)


@pytest.mark.parametrize("name", NAMES)
def test_config_round_trip(name: str) -> None:
    case = _case(name)
    step = _make(name, p=0.7)
    config = json.loads(json.dumps(step.to_dict()))
    rebuilt = ma.build(config)
    assert type(rebuilt) is type(step)
    assert rebuilt.to_dict() == config
    sample = _sample(name)
    a, b = ma.Pipeline([step], seed=3), ma.Pipeline([rebuilt], seed=3)
    for index in range(3):
        assert _equal(_run(a, sample, index, case), _run(b, sample, index, case))


@pytest.mark.parametrize("name", NAMES)
def test_p_zero_is_identity(name: str) -> None:
    case = _case(name)
    sample = _sample(name)
    pipe = ma.Pipeline([_make(name, p=0.0)], seed=0)
    out = _run(pipe, sample, 0, case)
    for o in out if isinstance(out, list) else [out]:
        assert _equal(o, sample)


@pytest.mark.parametrize("name", NAMES)
def test_output_kinds_and_passthrough(name: str) -> None:
    case = _case(name)
    sample = _sample(name)
    before = copy.deepcopy(sample)
    pipe = ma.Pipeline([_make(name)], seed=1)
    outs = _run(pipe, sample, 0, case)
    for out in outs if isinstance(outs, list) else [outs]:
        assert isinstance(out, dict) and set(sample) <= set(out)
        assert out["note"] is sample["note"], "unknown fields pass through untouched"
        for key, value in sample.items():
            got = out[key]
            if isinstance(value, np.ndarray) and key != "bboxes" and key != "keypoints":
                assert isinstance(got, np.ndarray) and got.dtype == value.dtype, key
                assert got.ndim == value.ndim, key
            if isinstance(value, str):
                assert isinstance(got, str), key
        if "image" in sample and "mask" in out:
            assert out["mask"].shape[:2] == out["image"].shape[:2]
    assert _equal(sample, before), "the input sample must not be modified in place"


@pytest.mark.parametrize("name", NAMES)
def test_bad_input_raises_augmentation_error(name: str) -> None:
    case = _case(name)
    sample = _sample(name)
    kinds = get(name).target_kinds()
    tried = 0
    for key in sample:
        if key in BAD_VALUES and key in kinds:
            bad = {**sample, key: BAD_VALUES[key]}
            with pytest.raises(ma.AugmentationError) as info:
                _run(ma.Pipeline([_make(name)], seed=0), bad, 0, case)
            assert info.value.field == key
            tried += 1
    if not kinds:
        assert tried == 0
    with pytest.raises(ma.AugmentationError):
        ma.Pipeline([_make(name)], seed=0)(object())


@pytest.mark.parametrize("name", NAMES)
def test_changes_something(name: str) -> None:
    case = _case(name)
    if case.may_be_identity:
        pytest.skip(case.why or "declared as possibly identity")
    sample = _sample(name)
    pipe = ma.Pipeline([_make(name)], seed=2)
    changed = 0
    for index in range(8):
        out = _run(pipe, sample, index, case)
        outs = out if isinstance(out, list) else [out]
        changed += sum(not _equal(o, sample) for o in outs)
    assert changed > 0, f"{name} never changed its input in 8 draws"


@pytest.mark.parametrize("name", NAMES)
def test_repr_and_description(name: str) -> None:
    _case(name)
    step = _make(name, p=0.25)
    assert repr(step).startswith(type(step).__name__ + "(")
    assert "p=0.25" in repr(step)
    assert type(step).describe(), f"{name} needs a docstring whose first line describes it"
