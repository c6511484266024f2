from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import multiaug as ma
from tests.core.steps import AppendWord, Brighten


def pipeline() -> ma.Pipeline:
    return ma.Pipeline(
        [
            Brighten(limit=(-30, 30), p=0.5),
            ma.OneOf([AppendWord(words=["a", "b"]), ma.Identity()], weights=[2, 1]),
            ma.SomeOf([AppendWord(), ma.Identity(p=0.2)], n=(0, 2)),
        ],
        seed=17,
        fields={"caption_text": "text"},
        field_options={"bbox_format": "coco"},
    )


def test_to_dict_carries_versions_and_round_trips() -> None:
    d = pipeline().to_dict()
    assert d["multiaug_config"] == 1 and d["multiaug_version"] == ma.__version__
    assert d["steps"][1]["params"] == {"weights": [2, 1]}
    rebuilt = ma.from_dict(json.loads(json.dumps(d)))
    assert rebuilt.to_dict() == d


@pytest.mark.parametrize("suffix", [".yaml", ".yml", ".json"])
def test_saved_pipeline_gives_identical_outputs(tmp_path: Path, suffix: str) -> None:
    original = pipeline()
    path = tmp_path / f"pipe{suffix}"
    original.save(path)
    loaded = ma.load(path)
    sample = {"image": np.full((5, 5, 3), 90, np.uint8), "caption_text": "x"}
    for i in range(10):
        a, b = original(sample, index=i), loaded(sample, index=i)
        assert a["caption_text"] == b["caption_text"] and np.array_equal(a["image"], b["image"])


def test_save_never_overwrites_without_being_asked(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("precious")
    with pytest.raises(FileExistsError):
        pipeline().save(path)
    assert path.read_text() == "precious"
    pipeline().save(path, overwrite=True)
    assert ma.load(path).seed == 17
    with pytest.raises(ma.ConfigError, match=r"\.yaml, \.yml or \.json"):
        pipeline().save(tmp_path / "p.txt")


@pytest.mark.parametrize(
    ("text", "path", "fragment"),
    [
        ("steps:\n  - !!python/object/apply:os.system ['echo hacked']\n", "", "safe"),
        ("!!python/name:os.system\n", "", "safe"),
        ("steps:\n  - name: core.NotAThing\n", "steps[0].name", "no augmenter is registered"),
        ("steps:\n  - name: os.path.join\n", "steps[0].name", "dotted path"),
        ("steps:\n  - name: builtins.eval\n", "steps[0].name", "no augmenter is registered"),
        (
            "steps:\n  - {name: core.Identity}\n  - {name: core.Identity, params: {q: 1}}\n",
            "steps[1].params.q",
            "no parameter",
        ),
        ("steps:\n  - {name: core.Identity, params: {p: high}}\n", "steps[0].params.p", "must be a number"),
        (
            "steps:\n  - name: core.OneOf\n"
            "    steps: [{name: core.Identity}, {name: testing.Brighten, params: {limit: [9, 1]}}]\n",
            "steps[0].steps[1].params.limit",
            "low <= high",
        ),
        ("steps:\n  - name: core.OneOf\n", "steps[0].steps", "needs a list of steps"),
        ("steps:\n  - {name: core.Identity, extra: 1, params: {}}\n", "steps[0].extra", "unknown key"),
        ("multiaug_config: 99\nsteps: []\n", "multiaug_config", "not supported"),
        ("field_options: {bbox_format: xywh}\nsteps: []\n", "field_options.bbox_format", "must be one of"),
        ("- just\n- a list\n", "", "must be a mapping"),
    ],
)
def test_bad_configs_are_refused_with_their_path(tmp_path: Path, text: str, path: str, fragment: str) -> None:
    target = tmp_path / "bad.yaml"
    target.write_text(text)
    with pytest.raises(ma.ConfigError) as info:
        ma.load(target)
    assert info.value.path == path
    assert fragment in str(info.value)


def test_bad_json_is_a_config_error(tmp_path: Path) -> None:
    target = tmp_path / "bad.json"
    target.write_text("{not json")
    with pytest.raises(ma.ConfigError, match="not valid JSON"):
        ma.load(target)


def test_single_step_file_loads_as_a_pipeline(tmp_path: Path) -> None:
    target = tmp_path / "one.json"
    target.write_text(json.dumps({"name": "core.Identity", "params": {"p": 0.5}}))
    pipe = ma.load(target)
    assert isinstance(pipe, ma.Pipeline) and pipe.steps[0].p == 0.5
