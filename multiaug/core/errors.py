"""Exceptions raised by multiaug.

Every error a user can trigger with bad data or a bad config derives from
:class:`MultiaugError`, so ``except multiaug.MultiaugError`` catches them all.
"""

from __future__ import annotations

__all__ = [
    "AugmentationError",
    "ConfigError",
    "InvalidParameterError",
    "InvalidParameterTypeError",
    "MissingDependencyError",
    "MultiaugError",
]


class MultiaugError(Exception):
    """Base class of every multiaug error."""


class AugmentationError(MultiaugError):
    """Bad data met while augmenting, naming the step and the field.

    Args:
        message: What was wrong.
        step: Registry name of the step that met the problem (``"image.Rotate"``), if known.
        field: Key of the sample field concerned (``"bboxes"``), if known.

    Example:
        >>> err = AugmentationError("x2 < x1 in box 3", step="image.Rotate", field="bboxes")
        >>> str(err)
        "image.Rotate, field 'bboxes': x2 < x1 in box 3"
    """

    def __init__(self, message: str, *, step: str | None = None, field: str | None = None) -> None:
        self.message = message
        self.step = step
        self.field = field
        super().__init__(message)

    def with_context(self, *, step: str | None = None, field: str | None = None) -> AugmentationError:
        """Fill in the step and field where they are still unknown; returns ``self``."""
        if self.step is None:
            self.step = step
        if self.field is None:
            self.field = field
        return self

    def __str__(self) -> str:
        where = []
        if self.step:
            where.append(self.step)
        if self.field:
            where.append(f"field {self.field!r}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


class InvalidParameterError(MultiaugError, ValueError):
    """An augmenter was given a parameter value it cannot use.

    It is a ``ValueError`` (or, via :class:`InvalidParameterTypeError`, a ``TypeError``) so that
    ordinary ``except ValueError`` code keeps working; ``param`` names the offending argument so
    that config loading can report its path.
    """

    def __init__(self, message: str, *, owner: str | None = None, param: str | None = None) -> None:
        self.owner = owner
        self.param = param
        super().__init__(message)


class InvalidParameterTypeError(InvalidParameterError, TypeError):
    """An augmenter parameter has the wrong type."""


class ConfigError(MultiaugError, ValueError):
    """A pipeline config could not be loaded; ``path`` locates the problem (``steps[2].params.limit``)."""

    def __init__(self, message: str, *, path: str = "", source: str | None = None) -> None:
        self.path = path
        self.message = message
        self.source = source
        where = [part for part in (source, path) if part]
        super().__init__(": ".join([*where, message]))


class MissingDependencyError(MultiaugError, ImportError):
    """An optional dependency is not installed; the message says which extra provides it."""

    def __init__(self, package: str, extra: str, *, feature: str | None = None) -> None:
        self.package = package
        self.extra = extra
        what = f"{feature} needs" if feature else "this feature needs"
        super().__init__(
            f"{what} the optional dependency {package!r}, which is not installed. "
            f'Install it with: pip install "multiaug[{extra}]"'
        )
