"""`import multiaug` with only the core dependencies (numpy, PyYAML) installed.

The optional packages are hidden from a fresh interpreter by a meta-path finder that refuses
them, which is what a core-only install looks like to multiaug.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OPTIONAL = [
    "cv2", "PIL", "torch", "torchaudio", "torchvision", "transformers", "sentencepiece", "nltk",
    "librosa", "soundfile", "scipy", "python_stretch", "click", "tqdm", "lameenc", "skimage", "sklearn",
]


def run(code: str, tmp_path: Path, block: bool = True) -> subprocess.CompletedProcess[str]:
    blocker = textwrap.dedent(
        f"""
        import importlib.abc, sys
        BLOCKED = {OPTIONAL!r}
        class Block(importlib.abc.MetaPathFinder):
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in BLOCKED:
                    raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
                return None
        sys.meta_path.insert(0, Block())
        """
    )
    script = (blocker if block else "") + textwrap.dedent(code)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=tmp_path)


def test_import_works_with_core_dependencies_only(tmp_path: Path) -> None:
    result = run(
        """
        import multiaug as ma
        print(ma.Pipeline([ma.Identity()], seed=0)("still works"))
        print(",".join(ma.available()))
        """,
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "still works"
    assert "core.Identity" in lines[1]


def test_yaml_naming_an_image_step_says_which_extra_to_install(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text("steps:\n  - {name: image.HorizontalFlip, params: {p: 0.5}}\n")
    result = run(
        """
        import multiaug as ma
        try:
            ma.load("p.yaml")
        except ma.MissingDependencyError as exc:
            print(type(exc).__name__, "|", exc)
        else:
            print("no error")
        """,
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("MissingDependencyError |")
    assert 'pip install "multiaug[image]"' in result.stdout
    assert "steps[0]" in result.stdout


def test_import_multiaug_loads_no_optional_module(tmp_path: Path) -> None:
    result = run(
        f"""
        import sys
        import multiaug
        heavy = [m for m in {OPTIONAL!r} + ["yaml"] if m in sys.modules]
        print(heavy)
        """,
        tmp_path,
        block=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
