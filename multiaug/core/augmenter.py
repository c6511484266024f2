"""The :class:`Augmenter` base class: parameter sampling plus per-kind kernels.

An augmenter draws its random parameters once per call (:meth:`Augmenter.make_params`, plain
JSON values) and applies them to every field it has a kernel for (:meth:`Augmenter.apply`, a
pure function of the sample and the parameters). Drawing once and applying everywhere is what
keeps an image, its mask, its boxes and its caption consistent.

Kernels are methods named ``apply_<kind>`` (``apply_image``, ``apply_bboxes`` ...) with the
signature ``(self, value, params, sample) -> new_value``; ``sample`` is the input
:class:`~multiaug.core.fields.Sample`, so a box kernel can read the image size. A kernel may
return :class:`~multiaug.core.fields.Updates` to change sibling fields too. Kernels for a kind
that lives in another modality (a caption rule of an image flip) are attached by name with
:func:`register_kernel` and imported lazily from the modules named in ``kernel_modules``.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable, Mapping
from typing import Any, ClassVar

import numpy as np

from multiaug.core.errors import AugmentationError, MultiaugError
from multiaug.core.fields import ALL_KINDS, DEPENDENTS, Sample, Updates
from multiaug.core.params import check_probability

__all__ = ["Augmenter", "Kernel", "register_kernel"]

Kernel = Callable[[Any, Any, dict[str, Any], Sample], Any]

# Kernels attached from outside the class, by step name: {step name: {kind: function}}.
_EXTERNAL_KERNELS: dict[str, dict[str, Kernel]] = {}
_NO_DEFAULT = inspect.Parameter.empty


def register_kernel(step_name: str, kind: str) -> Callable[[Kernel], Kernel]:
    """Attach a kernel for ``kind`` to the step registered as ``step_name``.

    Used for cross-modal rules that live with the kernel of the field kind, e.g. the caption
    kernel of ``image.HorizontalFlip`` lives in ``multiaug/text/spatial.py``. The function has
    the kernel signature ``(step, value, params, sample) -> new_value``.

    Example:
        >>> @register_kernel("core.Identity", "caption")
        ... def _same(step, value, params, sample):
        ...     return value
    """

    def decorator(fn: Kernel) -> Kernel:
        global _kernel_epoch
        _EXTERNAL_KERNELS.setdefault(step_name, {})[kind] = fn
        for cls in _kernel_cache_owners:
            cls._kernel_cache = None
        _kernel_epoch += 1  # dispatch plans built before this kernel existed are stale
        return fn

    return decorator


_kernel_cache_owners: list[type[Augmenter]] = []
_kernel_epoch = 0
#: Per-instance caches that are rebuilt on demand and never pickled or copied.
_TRANSIENT = ("_dispatch",)


class Augmenter:
    """Base class of every augmenter.

    Subclasses set ``name`` through :func:`multiaug.register`, implement :meth:`make_params`
    (random draws only) and one ``apply_<kind>`` method per field kind they change. They
    validate their arguments in ``__init__`` with the helpers of :mod:`multiaug.core.params` and
    store each argument under its own name, which is what :meth:`get_params`, ``repr`` and
    configs read.

    Attributes:
        name: Registry name, ``"<modality>.<ClassName>"``.
        moves: ``"geometry"`` or ``"time"`` when the step moves pixels or samples; a field whose
            kind depends on that (masks, boxes, keypoints; transcripts, spectrograms) and that the
            step has no kernel for makes the step raise rather than leave it stale.
        kernel_modules: Modules imported on first use that attach extra kernels by name.
        fusion: Fusion group: consecutive steps of one group may run together through the
            group's fuser, with identical results (see :mod:`multiaug.core.fusion`).

    Example:
        >>> import multiaug as ma
        >>> class AddOne(ma.Augmenter):
        ...     name = "example.AddOne"
        ...     def apply_label(self, value, params, sample):
        ...         return value + 1
        >>> AddOne()({"label": 1})["label"]
        2
    """

    name: ClassVar[str] = ""
    moves: ClassVar[str | None] = None
    kernel_modules: ClassVar[tuple[str, ...]] = ()
    fusion: ClassVar[str | None] = None
    _kernel_cache: ClassVar[dict[str, Kernel] | None] = None

    def __init__(self, p: float = 1.0) -> None:
        self.p = check_probability(p, self.name or type(self).__name__)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._kernel_cache = None
        _kernel_cache_owners.append(cls)

    # ----------------------------------------------------------------- the protocol
    def make_params(self, sample: Sample, rng: np.random.Generator) -> dict[str, Any]:
        """Draw this call's random parameters: plain JSON values (numbers, strings, lists, dicts)."""
        return {}

    def apply(self, sample: Sample, params: dict[str, Any]) -> Sample:
        """Apply ``params`` to every field with a kernel; a pure function of its inputs."""
        kinds = sample.kinds
        plan = self.__dict__.get("_dispatch")
        if plan is None or plan[0] is not kinds or plan[2] != _kernel_epoch:
            plan = self._dispatch_plan(kinds)
        out: Sample | None = None
        updated: set[str] | None = None  # keys changed through Updates by another field's kernel
        for key, kernel, kind in plan[1]:
            if kernel is None:  # a field this step moves but has no rule for
                self._check_dependent(key, kind, updated)
                continue
            if key is None:  # a whole-sample check (see sample_checks)
                kernel(sample, self.name)
                continue
            try:
                result = kernel(self, sample[key], params, sample)
            except MultiaugError as exc:
                if isinstance(exc, AugmentationError):
                    exc.with_context(step=self.name, field=key)
                raise
            except Exception as exc:  # a kernel failure: report it with its step and field
                raise AugmentationError(f"{type(exc).__name__}: {exc}", step=self.name, field=key) from exc
            if out is None:
                out = Sample._sharing(sample, kinds, sample.options)
            if type(result) is Updates or isinstance(result, Updates):
                dict.update(out, result)
                updated = set(result) if updated is None else updated | set(result)
            else:
                out[key] = result
        return out if out is not None else sample

    def _dispatch_plan(self, kinds: dict[str, str | None]) -> tuple[dict[str, str | None], tuple[Any, ...], int]:
        """``(kinds, ((key, kernel or None, kind), ...), epoch)``: the fields of ``kinds`` this step touches.

        A None kernel marks a field the step moves without a rule for it (checked at apply time,
        since a sibling's :class:`Updates` may have moved it); a None key marks one of the
        :meth:`sample_checks`, which come first. Samples of one pipeline call share
        one kinds dict, never mutated, so the plan is kept for the last kinds dict seen (the
        reference held here keeps its identity from being reused).
        """
        kernels = self._kernel_cache if self._kernel_cache is not None else self.kernels()
        dependents = DEPENDENTS.get(self.moves, frozenset()) if self.moves is not None else frozenset()
        entries: list[tuple[Any, ...]] = [(None, check, None) for check in self.sample_checks(kinds)]
        for key, kind in kinds.items():
            kernel = kernels.get(kind)  # type: ignore[arg-type]
            if kernel is not None or kind in dependents:
                entries.append((key, kernel, kind))
        plan = (kinds, tuple(entries), _kernel_epoch)
        self.__dict__["_dispatch"] = plan
        return plan

    def sample_checks(self, kinds: Mapping[str, str | None]) -> tuple[Callable[[Sample, str], None], ...]:
        """Checks ``check(sample, step_name)`` to run before the kernels on samples with these kinds.

        Computed once per kinds dict (with the dispatch plan); the default is none.
        """
        return ()

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__
        if any(name in state for name in _TRANSIENT):
            state = {k: v for k, v in state.items() if k not in _TRANSIENT}
        return state

    def _check_dependent(self, key: str, kind: str, updated: set[str] | None) -> None:
        if not (updated and key in updated):
            raise AugmentationError(
                f"this step moves {self.moves} but has no rule for {kind} fields, so {key!r} "
                f"would no longer match; remove the field or use a step that supports {kind}",
                step=self.name,
                field=key,
            )

    # ----------------------------------------------------------------- kernels
    @classmethod
    def kernels(cls) -> dict[str, Kernel]:
        """Kind -> kernel for this class: its ``apply_<kind>`` methods plus attached kernels."""
        cache = cls._kernel_cache
        if cache is None:
            for module in cls.kernel_modules:
                try:
                    importlib.import_module(module)
                except ImportError:
                    pass  # an optional modality is absent: its kinds simply have no kernel
            cache = {}
            for attr in dir(cls):
                kind = attr[len("apply_"):]
                if attr.startswith("apply_") and kind in ALL_KINDS:
                    cache[kind] = getattr(cls, attr)
            for klass in reversed(cls.__mro__):
                cache.update(_EXTERNAL_KERNELS.get(getattr(klass, "name", ""), {}))
            cls._kernel_cache = cache
        return cache

    @classmethod
    def target_kinds(cls) -> frozenset[str]:
        """The field kinds this step changes."""
        return frozenset(cls.kernels())

    # ----------------------------------------------------------------- running
    def run(self, sample: Sample, rng: np.random.Generator, record: list[dict[str, Any]] | None) -> Sample:
        """Draw (whether it fires, its params) and apply; append the step's entry to ``record``."""
        if self.p < 1.0 and not rng.random() < self.p:
            if record is not None:
                record.append({"name": self.name, "applied": False})
            return sample
        params = self.make_params(sample, rng)
        out = self.apply(sample, params)
        if record is not None:
            record.append({"name": self.name, "applied": True, "params": params})
        return out

    def replay_entry(self, sample: Sample, entry: Mapping[str, Any]) -> Sample:
        """Re-apply one recorded entry; no randomness involved."""
        if entry.get("name") != self.name:
            raise AugmentationError(
                f"record entry is for {entry.get('name')!r} but this pipeline step is {self.name!r}",
                step=self.name,
            )
        if not entry.get("applied"):
            return sample
        return self.apply(sample, entry.get("params", {}))

    def run_batch(
        self,
        samples: list[Sample],
        rngs: list[np.random.Generator],
        records: list[list[dict[str, Any]]] | None,
    ) -> list[Sample]:
        """Run over a batch: draws per sample, then :meth:`apply_batch` on those that fired."""
        fired: list[int] = []
        params_list: list[dict[str, Any]] = []
        entries: list[dict[str, Any]] = []
        for i, (sample, rng) in enumerate(zip(samples, rngs)):
            if self.p < 1.0 and not rng.random() < self.p:
                entries.append({"name": self.name, "applied": False})
                continue
            params = self.make_params(sample, rng)
            fired.append(i)
            params_list.append(params)
            entries.append({"name": self.name, "applied": True, "params": params})
        outs = list(samples)
        if fired:
            for i, out in zip(fired, self.apply_batch([samples[i] for i in fired], params_list)):
                outs[i] = out
        if records is not None:
            for rec, entry in zip(records, entries):
                rec.append(entry)
        return outs

    def apply_batch(self, samples: list[Sample], params_list: list[dict[str, Any]]) -> list[Sample]:
        """Apply to many samples at once; override where a batched kernel is faster."""
        return [self.apply(s, p) for s, p in zip(samples, params_list)]

    # ----------------------------------------------------------------- convenience
    def __call__(self, sample: Any = None, /, **kwargs: Any) -> Any:
        """Run this step alone, as a one-step :class:`~multiaug.Pipeline` with a fresh seed.

        Accepts what a pipeline accepts: ``step(image=img)``, ``step({"text": s})``, ``step("text")``.
        """
        pipe = self.__dict__.get("_solo_pipeline")
        if pipe is None:
            from multiaug.core.pipeline import Pipeline

            pipe = Pipeline([self])
            self.__dict__["_solo_pipeline"] = pipe
        return pipe(sample, **kwargs)

    @classmethod
    def param_names(cls) -> list[str]:
        """Names of the ``__init__`` parameters (what configs and ``repr`` show)."""
        sig = inspect.signature(cls.__init__)
        return [
            n
            for n, prm in sig.parameters.items()
            if n != "self" and prm.kind not in (prm.VAR_POSITIONAL, prm.VAR_KEYWORD)
        ]

    @classmethod
    def param_defaults(cls) -> dict[str, Any]:
        """Default values of the ``__init__`` parameters that have one."""
        sig = inspect.signature(cls.__init__)
        return {n: prm.default for n, prm in sig.parameters.items() if prm.default is not _NO_DEFAULT}

    def get_params(self) -> dict[str, Any]:
        """The constructor arguments of this step, read from the attributes of the same name."""
        return {n: getattr(self, n) for n in self.param_names()}

    def to_dict(self) -> dict[str, Any]:
        """Config form: ``{"name": ..., "params": {non-default arguments}}``; see :func:`multiaug.build`."""
        from multiaug.core.config import to_jsonable

        defaults = self.param_defaults()
        params = {
            n: to_jsonable(v)
            for n, v in self.get_params().items()
            if n not in defaults or not _same_value(v, defaults[n])
        }
        return {"name": self.name, "params": params}

    def __repr__(self) -> str:
        defaults = self.param_defaults()
        shown = [
            f"{n}={v!r}"
            for n, v in self.get_params().items()
            if n not in defaults or not _same_value(v, defaults[n])
        ]
        return f"{type(self).__name__}({', '.join(shown)})"

    @classmethod
    def describe(cls) -> str:
        """One line describing the step: the first line of its docstring."""
        doc = inspect.getdoc(cls) or ""
        return doc.splitlines()[0] if doc else ""


def _same_value(a: Any, b: Any) -> bool:
    """Whether an argument equals its default (tuples equal lists, True never equals 1)."""
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same_value(x, y) for x, y in zip(a, b))
    if isinstance(a, bool) != isinstance(b, bool):
        return False
    try:
        return bool(a == b)
    except Exception:  # noqa: BLE001 - arrays and other values without a plain ==
        return a is b
