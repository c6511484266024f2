"""The modality-independent core: protocol, containers, registry, seeding, records and config."""

from multiaug.core.augmenter import Augmenter, register_kernel
from multiaug.core.config import build, from_dict, load, save
from multiaug.core.errors import (
    AugmentationError,
    ConfigError,
    InvalidParameterError,
    InvalidParameterTypeError,
    MissingDependencyError,
    MultiaugError,
)
from multiaug.core.fields import Sample, Updates
from multiaug.core.pipeline import OneOf, Pipeline, Sequential, SomeOf
from multiaug.core.registry import available, register
from multiaug.core.steps import Identity

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
    "available",
    "build",
    "from_dict",
    "load",
    "register",
    "register_kernel",
    "save",
]
