from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest

HERE = Path(__file__).resolve().parent


def _augs():
    spec = importlib.util.spec_from_file_location("multiaug_test_augs", HERE / "augs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.define()


_augs()

SHADE = {
    "multiaug_config": 1,
    "name": "core.Pipeline",
    "params": {"seed": 3},
    "steps": [{"name": "testaug.Shade", "params": {"p": 0.9}}],
}
TEXT = {
    "multiaug_config": 1,
    "name": "core.Pipeline",
    "params": {"seed": 1},
    "steps": [{"name": "testaug.FailOn"}, {"name": "testaug.Suffix"}],
}


def write_images(folder: Path, count: int, size: int = 6, classes=("a",), seed: int = 0) -> list[Path]:
    from PIL import Image

    rng = np.random.default_rng(seed)
    paths = []
    for i in range(count):
        cls = classes[i % len(classes)]
        p = folder / cls / f"img{i:04d}.png"
        p.parent.mkdir(parents=True, exist_ok=True)
        Image.fromarray(rng.integers(0, 256, (size, size, 3), dtype=np.uint8)).save(p)
        paths.append(p)
    return paths


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def write_config(path: Path, config: dict) -> Path:
    path.write_text(json.dumps(config), encoding="utf-8")
    return path


@pytest.fixture
def shade_config(tmp_path):
    return write_config(tmp_path / "shade.json", SHADE)


@pytest.fixture
def text_config(tmp_path):
    return write_config(tmp_path / "text.json", TEXT)


class Helpers:
    write_images = staticmethod(write_images)
    write_jsonl = staticmethod(write_jsonl)
    write_config = staticmethod(write_config)
    SHADE = SHADE
    TEXT = TEXT
    child = HERE / "cli_child.py"


@pytest.fixture
def helpers():
    return Helpers
