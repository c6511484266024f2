"""Lazy imports of optional dependencies, with an install hint when they are missing."""

from __future__ import annotations

import importlib
from types import ModuleType

from multiaug.core.errors import MissingDependencyError

__all__ = ["require"]


def require(module: str, extra: str, *, feature: str | None = None, package: str | None = None) -> ModuleType:
    """Import ``module`` or raise :class:`MissingDependencyError` naming the extra to install.

    Args:
        module: Importable module name, e.g. ``"cv2"``.
        extra: The multiaug extra that installs it, e.g. ``"image"``.
        feature: What needs it, for the message (``"image.Rotate"``).
        package: The distribution name when it differs from the module name.

    Example:
        >>> np = require("numpy", "core")
        >>> np.__name__
        'numpy'
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingDependencyError(package or module, extra, feature=feature) from exc
