"""Per-modality contract cases, merged into one mapping of registry name -> Case."""

from __future__ import annotations

import importlib

from tests.contract.case import Case

CASES: dict[str, Case] = {}
for _modality in ("core", "image", "text", "audio"):
    try:
        _module = importlib.import_module(f"tests.contract.cases.{_modality}")
    except ModuleNotFoundError as exc:
        if exc.name != f"tests.contract.cases.{_modality}":
            raise
        continue
    CASES.update(_module.CASES)
