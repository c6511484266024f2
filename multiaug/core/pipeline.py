"""Containers: :class:`Sequential`, :class:`OneOf`, :class:`SomeOf` and the top-level :class:`Pipeline`.

Containers are augmenters whose parameters are the records of their children, so that
``apply(sample, params)`` (replay) stays a pure function of the sample and the parameters.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from multiaug.core.augmenter import Augmenter
from multiaug.core.errors import AugmentationError, InvalidParameterError, InvalidParameterTypeError
from multiaug.core.fields import Sample, field_values_equal, normalize_field_options
from multiaug.core.fusion import run_steps
from multiaug.core.params import check_int, check_number, to_int_range
from multiaug.core.random import Stream, fresh_entropy, generator_for
from multiaug.core.record import RECORD_FORMAT, check_record
from multiaug.core.registry import register
from multiaug.core.sample_io import KindPlan, finish_sample, prepare_sample

__all__ = ["Container", "OneOf", "Pipeline", "Sequential", "SomeOf"]

Record = list[dict[str, Any]]


class Container(Augmenter):
    """Base of the step containers: holds child steps and records their entries as its params."""

    def __init__(self, steps: Sequence[Augmenter], p: float = 1.0) -> None:
        super().__init__(p=p)
        if isinstance(steps, Augmenter) or not isinstance(steps, Sequence):
            raise InvalidParameterTypeError(
                f"{self.name}: steps must be a list of augmenters, got {type(steps).__name__}",
                owner=self.name,
                param="steps",
            )
        for i, step in enumerate(steps):
            if not isinstance(step, Augmenter):
                raise InvalidParameterTypeError(
                    f"{self.name}: steps[{i}] must be an augmenter, got {type(step).__name__}",
                    owner=self.name,
                    param="steps",
                )
        self.steps = list(steps)

    # A container draws while it runs (a child's draws may depend on what an earlier child did),
    # so it overrides run/run_batch rather than make_params.
    def run(self, sample: Sample, rng: np.random.Generator, record: Record | None) -> Sample:
        if self.p < 1.0 and not rng.random() < self.p:
            if record is not None:
                record.append({"name": self.name, "applied": False})
            return sample
        children: Record | None = [] if record is not None else None
        out, extra = self._run_children(sample, rng, children)
        if record is not None:
            record.append({"name": self.name, "applied": True, "params": {**extra, "steps": children}})
        return out

    def _run_children(
        self, sample: Sample, rng: np.random.Generator, record: Record | None
    ) -> tuple[Sample, dict[str, Any]]:
        raise NotImplementedError

    def _replay_children(self, sample: Sample, indices: Sequence[int], entries: Any) -> Sample:
        if not isinstance(entries, list) or len(entries) != len(indices):
            raise AugmentationError(
                f"record has {len(entries) if isinstance(entries, list) else 'no'} child entries, "
                f"expected {len(indices)}",
                step=self.name,
            )
        for i, entry in zip(indices, entries):
            if not isinstance(i, int) or not 0 <= i < len(self.steps):
                raise AugmentationError(f"record names child {i!r}, which does not exist", step=self.name)
            sample = self.steps[i].replay_entry(sample, entry)
        return sample

    def get_params(self) -> dict[str, Any]:
        params = super().get_params()
        params.pop("steps", None)
        return params

    def to_dict(self) -> dict[str, Any]:
        d = super().to_dict()
        d["params"].pop("steps", None)
        d["steps"] = [s.to_dict() for s in self.steps]
        return d

    def __repr__(self) -> str:
        head = super().__repr__()[:-1]  # "Name(args" without its closing parenthesis
        if not head.endswith("("):
            head += ", "
        if not self.steps:
            return f"{head}steps=[])"
        inner = ",\n".join("\n".join("  " + line for line in repr(step).splitlines()) for step in self.steps)
        return f"{head}steps=[\n{inner}\n])"

    def walk(self) -> list[Augmenter]:
        """Every step below this container, depth first (containers included)."""
        out: list[Augmenter] = []
        for s in self.steps:
            out.append(s)
            if isinstance(s, Container):
                out.extend(s.walk())
        return out


@register
class Sequential(Container):
    """Runs its steps in order.

    Example:
        >>> import multiaug as ma
        >>> ma.Sequential([ma.Identity(), ma.Identity()], p=0.5)
        Sequential(p=0.5, steps=[
          Identity(),
          Identity()
        ])
    """

    def __init__(self, steps: Sequence[Augmenter], p: float = 1.0) -> None:
        super().__init__(steps, p=p)

    def _run_children(self, sample, rng, record):  # type: ignore[no-untyped-def]
        return run_steps(self.steps, sample, rng, record), {}

    def apply(self, sample: Sample, params: dict[str, Any]) -> Sample:
        return self._replay_children(sample, range(len(self.steps)), params.get("steps"))

    def run_batch(self, samples, rngs, records):  # type: ignore[no-untyped-def]
        fired = [i for i, rng in enumerate(rngs) if self.p >= 1.0 or rng.random() < self.p]
        sub = [samples[i] for i in fired]
        sub_rngs = [rngs[i] for i in fired]
        sub_records: list[Record] | None = [[] for _ in fired] if records is not None else None
        for step in self.steps:
            sub = step.run_batch(sub, sub_rngs, sub_records)
        outs = list(samples)
        for j, i in enumerate(fired):
            outs[i] = sub[j]
        if records is not None:
            fired_set = dict(zip(fired, sub_records or []))
            for i, rec in enumerate(records):
                if i in fired_set:
                    rec.append({"name": self.name, "applied": True, "params": {"steps": fired_set[i]}})
                else:
                    rec.append({"name": self.name, "applied": False})
        return outs


@register
class OneOf(Container):
    """Runs exactly one of its steps, chosen at random (by ``weights`` if given).

    Args:
        steps: The candidate steps.
        weights: Relative weights, one per step (normalised); None means equal.
        p: Probability that the container runs at all.

    Example:
        >>> import multiaug as ma
        >>> pick = ma.OneOf([ma.Identity(), ma.Identity()], weights=[3, 1])
    """

    def __init__(
        self, steps: Sequence[Augmenter], weights: Sequence[float] | None = None, p: float = 1.0
    ) -> None:
        super().__init__(steps, p=p)
        if not self.steps:
            raise InvalidParameterError(f"{self.name}: steps must not be empty", owner=self.name, param="steps")
        if weights is not None:
            if isinstance(weights, str) or not isinstance(weights, Sequence) or len(weights) != len(self.steps):
                raise InvalidParameterError(
                    f"{self.name}: weights must be a list of {len(self.steps)} numbers, got {weights!r}",
                    owner=self.name,
                    param="weights",
                )
            ws = [check_number(w, self.name, "weights", low=0.0) for w in weights]
            if sum(ws) <= 0:
                raise InvalidParameterError(
                    f"{self.name}: weights must not all be zero", owner=self.name, param="weights"
                )
            weights = list(weights)
            self._probs = np.asarray(ws) / sum(ws)
        else:
            self._probs = None
        self.weights = weights

    def _choose(self, rng: np.random.Generator) -> int:
        if self._probs is None:
            return int(rng.integers(len(self.steps)))
        return int(rng.choice(len(self.steps), p=self._probs))

    def _run_children(self, sample, rng, record):  # type: ignore[no-untyped-def]
        choice = self._choose(rng)
        return self.steps[choice].run(sample, rng, record), {"choice": choice}

    def apply(self, sample: Sample, params: dict[str, Any]) -> Sample:
        return self._replay_children(sample, [params.get("choice")], params.get("steps"))

    def run_batch(self, samples, rngs, records):  # type: ignore[no-untyped-def]
        # Group samples by the chosen child so that batched kernels stay batched.
        choices: dict[int, int] = {}
        for i, rng in enumerate(rngs):
            if self.p >= 1.0 or rng.random() < self.p:
                choices[i] = self._choose(rng)
        outs = list(samples)
        child_records: dict[int, Record] = {i: [] for i in choices}
        for c in sorted(set(choices.values())):
            idx = [i for i, ch in choices.items() if ch == c]
            recs = [child_records[i] for i in idx] if records is not None else None
            results = self.steps[c].run_batch([samples[i] for i in idx], [rngs[i] for i in idx], recs)
            for i, out in zip(idx, results):
                outs[i] = out
        if records is not None:
            for i, rec in enumerate(records):
                if i in choices:
                    params = {"choice": choices[i], "steps": child_records[i]}
                    rec.append({"name": self.name, "applied": True, "params": params})
                else:
                    rec.append({"name": self.name, "applied": False})
        return outs


@register
class SomeOf(Container):
    """Runs ``n`` of its steps, drawn without replacement (in random order unless ``keep_order``).

    Args:
        steps: The candidate steps.
        n: How many to run: an integer, or an inclusive ``(low, high)`` range drawn per call.
        keep_order: Run the chosen steps in the order they are listed.
        p: Probability that the container runs at all.

    Example:
        >>> import multiaug as ma
        >>> some = ma.SomeOf([ma.Identity(), ma.Identity(), ma.Identity()], n=(1, 2))
    """

    def __init__(
        self,
        steps: Sequence[Augmenter],
        n: int | Sequence[int] = (1, 2),
        keep_order: bool = False,
        p: float = 1.0,
    ) -> None:
        super().__init__(steps, p=p)
        self._n = to_int_range(n, self.name, "n", low=0, high=len(self.steps))
        if not isinstance(keep_order, bool):
            raise InvalidParameterTypeError(
                f"{self.name}: keep_order must be true or false, got {keep_order!r}",
                owner=self.name,
                param="keep_order",
            )
        self.n = n
        self.keep_order = keep_order

    def _run_children(self, sample, rng, record):  # type: ignore[no-untyped-def]
        lo, hi = self._n
        count = int(rng.integers(lo, hi + 1))
        order = [int(i) for i in rng.choice(len(self.steps), size=count, replace=False)]
        if self.keep_order:
            order.sort()
        for i in order:
            sample = self.steps[i].run(sample, rng, record)
        return sample, {"order": order}

    def apply(self, sample: Sample, params: dict[str, Any]) -> Sample:
        order = params.get("order")
        if not isinstance(order, list):
            raise AugmentationError("record lacks the 'order' of the chosen steps", step=self.name)
        return self._replay_children(sample, order, params.get("steps"))

    def run_batch(self, samples, rngs, records):  # type: ignore[no-untyped-def]
        outs = []
        for i, (s, rng) in enumerate(zip(samples, rngs)):
            outs.append(self.run(s, rng, records[i] if records is not None else None))
        return outs


@register
class Pipeline(Sequential):
    """The entry point: a seeded, replayable sequence of steps over a sample of named fields.

    Args:
        steps: The steps, run in order (containers nest).
        seed: Seed of the pipeline. None draws one from the OS (still recorded per call).
        fields: Kinds of keys that are not named after their kind, e.g. ``{"thumb": "image"}``.
        field_options: Options for box and keypoint fields: ``bbox_format`` (``"pascal_voc"``,
            ``"coco"``, ``"yolo"``), ``min_area``, ``min_visibility``, ``keypoint_mode``
            (``"flag"`` or ``"drop"``).
        p: Probability that the whole pipeline runs (useful when nested).

    Example:
        >>> import multiaug as ma
        >>> pipe = ma.Pipeline([ma.Identity()], seed=0)
        >>> out, record = pipe({"text": "a dog", "label": 3}, return_record=True)
        >>> pipe.replay(record, {"text": "a dog", "label": 3}) == out
        True
    """

    def __init__(
        self,
        steps: Sequence[Augmenter],
        seed: int | None = None,
        fields: Mapping[str, str] | None = None,
        field_options: Mapping[str, Any] | None = None,
        p: float = 1.0,
    ) -> None:
        super().__init__(steps, p=p)
        if seed is not None:
            seed = check_int(seed, self.name, "seed", low=0)
        if fields is not None:
            from multiaug.core.fields import ALL_KINDS

            if not isinstance(fields, Mapping):
                raise InvalidParameterTypeError(
                    f"{self.name}: fields must map field names to kinds, got {fields!r}",
                    owner=self.name,
                    param="fields",
                )
            for key, kind in fields.items():
                if kind not in ALL_KINDS:
                    raise InvalidParameterError(
                        f"{self.name}: fields[{key!r}] must be one of {sorted(ALL_KINDS)}, got {kind!r}",
                        owner=self.name,
                        param="fields",
                    )
            fields = dict(fields)
        self.seed = seed
        self.fields = fields
        self.field_options = dict(field_options) if field_options else None
        self._options = normalize_field_options(field_options)
        self._entropy = seed if seed is not None else fresh_entropy()
        self._stream = Stream(self._entropy)
        self._plans: dict[tuple[str, ...], KindPlan] = {}

    # ----------------------------------------------------------------- calling
    def __call__(  # type: ignore[override]
        self,
        sample: Any = None,
        /,
        *,
        index: int | None = None,
        epoch: int = 0,
        return_record: bool = False,
        **fields: Any,
    ) -> Any:
        """Augment one sample.

        Args:
            sample: A dict of fields, a bare ``str`` (text), or a bare image (numpy, PIL, torch).
            index: Position of the sample in its dataset: with it, the draw is a function of
                (seed, epoch, index) alone, whatever the worker or process.
            epoch: Epoch number, combined with ``index``.
            return_record: Also return the JSON-serialisable record of what was drawn.
            **fields: Fields given as keywords (merged into ``sample`` if both are given).

        Returns:
            The augmented sample in the caller's form (dict, or the bare value), and the record
            when ``return_record`` is true.
        """
        prepared, restore = prepare_sample(sample, fields, self.fields, self._options, self._plans)
        rng = self._stream.generator() if index is None else self._generator(index, epoch)
        if not return_record:
            # what self.run does for p=1 without a record, minus two calls: this is the hot path
            out = run_steps(self.steps, prepared, rng, None) if self.p >= 1.0 else self.run(prepared, rng, None)
            return finish_sample(out, restore)
        record: Record = []
        out = self.run(prepared, rng, record)
        return finish_sample(out, restore), self._make_record(record, index, epoch)

    def _generator(self, index: int | None, epoch: int) -> np.random.Generator:
        if index is None:
            return self._stream.generator()
        if isinstance(index, bool) or not isinstance(index, (int, np.integer)) or index < 0:
            raise AugmentationError(f"index must be a non-negative integer, got {index!r}", step=self.name)
        if isinstance(epoch, bool) or not isinstance(epoch, (int, np.integer)) or epoch < 0:
            raise AugmentationError(f"epoch must be a non-negative integer, got {epoch!r}", step=self.name)
        return generator_for(self._entropy, int(index), int(epoch))

    def _make_record(self, entries: Record | None, index: int | None, epoch: int) -> dict[str, Any]:
        entries = entries or []
        top = entries[0] if entries else {"applied": False}
        return {
            "format": RECORD_FORMAT,
            "seed": self.seed,
            "index": index,
            "epoch": epoch if index is not None else None,
            "applied": bool(top.get("applied")),
            "steps": top.get("params", {}).get("steps", []),
        }

    def replay(self, record: Mapping[str, Any], sample: Any = None, /, **fields: Any) -> Any:
        """Apply exactly what ``record`` says to ``sample``: bit-identical to the recorded call.

        Example:
            >>> import multiaug as ma
            >>> pipe = ma.Pipeline([ma.Identity(p=0.5)], seed=1)
            >>> out, rec = pipe("text", return_record=True)
            >>> pipe.replay(rec, "text") == out
            True
        """
        check_record(record, self)
        prepared, restore = prepare_sample(sample, fields, self.fields, self._options, self._plans)
        out = self.apply(prepared, {"steps": record["steps"]}) if record["applied"] else prepared
        return finish_sample(out, restore)

    def batch(
        self,
        samples: Sequence[Any],
        *,
        indices: Sequence[int] | None = None,
        epoch: int = 0,
        return_records: bool = False,
    ) -> Any:
        """Augment a list of samples; steps with batched kernels (back-translation) run once per batch.

        With ``indices``, sample ``k`` gets exactly what ``pipe(samples[k], index=indices[k])``
        would give.

        Returns:
            The list of augmented samples (and the list of records when ``return_records``).
        """
        if indices is not None and len(indices) != len(samples):
            raise AugmentationError(f"{len(indices)} indices for {len(samples)} samples", step=self.name)
        prepared = [prepare_sample(s, {}, self.fields, self._options, self._plans) for s in samples]
        if indices is not None:
            rngs = [self._generator(i, epoch) for i in indices]
        else:
            rngs = self._stream.spawn(len(samples))
        records: list[Record] | None = [[] for _ in samples] if return_records else None
        outs = self.run_batch([p for p, _ in prepared], rngs, records)
        results = [finish_sample(o, r) for o, (_, r) in zip(outs, prepared)]
        if not return_records:
            return results
        idx = list(indices) if indices is not None else [None] * len(samples)
        return results, [self._make_record(rec, i, epoch) for rec, i in zip(records or [], idx)]

    def variants(
        self,
        sample: Any,
        n: int,
        *,
        index: int | None = None,
        epoch: int = 0,
        max_attempts: int | None = None,
        return_records: bool = False,
    ) -> Any:
        """``n`` augmentations of one sample that differ from each other and from the input.

        Candidates are drawn in batches (so batched kernels are used) and duplicates redrawn, at
        most ``max_attempts`` draws in all (default ``10 * n + 10``).

        Args:
            sample: The sample, in any form ``__call__`` accepts.
            n: Number of variants.
            index: With it, the variants are a function of (seed, epoch, index).
            epoch: Epoch number, combined with ``index``.
            max_attempts: Upper bound on draws.
            return_records: Also return one record per variant.

        Raises:
            AugmentationError: ``n`` distinct variants could not be drawn within ``max_attempts``
                (for example the pipeline can only produce a few distinct outputs).
        """
        n = check_int(n, self.name, "n", low=0)
        limit = max_attempts if max_attempts is not None else 10 * n + 10
        prepared, restore = prepare_sample(sample, {}, self.fields, self._options, self._plans)
        # One generator serves every candidate: variants need not match single calls, only be a
        # function of (seed, epoch, index), and one generator is much cheaper than one per draw.
        if index is not None:
            self._generator(index, epoch)  # validates index and epoch
            seq = np.random.SeedSequence([self._entropy, int(epoch), int(index)], spawn_key=(_VARIANTS_KEY,))
            rng = np.random.Generator(np.random.PCG64(seq))
        else:
            rng = self._stream.generator()
        seen = _DistinctSamples(prepared)
        kept: list[Sample] = []
        kept_records: list[Record] = []
        attempts = 0
        while len(kept) < n and attempts < limit:
            want = min(n - len(kept), limit - attempts)
            attempts += want
            records: list[Record] = [[] for _ in range(want)]
            outs = self.run_batch([prepared] * want, [rng] * want, records if return_records else None)
            for out, rec in zip(outs, records):
                if len(kept) < n and seen.add(out):
                    kept.append(out)
                    kept_records.append(rec)
        if len(kept) < n:
            raise AugmentationError(
                f"could only draw {len(kept)} distinct variants out of the {n} asked for in {attempts} "
                f"attempts; the pipeline cannot produce that many different outputs for this sample "
                f"(raise max_attempts, add steps or widen their ranges)",
                step=self.name,
            )
        results = [finish_sample(k, restore) for k in kept]
        if not return_records:
            return results
        return results, [self._make_record(r, index, epoch) for r in kept_records]

    # ----------------------------------------------------------------- config
    def to_dict(self) -> dict[str, Any]:
        """The pipeline's config, with its format version and the multiaug version."""
        from multiaug.core.config import CONFIG_FORMAT
        from multiaug.version import __version__

        return {"multiaug_config": CONFIG_FORMAT, "multiaug_version": __version__, **super().to_dict()}

    def save(self, path: Any, *, overwrite: bool = False) -> None:
        """Write the config to ``path`` (``.yaml``/``.yml``/``.json``); see :func:`multiaug.save`."""
        from multiaug.core.config import save

        save(self, path, overwrite=overwrite)


_VARIANTS_KEY = 0x76617273  # "vars": keeps the variants stream apart from the per-index one


def _same_sample(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    return a.keys() == b.keys() and all(field_values_equal(a[k], b[k]) for k in a)


def _fingerprint(sample: Mapping[str, Any]) -> tuple[Any, ...]:
    """A hashable summary of a sample: equal samples have equal fingerprints (not conversely)."""
    parts: list[Any] = []
    for key, value in sample.items():
        if value is None or isinstance(value, (str, int, float)):
            parts.append((key, value))
        elif isinstance(value, np.ndarray) and value.dtype != object:
            digest = hashlib.blake2b(np.ascontiguousarray(value).view(np.uint8), digest_size=16).digest()
            parts.append((key, value.shape, value.dtype.str, digest))
    return tuple(parts)


class _DistinctSamples:
    """Samples seen so far; fingerprints narrow the candidates, exact comparison decides."""

    def __init__(self, first: Mapping[str, Any]) -> None:
        self._by_print: dict[tuple[Any, ...], list[Mapping[str, Any]]] = {_fingerprint(first): [first]}

    def add(self, sample: Mapping[str, Any]) -> bool:
        """Remember ``sample``; False if an equal one was seen before."""
        same_print = self._by_print.setdefault(_fingerprint(sample), [])
        if any(_same_sample(sample, other) for other in same_print):
            return False
        same_print.append(sample)
        return True
