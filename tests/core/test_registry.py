from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import multiaug as ma
from multiaug.core.registry import get

ROOT = Path(__file__).resolve().parents[2]


def test_names_are_modality_dot_class_and_listed() -> None:
    assert ma.Identity.name == "core.Identity"
    assert get("core.OneOf") is ma.OneOf
    assert ma.available("core") == ["core.Identity", "core.OneOf", "core.Pipeline", "core.Sequential", "core.SomeOf"]


def test_duplicate_names_raise() -> None:
    @ma.register(modality="dup")
    class Once(ma.Augmenter):
        """First."""

    with pytest.raises(ValueError, match="already registered"):

        @ma.register(name="dup.Once")
        class Other(ma.Augmenter):
            """Second."""


def test_build_from_dict() -> None:
    step = ma.build({"name": "core.Identity", "p": 0.25})
    assert isinstance(step, ma.Identity) and step.p == 0.25


def test_unknown_name_suggests_close_matches() -> None:
    with pytest.raises(ma.ConfigError, match="did you mean 'core.Identity'"):
        get("core.Identiti")


PLUGIN = '''
import multiaug as ma

class Smear(ma.Augmenter):
    """Appends a tilde to text (a third-party plugin)."""

    def __init__(self, times: int = 1, p: float = 1.0) -> None:
        super().__init__(p=p)
        self.times = times

    def apply_text(self, value, params, sample):
        return value + "~" * self.times
'''


def test_entry_point_plugin_is_found_lazily_and_built_from_yaml(tmp_path: Path) -> None:
    (tmp_path / "acme_aug").mkdir()
    (tmp_path / "acme_aug" / "__init__.py").write_text(PLUGIN)
    dist = tmp_path / "acme_aug-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-aug\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text("[multiaug.augmenters]\nacme.Smear = acme_aug:Smear\n")
    (tmp_path / "pipe.yaml").write_text("steps:\n  - name: acme.Smear\n    params: {times: 2}\n")
    script = textwrap.dedent(
        f"""
        import sys
        import multiaug as ma
        assert "acme.Smear" in ma.available(), ma.available()
        assert "acme_aug" not in sys.modules, "listing must not import the plugin"
        pipe = ma.load({str(tmp_path / 'pipe.yaml')!r})
        assert "acme_aug" in sys.modules
        print(pipe("hello"), type(pipe.steps[0]).name)
        """
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)])}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["hello~~", "acme.Smear"]
