from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import multiaug as ma
from multiaug.core.errors import ConfigError
from multiaug.data import (
    ERRORS_NAME,
    MANIFEST_NAME,
    OutputDirError,
    expand,
    list_sources,
    load_row,
    load_source,
)
from multiaug.data.files import TEMP_MARK
from multiaug.data.manifest import read_rows


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _check_replay(out: Path, input_path: Path, config) -> list[dict]:
    pipe = ma.from_dict(config)
    sources = {s.index: s for s in list_sources(input_path)}
    rows = read_rows(out / MANIFEST_NAME)
    for row in rows:
        original = load_source(sources[row["source_index"]])
        replayed = pipe.replay(row["record"], original)
        written = load_row(row, out)
        assert replayed.keys() == written.keys()
        for key in replayed:
            if isinstance(replayed[key], np.ndarray):
                np.testing.assert_array_equal(replayed[key], written[key])
            else:
                assert replayed[key] == written[key]
    return rows


def test_folder_expansion_writes_files_manifest_and_provenance(tmp_path, helpers, shade_config):
    src = tmp_path / "in"
    helpers.write_images(src, 5, classes=("cat", "dog"))
    before = _tree(src)
    summary = expand(shade_config, src, tmp_path / "out", n=3)
    assert (summary.written, summary.resumed, summary.failed, summary.total) == (15, 0, 0, 15)
    rows = _check_replay(tmp_path / "out", src, helpers.SHADE)
    assert [(r["source_index"], r["variant"]) for r in rows] == [
        (i, v) for i in range(5) for v in range(3)
    ]
    first = rows[0]
    assert first["source_id"] == "cat/img0000" and first["label"] == "cat" and first["seed"] == 3
    assert first["files"] == {"image": "image/cat/img0000_v000.png"}
    assert first["index"] == 0 and first["epoch"] == 0 and first["record"]["format"] == 1
    assert _tree(src) == before  # originals untouched
    assert not (tmp_path / "out" / ERRORS_NAME).exists()
    # Variants differ from each other (the draw depends on the variant number).
    images = [load_row(r, tmp_path / "out")["image"] for r in rows[:3]]
    assert not np.array_equal(images[0], images[1]) or not np.array_equal(images[1], images[2])


def test_output_is_a_function_of_seed_index_variant(tmp_path, helpers, shade_config):
    src = tmp_path / "in"
    helpers.write_images(src, 12)
    expand(shade_config, src, tmp_path / "w1", n=2, workers=1)
    expand(shade_config, src, tmp_path / "w2", n=2, workers=2)
    one, two = _tree(tmp_path / "w1"), _tree(tmp_path / "w2")
    assert one == two
    # More variants keep the first ones as they were; another seed changes them.
    expand(shade_config, src, tmp_path / "n3", n=3)
    three = _tree(tmp_path / "n3")
    assert all(three[k] == v for k, v in one.items() if k.endswith(".png"))
    expand(shade_config, src, tmp_path / "s9", n=2, seed=9)
    assert _tree(tmp_path / "s9")["image/a/img0000_v000.png"] != one["image/a/img0000_v000.png"]


def test_manifest_input_paths_relative_to_manifest_and_passthrough(tmp_path, helpers, shade_config):
    data = tmp_path / "data"
    paths = helpers.write_images(data / "pics", 3)
    rows = [
        {
            "id": f"x{i}",
            "image": p.relative_to(data).as_posix(),
            "label": i % 2,
            "note": "keep me",
            "split": "train",
        }
        for i, p in enumerate(paths)
    ]
    manifest = helpers.write_jsonl(data / "sub" / ".." / "list.jsonl", rows)
    summary = expand(shade_config, manifest, tmp_path / "out", n=2)
    assert summary.written == 6
    out_rows = read_rows(tmp_path / "out" / MANIFEST_NAME)
    assert {r["source_id"] for r in out_rows} == {"x0", "x1", "x2"}
    assert all(r["note"] == "keep me" and r["split"] == "train" for r in out_rows)
    assert [r["label"] for r in out_rows] == [0, 0, 1, 1, 0, 0]
    _check_replay(tmp_path / "out", manifest, helpers.SHADE)


def test_csv_manifest_and_text_fields_inline(tmp_path, helpers, text_config):
    csv_path = tmp_path / "rows.csv"
    csv_path.write_text("id,text,label\na,hello there,pos\nb,good bye,neg\n", encoding="utf-8")
    expand(text_config, csv_path, tmp_path / "out", n=2)
    rows = read_rows(tmp_path / "out" / MANIFEST_NAME)
    assert [r["source_id"] for r in rows] == ["a", "a", "b", "b"]
    assert rows[0]["text"].startswith("hello there ") and rows[0]["files"] == {}
    assert rows[0]["text"] != rows[1]["text"]
    assert rows[2]["label"] == "neg"


def test_text_files_in_folder_come_back_as_files(tmp_path, helpers, text_config):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "one.txt").write_text("a small text", encoding="utf-8")
    expand(text_config, tmp_path / "in", tmp_path / "out", n=1)
    row = read_rows(tmp_path / "out" / MANIFEST_NAME)[0]
    assert row["files"] == {"text": "text/one_v000.txt"}
    assert (
        (tmp_path / "out" / "text" / "one_v000.txt")
        .read_text(encoding="utf-8")
        .startswith("a small text ")
    )


def test_failures_are_logged_and_the_run_goes_on(tmp_path, helpers, text_config):
    rows = [{"text": "fine"}, {"text": "please FAIL"}, {"text": "also fine"}]
    src = helpers.write_jsonl(tmp_path / "in.jsonl", rows)
    summary = expand(text_config, src, tmp_path / "out", n=2)
    assert (summary.written, summary.failed) == (4, 2)
    errors = read_rows(tmp_path / "out" / ERRORS_NAME)
    assert [(e["source_index"], e["variant"]) for e in errors] == [(1, 0), (1, 1)]
    assert (
        errors[0]["step"] == "testaug.FailOn"
        and errors[0]["field"] == "text"
        and "asks to fail" in errors[0]["message"]
    )
    # A second run retries only the failures, and logs them again.
    again = expand(text_config, src, tmp_path / "out", n=2)
    assert (again.written, again.resumed, again.failed) == (0, 4, 2)
    assert len(read_rows(tmp_path / "out" / ERRORS_NAME)) == 2


def test_fail_fast_stops_at_first_failure(tmp_path, helpers, text_config):
    rows = [{"text": "please FAIL"}] + [{"text": f"row {i}"} for i in range(5)]
    src = helpers.write_jsonl(tmp_path / "in.jsonl", rows)
    summary = expand(text_config, src, tmp_path / "out", n=1, fail_fast=True)
    assert summary.stopped and summary.failed == 1 and summary.written == 0


def test_unreadable_source_is_an_error_row(tmp_path, helpers, shade_config):
    helpers.write_images(tmp_path / "in", 2)
    (tmp_path / "in" / "a" / "broken.png").write_bytes(b"not a png")
    summary = expand(shade_config, tmp_path / "in", tmp_path / "out", n=1)
    assert summary.failed == 1 and summary.written == 2
    error = read_rows(tmp_path / "out" / ERRORS_NAME)[0]
    assert error["source_id"] == "a/broken" and "broken.png" in error["message"]


def test_split_safety(tmp_path, helpers, text_config):
    rows = [
        {"text": f"t{i}", "split": s}
        for i, s in enumerate(["train", "test", "val", "train", "TRAIN", None])
    ]
    src = helpers.write_jsonl(tmp_path / "in.jsonl", rows)
    summary = expand(text_config, src, tmp_path / "out", n=2)
    assert summary.augmented_sources == 3
    assert summary.skipped_splits == {"(none)": 1, "test": 1, "val": 1}
    got = read_rows(tmp_path / "out" / MANIFEST_NAME)
    assert sorted({r["source_index"] for r in got}) == [0, 3, 4]
    every = expand(text_config, src, tmp_path / "all", n=2, all_splits=True)
    assert every.augmented_sources == 6 and every.written == 12 and every.skipped_splits == {}


def test_folder_split_and_label_from_path(tmp_path, helpers, shade_config):
    helpers.write_images(tmp_path / "in" / "train", 4, classes=("cat", "dog"))
    helpers.write_images(tmp_path / "in" / "test", 2, classes=("cat",))
    sources = list_sources(tmp_path / "in")
    assert {(s.columns["split"], s.columns["label"]) for s in sources} == {
        ("train", "cat"),
        ("train", "dog"),
        ("test", "cat"),
    }
    summary = expand(shade_config, tmp_path / "in", tmp_path / "out", n=1)
    assert summary.written == 4 and summary.skipped_splits == {"test": 2}


def test_balancing_counts(tmp_path, helpers, text_config):
    labels = ["a"] * 5 + ["b"] * 2 + ["c"] * 1 + ["b", "test-only"]
    rows = [
        {"text": f"t{i}", "label": lab, "split": "test" if lab == "test-only" else "train"}
        for i, lab in enumerate(labels)
    ]
    src = helpers.write_jsonl(tmp_path / "in.jsonl", rows)
    summary = expand(text_config, src, tmp_path / "out", balance="label")
    assert summary.classes_before == {"a": 5, "b": 3, "c": 1}
    assert summary.classes_after == {"a": 5, "b": 5, "c": 5}
    out = read_rows(tmp_path / "out" / MANIFEST_NAME)
    made = {lab: sum(1 for r in out if r["label"] == lab) for lab in "abc"}
    assert made == {"a": 0, "b": 2, "c": 4}
    # b's two variants are spread over two of its sources, not piled on one.
    assert len({r["source_index"] for r in out if r["label"] == "b"}) == 2
    target = expand(text_config, src, tmp_path / "t", balance="label", target=7)
    assert target.classes_after == {"a": 7, "b": 7, "c": 7}
    assert target.written == 2 + 4 + 6


def test_balance_needs_the_column(tmp_path, helpers, text_config):
    src = helpers.write_jsonl(tmp_path / "in.jsonl", [{"text": "x", "label": 1}, {"text": "y"}])
    with pytest.raises(ConfigError, match="has no 'label' column"):
        expand(text_config, src, tmp_path / "out", balance="label")


def test_refuses_output_inside_input_and_foreign_folders(
    tmp_path, helpers, shade_config, text_config
):
    helpers.write_images(tmp_path / "in", 2)
    with pytest.raises(OutputDirError, match="inside the input"):
        expand(shade_config, tmp_path / "in", tmp_path / "in" / "aug")
    with pytest.raises(OutputDirError, match="contains the input"):
        expand(shade_config, tmp_path / "in", tmp_path)
    user = tmp_path / "mine"
    user.mkdir()
    (user / "precious.txt").write_text("keep", encoding="utf-8")
    with pytest.raises(OutputDirError, match="not a multiaug run"):
        expand(shade_config, tmp_path / "in", user)
    # --overwrite writes alongside the user's file and removes nothing of theirs.
    expand(shade_config, tmp_path / "in", user, overwrite=True)
    assert (user / "precious.txt").read_text(encoding="utf-8") == "keep"


def test_refuses_a_run_of_another_config_unless_overwrite(tmp_path, helpers, shade_config):
    helpers.write_images(tmp_path / "in", 3)
    expand(shade_config, tmp_path / "in", tmp_path / "out", n=2)
    with pytest.raises(OutputDirError, match="another config"):
        expand(shade_config, tmp_path / "in", tmp_path / "out", n=2, seed=5)
    summary = expand(shade_config, tmp_path / "in", tmp_path / "out", n=1, seed=5, overwrite=True)
    assert summary.written == 3 and summary.resumed == 0
    files = sorted(p.name for p in (tmp_path / "out" / "image" / "a").iterdir())
    assert files == [
        "img0000_v000.png",
        "img0001_v000.png",
        "img0002_v000.png",
    ]  # the old v001 files are gone


def test_rerunning_a_finished_run_does_nothing(tmp_path, helpers, shade_config):
    helpers.write_images(tmp_path / "in", 3)
    expand(shade_config, tmp_path / "in", tmp_path / "out", n=2)
    before = _tree(tmp_path / "out")
    again = expand(shade_config, tmp_path / "in", tmp_path / "out", n=2)
    assert (again.written, again.resumed) == (0, 6)
    assert _tree(tmp_path / "out") == before


def test_resume_after_torn_manifest_and_stray_temp_files(tmp_path, helpers, shade_config):
    helpers.write_images(tmp_path / "in", 4)
    expand(shade_config, tmp_path / "in", tmp_path / "ref", n=2)
    out = tmp_path / "out"
    expand(shade_config, tmp_path / "in", out, n=2)
    manifest = out / MANIFEST_NAME
    data = manifest.read_bytes()
    lines = data.splitlines(keepends=True)
    # As after a crash: three complete rows, a torn fourth, a file without its row, a temp file.
    manifest.write_bytes(b"".join(lines[:3]) + lines[3][:20])
    (out / "image" / "a" / "img0003_v001.png").unlink()
    (out / "image" / "a" / f".img0003_v001.png.123{TEMP_MARK}").write_bytes(b"partial")
    summary = expand(shade_config, tmp_path / "in", out, n=2)
    assert (summary.resumed, summary.written, summary.removed_temp) == (3, 5, 1)
    assert _tree(out) == _tree(tmp_path / "ref")


def test_bad_options(tmp_path, helpers, shade_config):
    helpers.write_images(tmp_path / "in", 1)
    with pytest.raises(ConfigError):
        expand(shade_config, tmp_path / "in", tmp_path / "o", n=0)
    with pytest.raises(ConfigError, match="--target needs --balance"):
        expand(shade_config, tmp_path / "in", tmp_path / "o", target=3)
    with pytest.raises(ConfigError, match="no such file"):
        expand(shade_config, tmp_path / "missing", tmp_path / "o")
    bad = helpers.write_jsonl(tmp_path / "bad.jsonl", [{"text": "x", "variant": 1}])
    with pytest.raises(ConfigError, match="reserved"):
        expand(shade_config, bad, tmp_path / "o")
    dup = helpers.write_jsonl(
        tmp_path / "dup.jsonl", [{"id": "a", "text": "x"}, {"id": "a", "text": "y"}]
    )
    with pytest.raises(ConfigError, match="both have the id"):
        expand(shade_config, dup, tmp_path / "o")
    assert not (tmp_path / "o").exists() or not any((tmp_path / "o").iterdir())


def test_no_seed_anywhere_means_seed_zero(tmp_path, helpers):
    src = helpers.write_jsonl(tmp_path / "in.jsonl", [{"text": "x"}])
    cfg = {"steps": [{"name": "testaug.Suffix"}]}
    a = expand(cfg, src, tmp_path / "a", n=1)
    expand(cfg, src, tmp_path / "b", n=1)
    assert (
        a.seed == 0 and _tree(tmp_path / "a")[MANIFEST_NAME] == _tree(tmp_path / "b")[MANIFEST_NAME]
    )


def test_outputs_keep_ids_inside_the_output_folder(tmp_path, helpers, shade_config):
    paths = helpers.write_images(tmp_path / "data", 1)
    src = helpers.write_jsonl(
        tmp_path / "data" / "in.jsonl", [{"id": "../../evil/name", "image": "a/img0000.png"}]
    )
    expand(shade_config, src, tmp_path / "out", n=1)
    row = read_rows(tmp_path / "out" / MANIFEST_NAME)[0]
    assert row["id"] == "../../evil/name_v000"
    assert row["files"] == {"image": "image/evil/name_v000.png"}
    assert (tmp_path / "out" / "image" / "evil" / "name_v000.png").is_file()
    assert not (tmp_path / "evil").exists() and paths[0].is_file()


def test_hidden_files_and_sidecars_are_not_sources(tmp_path, helpers):
    helpers.write_images(tmp_path / "in", 1)
    (tmp_path / "in" / ".hidden.txt").write_text("x", encoding="utf-8")
    (tmp_path / "in" / "a" / "img0000.json").write_text(
        json.dumps({"caption": "a dog", "bboxes": [[0, 0, 2, 2]]})
    )
    sources = list_sources(tmp_path / "in")
    assert len(sources) == 1
    sample = load_source(sources[0])
    assert (
        sample["caption"] == "a dog"
        and sample["bboxes"] == [[0, 0, 2, 2]]
        and sample["label"] == "a"
    )
    assert sample["image"].shape == (6, 6, 3)
