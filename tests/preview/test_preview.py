from __future__ import annotations

import numpy as np
import pytest

import multiaug as ma
from multiaug.core.errors import ConfigError
from multiaug.preview import render
from multiaug.preview.draw import spectrogram, text_block, text_changes, waveform


def _png(path):
    from PIL import Image

    with Image.open(path) as img:
        return np.asarray(img.convert("RGB"))


def test_image_grid_png_shows_original_and_variants(tmp_path):
    pipe = ma.Pipeline([ma.build({"name": "testaug.Shade"})], seed=0)
    image = np.zeros((40, 60, 3), np.uint8)
    sample = {"image": image, "bboxes": [[5, 5, 30, 30]], "bbox_labels": ["box"]}
    out = render(pipe, [sample], tmp_path / "p.png", n=4)
    pic = _png(out)
    assert pic.shape[1] > 5 * 200  # five tiles side by side
    # The box is drawn: the original tile holds non-black, non-white pixels from the outline.
    colourful = (pic.max(axis=2).astype(int) - pic.min(axis=2)) > 80
    assert colourful.any()


def test_html_has_cards_players_marks_and_records(tmp_path):
    pipe = ma.Pipeline([ma.build({"name": "testaug.Suffix"})], seed=0)
    rate = 8000
    t = np.arange(rate, dtype=np.float32) / rate
    sample = {
        "text": "turn it on",
        "audio": (0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32),
        "sample_rate": rate,
        "transcript": {"text": "hi", "words": [{"word": "hi", "start": 0.1, "end": 0.4}]},
    }
    page = render(pipe, [sample], tmp_path / "p.html", n=2).read_text(encoding="utf-8")
    assert page.count('class="card"') == 3
    assert page.count("<audio controls") == 3 and "data:audio/wav;base64," in page
    assert page.count("<mark>") == 2 and "replay record" in page


def test_render_rejects_other_suffixes(tmp_path):
    pipe = ma.Pipeline([ma.Identity()], seed=0)
    with pytest.raises(ConfigError):
        render(pipe, [{"text": "x"}], tmp_path / "p.gif")
    with pytest.raises(ConfigError):
        render(pipe, [{"text": "x"}], tmp_path / "p.png", n=0)


def test_failing_variant_is_shown_not_raised(tmp_path):
    pipe = ma.Pipeline([ma.build({"name": "testaug.FailOn"})], seed=0)
    page = render(pipe, [{"text": "FAIL"}], tmp_path / "p.html", n=1).read_text(encoding="utf-8")
    assert "asks to fail" in page and 'class="error"' in page


def test_text_changes_marks_words():
    assert text_changes("same words", "same words") == [("same words", "same")]
    changes = text_changes("a dog left of a car", "a dog right of a red car")
    assert ("right", "new") in changes and ("left", "gone") in changes
    assert "".join(p for p, tag in changes if tag != "gone") == "a dog right of a red car"
    assert text_block("a", "a b").shape[2] == 3


def test_waveform_and_spectrogram_pictures():
    rate = 8000
    audio = np.zeros(rate, np.float32)
    audio[rate // 2 :] = 0.5 * np.sin(np.arange(rate // 2) * 0.3)
    wave = waveform(audio, width=100, height=40)
    blue = (wave[:, :, 2] > 150) & (wave[:, :, 0] < 100)
    height_per_column = blue.sum(axis=0)
    assert (height_per_column[:45] <= 1).all() and (height_per_column[55:] > 20).all()  # silence, then sound
    spec = spectrogram(audio, rate, transcript={"words": [{"word": "x", "start": 0.5, "end": 0.9}]}, width=100)
    assert spec.shape == (160, 100, 3)
    # The word's start line is drawn in white at x = 0.5 s of 1 s.
    assert (spec[:, 49:51] == 255).all(axis=2).any()
