"""Shared fixtures: real photographs (the bundled sample and scikit-image's CC0/public-domain images)."""

from __future__ import annotations

import numpy as np
import pytest
from skimage import data

from multiaug.image.draw import load_photo


@pytest.fixture(scope="session")
def photo() -> dict:
    return load_photo()


@pytest.fixture(scope="session")
def chelsea() -> np.ndarray:
    return np.ascontiguousarray(data.chelsea()[::2, ::2])  # 150x226x3, CC0


@pytest.fixture(scope="session")
def coffee() -> np.ndarray:
    return np.ascontiguousarray(data.coffee()[::3, ::3])  # 134x200x3, CC0
