"""The base of word-level text steps: protected tokens, character spans and per-field randomness.

Every text step acts on the fields of kind ``text`` and ``caption`` (a ``transcript`` is left
alone, since it must keep matching its audio; map a field to ``text`` with
``Pipeline(..., fields={"asr": "text"})`` to augment it anyway).

**Protected tokens** are never deleted, swapped or replaced: negations (not, no, never, n't ...)
and numbers by default, words given in ``protect`` (case-insensitive), anything matched by the
regular expressions in ``protect_regex``, and the character spans given in the sample.

**Spans.** A sample may carry character spans (entity spans, say) under the key ``spans`` (see
``spans_key``): a list of ``[start, end, ...]`` (extra items such as a label are kept) for the
sample's single text field, or a dict ``{field key: [[start, end, ...], ...]}`` when there are
several. The characters inside a span are protected, and the step returns the spans with their
offsets updated to the augmented text (tuples stay tuples).

Example:
    >>> import multiaug as ma
    >>> from multiaug import text as T
    >>> pipe = ma.Pipeline([T.RandomDeletion(rate=0.5, p=1.0)], seed=0)
    >>> out = pipe({"text": "Alice met Bob in New York last May", "spans": [[17, 25, "LOC"]]})
    >>> s, e, label = out["spans"][0]
    >>> out["text"][s:e], label
    ('New York', 'LOC')
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from multiaug.core.augmenter import Augmenter
from multiaug.core.errors import (
    AugmentationError,
    InvalidParameterError,
    InvalidParameterTypeError,
    MultiaugError,
)
from multiaug.core.fields import Sample, Updates
from multiaug.text.tokenize import _DIGIT_RE, NEGATIONS, Tokens

__all__ = ["TEXT_KINDS", "EditJob", "Protection", "field_rng", "TextStep", "check_bool", "check_word_list"]

#: The field kinds text steps change.
TEXT_KINDS = ("text", "caption")


def check_bool(value: Any, owner: str, param: str) -> bool:
    """Check a true/false argument."""
    if not isinstance(value, bool):
        raise InvalidParameterTypeError(
            f"{owner}: {param} must be true or false, got {value!r}", owner=owner, param=param
        )
    return value


def check_word_list(value: Any, owner: str, param: str) -> tuple[str, ...]:
    """Check an optional list of strings (None -> empty)."""
    if value is None:
        return ()
    if isinstance(value, str) or not isinstance(value, Sequence) or not all(isinstance(v, str) for v in value):
        raise InvalidParameterTypeError(
            f"{owner}: {param} must be a list of strings, got {value!r}", owner=owner, param=param
        )
    return tuple(value)


def field_rng(seed: int, field_index: int) -> random.Random:
    """The local generator of one text field, from the step's seed.

    Text kernels make many small scalar draws, for which a local :class:`random.Random` instance
    (seeded with an integer: reproducible across Python versions) is an order of magnitude faster
    than NumPy's generator. It is derived from the params only: never the global ``random`` state.

    Example:
        >>> field_rng(5, 0).random() == field_rng(5, 0).random() != field_rng(5, 1).random()
        True
    """
    return random.Random(seed * 64 + field_index)


class Protection:
    """Which words and gaps of a :class:`Tokens` may not be touched.

    Attributes:
        words: One flag per word: True if protected.
        gaps: One flag per gap: True if the gap lies inside a protected character range.
    """

    __slots__ = ("gaps", "words")

    def __init__(self, words: list[bool], gaps: list[bool]) -> None:
        self.words = words
        self.gaps = gaps

    def free(self) -> list[int]:
        """Indices of the unprotected words."""
        return [i for i, p in enumerate(self.words) if not p]


@dataclass
class EditJob:
    """One text field to edit: its tokens, protection flags, generator and the step's params."""

    tokens: Tokens
    protection: Protection
    rng: random.Random
    params: dict[str, Any]


class TextStep(Augmenter):
    """Base class of word- and character-level text steps.

    Subclasses implement :meth:`edit`, which changes a :class:`Tokens` in place given the
    field's generator and the protection flags. Parameters hold one integer seed; the kernel
    derives one generator per field from it (:func:`field_rng`), so ``apply`` is a pure function of
    (sample, params).

    Args:
        protect: Words that are never changed (case-insensitive).
        protect_regex: Regular expressions; the characters they match are never changed.
        protect_negations: Protect negations (not, no, never, n't ...).
        protect_numbers: Protect words that contain a digit.
        spans_key: Sample key holding character spans to protect and update (see the module doc).
        p: Probability of applying the step.
    """

    def __init__(
        self,
        protect: Sequence[str] | None = None,
        protect_regex: Sequence[str] | None = None,
        protect_negations: bool = True,
        protect_numbers: bool = True,
        spans_key: str = "spans",
        p: float = 1.0,
    ) -> None:
        super().__init__(p=p)
        owner = self.name or type(self).__name__
        self._protect = frozenset(w.lower() for w in check_word_list(protect, owner, "protect"))
        patterns = check_word_list(protect_regex, owner, "protect_regex")
        try:
            self._regexes = tuple(re.compile(r) for r in patterns)
        except re.error as exc:
            raise InvalidParameterError(
                f"{owner}: protect_regex has an invalid pattern: {exc}", owner=owner, param="protect_regex"
            ) from None
        self.protect = list(protect) if protect is not None else None
        self.protect_regex = list(protect_regex) if protect_regex is not None else None
        self.protect_negations = check_bool(protect_negations, owner, "protect_negations")
        self.protect_numbers = check_bool(protect_numbers, owner, "protect_numbers")
        if not isinstance(spans_key, str) or not spans_key:
            raise InvalidParameterTypeError(
                f"{owner}: spans_key must be a non-empty string, got {spans_key!r}", owner=owner, param="spans_key"
            )
        self.spans_key = spans_key

    # ------------------------------------------------------------------ to implement
    def edit(self, tokens: Tokens, protection: Protection, rng: random.Random, params: dict[str, Any]) -> None:
        """Change ``tokens`` in place; never touch protected words or gaps."""
        raise NotImplementedError

    def prepare_text(self, text: str) -> str:
        """Hook applied to the text before tokenising (EDA's ``reference_mode`` cleaning)."""
        return text

    # ------------------------------------------------------------------ protocol
    def make_params(self, sample: Sample, rng: np.random.Generator) -> dict[str, Any]:
        return {"seed": int(rng.integers(2**63))}

    def apply_text(self, value: str, params: dict[str, Any], sample: Sample) -> str:
        """Kernel for ``text`` fields (spans are handled by :meth:`apply`)."""
        return self.augment_text(value, params, 0)[0]

    def apply_caption(self, value: str, params: dict[str, Any], sample: Sample) -> str:
        """Kernel for ``caption`` fields."""
        return self.augment_text(value, params, 0)[0]

    def apply(self, sample: Sample, params: dict[str, Any]) -> Sample:
        return self.apply_batch([sample], [params])[0]

    def apply_batch(self, samples: list[Sample], params_list: list[dict[str, Any]]) -> list[Sample]:
        """Tokenise every text field of every sample, run :meth:`edit_batch` once, then reassemble."""
        plans = []  # (sample index, key, job, spans, spans given as a dict)
        jobs: list[EditJob] = []
        memo: dict[Any, tuple[Tokens, Protection]] = {}  # variants repeat one text: tokenise it once
        for n, (sample, params) in enumerate(zip(samples, params_list)):
            keys = [k for k, kind in sample.kinds.items() if kind in TEXT_KINDS and kind in self.kernels()]
            spans_in = sample.get(self.spans_key) if sample.kinds.get(self.spans_key) is None else None
            per_key = _split_spans(spans_in, keys, self.spans_key, self.name) if spans_in is not None and keys else {}
            for i, key in enumerate(keys):
                value = sample[key]
                if not isinstance(value, str):
                    raise AugmentationError(f"expected a str, got {type(value).__name__}", step=self.name, field=key)
                spans = per_key.get(key)
                if spans is not None:
                    _check_spans(spans, value, self.spans_key, self.name)
                try:
                    job = self.make_job(value, params, i, spans, memo)
                except AugmentationError as exc:
                    raise exc.with_context(step=self.name, field=key) from None
                jobs.append(job)
                plans.append((n, key, job, spans, spans_in))
        if jobs:
            try:
                self.edit_batch([j for j in jobs if len(j.tokens)])
            except MultiaugError:
                raise
            except Exception as exc:  # a model or kernel failure: report it with the step
                field = plans[0][1] if len(plans) == 1 else None
                raise AugmentationError(f"{type(exc).__name__}: {exc}", step=self.name, field=field) from exc
        updates: list[dict[str, Any]] = [{} for _ in samples]
        for n, key, job, spans, spans_in in plans:
            updates[n][key] = job.tokens.text()
            if spans is not None:
                mapped = self._map_spans(job.tokens, spans)
                if isinstance(spans_in, Mapping):
                    updates[n].setdefault(self.spans_key, dict(spans_in))[key] = mapped
                else:
                    updates[n][self.spans_key] = mapped
        return [s.derive(Updates(u)) if u else s for s, u in zip(samples, updates)]

    def edit_batch(self, jobs: list[EditJob]) -> None:
        """Edit many texts; steps with a batched model (masked-LM substitution) override this."""
        for job in jobs:
            self.edit(job.tokens, job.protection, job.rng, job.params)

    # ------------------------------------------------------------------ helpers
    def make_job(
        self,
        text: str,
        params: dict[str, Any],
        field_index: int = 0,
        spans: Sequence[Sequence[Any]] | None = None,
        memo: dict[Any, tuple[Tokens, Protection]] | None = None,
    ) -> EditJob:
        """Tokenise one string and prepare its generator and protection flags.

        ``memo`` shares the tokenisation of a text repeated within one batch (protection flags
        are read-only, tokens are copied).
        """
        seed = params.get("seed")
        if not isinstance(seed, int) or isinstance(seed, bool):
            raise AugmentationError(f"params need an integer 'seed', got {seed!r}", step=self.name)
        prepared = self.prepare_text(text)
        if spans and prepared != text:
            raise AugmentationError("spans cannot be kept through reference_mode's cleaning", step=self.name)
        key = (prepared, tuple(tuple(sp[:2]) for sp in spans) if spans else None)
        hit = memo.get(key) if memo is not None else None
        if hit is None:
            tokens = Tokens.from_text(prepared)
            protection = self.protection(tokens, spans or ())
            if memo is not None:
                memo[key] = (tokens, protection)
        else:
            tokens, protection = hit
        return EditJob(tokens.copy(), protection, field_rng(seed, field_index), params)

    def augment_text(
        self, text: str, params: dict[str, Any], field_index: int = 0, spans: Sequence[Sequence[Any]] | None = None
    ) -> tuple[str, list[Any]]:
        """Augment one string with ``params``; returns the text and the updated ``spans``."""
        job = self.make_job(text, params, field_index, spans)
        if len(job.tokens):
            self.edit_batch([job])
        return job.tokens.text(), self._map_spans(job.tokens, spans) if spans else []

    def protection(self, tokens: Tokens, spans: Sequence[Sequence[Any]] = ()) -> Protection:
        """Protection flags of ``tokens`` (built from the original text) for this step's settings."""
        ranges = [(int(s[0]), int(s[1])) for s in spans]
        for rx in self._regexes:
            ranges.extend((m.start(), m.end()) for m in rx.finditer(tokens.source) if m.end() > m.start())
        negations, numbers, user = self.protect_negations, self.protect_numbers, self._protect
        words = []
        for w in tokens.words:
            low = w.text.lower()
            prot = bool(
                (negations and (low in NEGATIONS or low.endswith(("n't", "n’t"))))
                or (numbers and _DIGIT_RE.search(low))
                or (user and low in user)
            )
            if not prot and ranges:
                lo, hi = w.origin, w.origin + len(w.text)
                prot = any(s < hi and e > lo for s, e in ranges)
            words.append(prot)
        if not ranges:
            return Protection(words, [False] * len(tokens.gaps))
        gaps = []
        for g in tokens.gaps:
            lo, hi = g.origin, g.origin + len(g.text)
            # A gap is locked if a range covers it (or, when empty, straddles its position).
            gaps.append(any(s < hi and e > lo if hi > lo else s < lo < e for s, e in ranges))
        return Protection(words, gaps)

    def _map_spans(self, tokens: Tokens, spans: Sequence[Sequence[Any]]) -> list[Any]:
        out: list[Any] = []
        for span in spans:
            moved = tokens.map_span(int(span[0]), int(span[1]))
            if moved is None:
                raise AugmentationError(
                    f"span {list(span[:2])} did not survive the edit; this is a bug, please report it",
                    step=self.name,
                    field=self.spans_key,
                )
            new = [moved[0], moved[1], *span[2:]]
            out.append(tuple(new) if isinstance(span, tuple) else new)
        return out


def _split_spans(spans: Any, keys: list[str], spans_key: str, step: str) -> dict[str, Any]:
    if isinstance(spans, Mapping):
        unknown = [k for k in spans if k not in keys]
        if unknown:
            raise AugmentationError(
                f"spans are given for {unknown[0]!r}, which is not a text or caption field of this sample",
                step=step,
                field=spans_key,
            )
        return dict(spans)
    if len(keys) > 1:
        raise AugmentationError(
            f"the sample has several text fields ({', '.join(keys)}): "
            "give spans as a dict {field: [[start, end], ...]}",
            step=step,
            field=spans_key,
        )
    return {keys[0]: spans}


def _check_spans(spans: Any, text: str, spans_key: str, step: str) -> None:
    if isinstance(spans, (str, bytes)) or not isinstance(spans, Sequence):
        raise AugmentationError(
            f"spans must be a list of [start, end, ...] items, got {type(spans).__name__}", step=step, field=spans_key
        )
    for i, span in enumerate(spans):
        if (
            isinstance(span, (str, bytes))
            or not isinstance(span, Sequence)
            or len(span) < 2
            or not all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in span[:2])
        ):
            raise AugmentationError(f"span {i} must be [start, end, ...] with integer offsets, got {span!r}",
                                    step=step, field=spans_key)
        if not 0 <= span[0] <= span[1] <= len(text):
            raise AugmentationError(
                f"span {i} = {list(span[:2])} is outside the text (length {len(text)}) or has end < start",
                step=step,
                field=spans_key,
            )
