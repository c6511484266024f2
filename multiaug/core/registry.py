"""The registry of augmenters: built-ins, user classes and third-party plugins.

Names are ``"<modality>.<ClassName>"``. Built-in modalities are imported on first lookup, so
``import multiaug`` stays light; plugins declare an entry point in the group
``multiaug.augmenters`` whose name is the registry name and are loaded only when looked up.
The registry is closed: configs can only name what is registered here.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from importlib import metadata
from typing import Any, TypeVar, overload

from multiaug.core.errors import ConfigError, MissingDependencyError

__all__ = ["available", "get", "register"]

ENTRY_POINT_GROUP = "multiaug.augmenters"

#: Built-in modality -> (module that registers its steps, extra that installs its dependencies).
BUILTIN_MODALITIES: dict[str, tuple[str, str]] = {
    "core": ("multiaug.core.steps", "core"),
    "image": ("multiaug.image", "image"),
    "text": ("multiaug.text", "text"),
    "audio": ("multiaug.audio", "audio"),
}

_REGISTRY: dict[str, type] = {}
_loaded_modalities: set[str] = set()

T = TypeVar("T", bound=type)


def _modality_of(cls: type) -> str:
    explicit = getattr(cls, "modality", None)
    if isinstance(explicit, str) and explicit:
        return explicit
    parts = cls.__module__.split(".")
    if parts[0] == "multiaug" and len(parts) > 1 and parts[1] in BUILTIN_MODALITIES:
        return parts[1]
    return parts[0]


@overload
def register(cls: T, /) -> T: ...
@overload
def register(*, name: str | None = None, modality: str | None = None) -> Callable[[T], T]: ...


def register(cls: Any = None, /, *, name: str | None = None, modality: str | None = None) -> Any:
    """Class decorator that registers an augmenter under ``"<modality>.<ClassName>"``.

    The modality is ``modality=``, else the class attribute ``modality``, else the multiaug
    subpackage the class lives in, else the top-level package of its module. A duplicate name
    raises ``ValueError``.

    Example:
        >>> import multiaug as ma
        >>> @ma.register(modality="example")
        ... class Nothing(ma.Augmenter):
        ...     '''Does nothing.'''
        >>> Nothing.name
        'example.Nothing'
    """

    def decorator(klass: T) -> T:
        reg_name = name or f"{modality or _modality_of(klass)}.{klass.__name__}"
        existing = _REGISTRY.get(reg_name)
        if existing is not None and existing is not klass:
            raise ValueError(
                f"an augmenter named {reg_name!r} is already registered "
                f"({existing.__module__}.{existing.__qualname__}); choose another name"
            )
        klass.name = reg_name  # type: ignore[attr-defined]
        _REGISTRY[reg_name] = klass
        return klass

    return decorator(cls) if cls is not None else decorator


def _load_builtin(modality: str) -> None:
    if modality in _loaded_modalities or modality not in BUILTIN_MODALITIES:
        return
    module, extra = BUILTIN_MODALITIES[modality]
    try:
        importlib.import_module(module)
    except MissingDependencyError:
        raise
    except ImportError as exc:
        missing = getattr(exc, "name", None) or str(exc)
        raise MissingDependencyError(missing, extra, feature=f"the {modality} augmenters") from exc
    _loaded_modalities.add(modality)


def _entry_points() -> dict[str, metadata.EntryPoint]:
    return {ep.name: ep for ep in metadata.entry_points(group=ENTRY_POINT_GROUP)}


def get(name: str) -> type:
    """The augmenter class registered as ``name``, loading its modality or plugin on demand.

    Raises:
        ConfigError: no augmenter of that name exists (the message lists close matches).
        MissingDependencyError: the name is a built-in whose extra is not installed.

    Example:
        >>> get("core.Identity").__name__
        'Identity'
    """
    if not isinstance(name, str) or "." not in name:
        raise ConfigError(f"an augmenter name looks like 'image.HorizontalFlip', got {name!r}")
    if name in _REGISTRY:
        return _REGISTRY[name]
    modality = name.split(".", 1)[0]
    if modality in BUILTIN_MODALITIES:
        _load_builtin(modality)
    if name not in _REGISTRY:
        ep = _entry_points().get(name)
        if ep is not None:
            try:
                loaded = ep.load()
            except ImportError as exc:
                raise ConfigError(f"the plugin providing {name!r} failed to import: {exc}") from exc
            if name not in _REGISTRY:  # the plugin's module may register it itself; else do it here
                register(loaded, name=name)
    if name not in _REGISTRY:
        import difflib

        close = difflib.get_close_matches(name, available(), n=3)
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        raise ConfigError(f"no augmenter is registered as {name!r}{hint} (see multiaug.available())")
    return _REGISTRY[name]


def available(modality: str | None = None, *, load_plugins: bool = False) -> list[str]:
    """Registered augmenter names, sorted; built-in modalities whose extras are missing are skipped.

    Plugin names from the ``multiaug.augmenters`` entry points are listed without importing them
    unless ``load_plugins`` is true.

    Example:
        >>> "core.Identity" in available("core")
        True
    """
    for mod in BUILTIN_MODALITIES:
        if modality is None or modality == mod:
            try:
                _load_builtin(mod)
            except MissingDependencyError:
                pass
    names = set(_REGISTRY)
    for ep_name in _entry_points():
        if load_plugins:
            get(ep_name)
        names.add(ep_name)
    if modality is not None:
        names = {n for n in names if n.split(".", 1)[0] == modality}
    return sorted(names)
