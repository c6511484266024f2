"""Shares the helpers and test augmenters of tests/data with the CLI tests."""

from __future__ import annotations

import importlib.util
from pathlib import Path

_spec = importlib.util.spec_from_file_location(
    "multiaug_tests_data_conftest", Path(__file__).resolve().parents[1] / "data" / "conftest.py"
)
_data = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_data)

helpers = _data.helpers
shade_config = _data.shade_config
text_config = _data.text_config
