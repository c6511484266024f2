from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from multiaug.cli import cli
from multiaug.data.manifest import read_rows


def test_demo_end_to_end(tmp_path):
    out = tmp_path / "demo"
    result = CliRunner().invoke(cli, ["demo", "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    for part in ("image", "audio", "text"):
        assert f"{part:<6} ok" in result.output
    image_rows = read_rows(out / "image" / "manifest.jsonl")
    assert len(image_rows) == 6
    assert all((out / "image" / r["files"]["image"]).is_file() for r in image_rows)
    assert all("caption" in r and "bboxes" in r for r in image_rows)
    audio_rows = read_rows(out / "audio" / "manifest.jsonl")
    assert {"audio", "spectrogram"} <= set(audio_rows[0]["files"]) and "transcript" in audio_rows[0]
    text_rows = read_rows(out / "text" / "manifest.jsonl")
    assert all(r["split"] == "train" for r in text_rows)  # split safety
    counts = {}
    for r in text_rows:
        counts[r["label"]] = counts.get(r["label"], 0) + 1
    assert counts == {"home": 2, "travel": 3, "food": 4}  # balanced to 6 per class (train: 4, 3, 2)
    for name in ("contact_sheet.png", "preview_image.png", "preview_audio.png", "preview_text.png"):
        assert (out / name).read_bytes()[:4] == b"\x89PNG"
    page = (out / "preview.html").read_text(encoding="utf-8")
    assert page.count("<audio controls") == 7 and "<mark>" in page
    # Running it again into its own output replaces it; a folder of the user's is refused.
    marker = json.loads((out / ".multiaug-demo").read_text())
    assert "image" in marker["entries"]
    assert CliRunner().invoke(cli, ["demo", "--out", str(out), "--quiet"]).exit_code == 0
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine", encoding="utf-8")
    refused = CliRunner().invoke(cli, ["demo", "--out", str(mine)])
    assert refused.exit_code == 1 and "never writes over your files" in refused.output
    assert (mine / "notes.txt").read_text(encoding="utf-8") == "mine"


@pytest.mark.parametrize("name", ["image_caption.yaml", "speech.yaml", "text.yaml"])
def test_bundled_configs_validate(name):
    from multiaug.configs import path

    result = CliRunner().invoke(cli, ["validate", str(path(name))])
    assert result.exit_code == 0, result.output


def test_demo_says_clearly_when_a_modality_is_missing(tmp_path, monkeypatch):
    import multiaug.configs
    from multiaug.data.demo import run_demo

    real = multiaug.configs.path
    missing = tmp_path / "speech.yaml"
    missing.write_text("steps:\n  - {name: audio.NotShippedYet}\n", encoding="utf-8")
    monkeypatch.setattr(multiaug.configs, "path", lambda name: missing if name == "speech.yaml" else real(name))
    report = run_demo(tmp_path / "demo")
    status = {p.name: (p.status, p.message) for p in report.parts}
    assert status["image"][0] == "ok" and status["text"][0] == "ok" and not report.failed
    assert status["audio"][0] == "skipped" and "audio modality is not available" in status["audio"][1]
    assert "audio.NotShippedYet" in status["audio"][1]
    assert "skipped: the audio modality" in (tmp_path / "demo" / "preview.html").read_text(encoding="utf-8")
    assert not (tmp_path / "demo" / "preview_audio.png").exists()
