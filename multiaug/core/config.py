"""Pipelines as data: ``to_dict``/``from_dict`` and YAML/JSON files.

A config can only name registered augmenters (no dotted imports, pickle or ``eval``), YAML is
read with ``yaml.safe_load`` only, and every problem is a :class:`ConfigError` whose ``path``
points inside the config (``steps[2].params.limit``).

Config form::

    multiaug_config: 1
    multiaug_version: 0.1.0
    name: core.Pipeline
    params: {seed: 0}
    steps:
      - {name: image.HorizontalFlip, params: {p: 0.5}}
      - name: core.OneOf
        steps: [{name: image.Rotate, params: {limit: 15}}, {name: core.Identity}]

``params`` may also be written inline (``{name: image.HorizontalFlip, p: 0.5}``), and a
top-level mapping without ``name`` is read as a pipeline.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from multiaug.core.errors import ConfigError, InvalidParameterError, MissingDependencyError
from multiaug.core.registry import get

__all__ = ["CONFIG_FORMAT", "build", "from_dict", "load", "save", "to_jsonable"]

CONFIG_FORMAT = 1
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$")
_HEADER_KEYS = {"multiaug_config", "multiaug_version"}
_SUFFIXES = {".yaml": "yaml", ".yml": "yaml", ".json": "json"}


def to_jsonable(value: Any) -> Any:
    """Plain JSON form of a parameter value: tuples to lists, NumPy scalars to Python numbers.

    Example:
        >>> to_jsonable((1, np.float32(0.5)))
        [1, 0.5]
    """
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, Path):
        return str(value)
    return value


def build(config: Mapping[str, Any], *, path: str = "") -> Any:
    """Build one augmenter (or container) from its config form.

    Example:
        >>> build({"name": "core.Identity", "p": 0.5})
        Identity(p=0.5)
    """
    from multiaug.core.augmenter import Augmenter
    from multiaug.core.pipeline import Container

    where = path or "<root>"
    if not isinstance(config, Mapping):
        raise ConfigError(f"a step must be a mapping with a 'name', got {type(config).__name__}", path=where)
    name = config.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        raise ConfigError(
            f"'name' must be a registered augmenter name like 'image.HorizontalFlip', got {name!r} "
            "(configs cannot import code by dotted path)",
            path=_join(path, "name"),
        )
    try:
        cls = get(name)
    except ConfigError as exc:
        raise ConfigError(exc.message, path=_join(path, "name")) from None
    except MissingDependencyError as exc:
        raise MissingDependencyError(exc.package, exc.extra, feature=f"{name} (at {where})") from None
    if not (isinstance(cls, type) and issubclass(cls, Augmenter)):
        raise ConfigError(f"{name!r} is registered but is not an augmenter", path=_join(path, "name"))

    is_container = issubclass(cls, Container)
    allowed_keys = {"name", "params"} | ({"steps"} if is_container else set()) | (_HEADER_KEYS if not path else set())
    param_names = [n for n in cls.param_names() if n != "steps"]
    if "params" in config:
        params = config["params"]
        params_path = _join(path, "params")
        if params is None:
            params = {}
        if not isinstance(params, Mapping):
            raise ConfigError(f"must be a mapping of parameters, got {type(params).__name__}", path=params_path)
        extra = [k for k in config if k not in allowed_keys]
        if extra:
            raise ConfigError(f"unknown key {extra[0]!r}; params belong under 'params'", path=_join(path, extra[0]))
    else:
        params = {k: v for k, v in config.items() if k not in allowed_keys}
        params_path = path
    params = dict(params)
    for key in params:
        if key not in param_names:
            known = ", ".join(param_names) or "none"
            raise ConfigError(
                f"{name} has no parameter {key!r} (its parameters: {known})", path=_join(params_path, str(key))
            )
    if is_container:
        steps_cfg = config.get("steps")
        if not isinstance(steps_cfg, list):
            raise ConfigError(f"{name} needs a list of steps", path=_join(path, "steps"))
        params["steps"] = [build(s, path=f"{_join(path, 'steps')}[{i}]") for i, s in enumerate(steps_cfg)]
    try:
        return cls(**params)
    except ConfigError as exc:  # a nested config value (a pipeline's field_options) knows its own path
        raise ConfigError(exc.message, path=_join(params_path, exc.path)) from None
    except InvalidParameterError as exc:
        at = _join(params_path, exc.param) if exc.param else params_path or where
        raise ConfigError(str(exc), path=at) from None
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{name}: {exc}", path=params_path or where) from None


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def from_dict(config: Mapping[str, Any]) -> Any:
    """Build a :class:`~multiaug.Pipeline` (or single step) from :meth:`to_dict` output.

    A top-level mapping with ``steps`` but no ``name`` is read as a pipeline.

    Example:
        >>> import multiaug as ma
        >>> pipe = ma.Pipeline([ma.Identity(p=0.5)], seed=3)
        >>> ma.from_dict(pipe.to_dict()).to_dict() == pipe.to_dict()
        True
    """
    if not isinstance(config, Mapping):
        raise ConfigError(f"a config must be a mapping, got {type(config).__name__}")
    version = config.get("multiaug_config", CONFIG_FORMAT)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1 or version > CONFIG_FORMAT:
        raise ConfigError(
            f"config format {version!r} is not supported (this multiaug reads format {CONFIG_FORMAT})",
            path="multiaug_config",
        )
    if "name" not in config:
        config = {"name": "core.Pipeline", **config}
    return build(config)


def _check_suffix(path: Path) -> str:
    kind = _SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise ConfigError(f"{path}: config files end in .yaml, .yml or .json, not {path.suffix or '(none)'}")
    return kind


def save(step: Any, path: str | os.PathLike[str], *, overwrite: bool = False) -> Path:
    """Write ``step.to_dict()`` to ``path`` as YAML or JSON (by suffix), atomically.

    Raises:
        FileExistsError: ``path`` exists and ``overwrite`` is false (user files are never lost).

    Example:
        >>> import multiaug as ma, tempfile, os
        >>> target = os.path.join(tempfile.mkdtemp(), "p.yaml")
        >>> _ = ma.save(ma.Pipeline([ma.Identity()], seed=0), target)
    """
    target = Path(path)
    kind = _check_suffix(target)
    if target.exists() and not overwrite:
        raise FileExistsError(f"{target} exists; pass overwrite=True to replace it")
    data = step.to_dict()
    if kind == "yaml":
        import yaml

        text = yaml.safe_dump(data, sort_keys=False, default_flow_style=None)
    else:
        text = json.dumps(data, indent=2) + "\n"
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def loads(text: str, fmt: str = "yaml") -> Any:
    """Build a pipeline from config text (``fmt`` is ``"yaml"`` or ``"json"``)."""
    if fmt == "yaml":
        import yaml

        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise ConfigError(f"not valid (safe) YAML: {exc}") from None
    else:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ConfigError(f"not valid JSON: {exc}") from None
    from multiaug.core.pipeline import Pipeline

    built = from_dict(data)
    return built if isinstance(built, Pipeline) else Pipeline([built])


def load(path: str | os.PathLike[str]) -> Any:
    """Read a pipeline from a ``.yaml``/``.yml``/``.json`` file.

    A file holding a single step gives a one-step pipeline.

    Example:
        >>> import multiaug as ma, tempfile, os
        >>> target = os.path.join(tempfile.mkdtemp(), "p.json")
        >>> _ = ma.save(ma.Pipeline([ma.Identity()], seed=0), target)
        >>> ma.load(target).seed
        0
    """
    source = Path(path)
    kind = _check_suffix(source)
    try:
        text = source.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read {source}: {exc.strerror or exc}") from None
    try:
        return loads(text, kind)
    except ConfigError as exc:
        raise ConfigError(exc.message, path=exc.path, source=str(source)) from None
