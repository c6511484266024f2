"""multiaug: one augmentation API for images, text and audio, seeded, replayable and serialisable.

Example:
    >>> import multiaug as ma
    >>> pipe = ma.Pipeline([ma.Identity(p=0.5)], seed=0)
    >>> pipe({"text": "a dog left of a red car"}, index=0)
    {'text': 'a dog left of a red car'}

The modalities are subpackages imported on first use: ``from multiaug import image as I``.
"""

from __future__ import annotations

import importlib
from typing import Any

from multiaug.core import (
    AugmentationError,
    Augmenter,
    ConfigError,
    Identity,
    InvalidParameterError,
    InvalidParameterTypeError,
    MissingDependencyError,
    MultiaugError,
    OneOf,
    Pipeline,
    Sample,
    Sequential,
    SomeOf,
    Updates,
    available,
    build,
    from_dict,
    load,
    register,
    register_kernel,
    save,
)
from multiaug.version import __version__

__all__ = [
    "AugmentationError",
    "Augmenter",
    "ConfigError",
    "Identity",
    "InvalidParameterError",
    "InvalidParameterTypeError",
    "MissingDependencyError",
    "MultiaugError",
    "OneOf",
    "Pipeline",
    "Sample",
    "Sequential",
    "SomeOf",
    "Updates",
    "__version__",
    "available",
    "build",
    "from_dict",
    "load",
    "register",
    "register_kernel",
    "save",
]

_SUBPACKAGES = {"image", "text", "audio", "data"}


def __getattr__(name: str) -> Any:
    # ``ma.image`` etc. without importing every modality (and its dependencies) up front.
    if name in _SUBPACKAGES:
        return importlib.import_module(f"multiaug.{name}")
    raise AttributeError(f"module 'multiaug' has no attribute {name!r}")
