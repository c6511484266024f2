"""Fixtures of the text tests: tiny local models, built once per session."""

from __future__ import annotations

import pytest

from tests.text.tiny_models import shared_models


@pytest.fixture(scope="session")
def tiny_models() -> dict[str, str]:
    """Folders of the tiny MarianMT models and masked LM (see tests/text/tiny_models.py)."""
    return shared_models()
