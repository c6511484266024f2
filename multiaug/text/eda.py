"""Easy Data Augmentation (Wei & Zou, 2019): synonym replacement, random insertion, swap and deletion.

Unlike the reference code, the steps keep casing, punctuation, digits and spacing: untouched text
comes back exactly, and a replacement takes the case of the word it replaces. The number of
changes per sentence is ``max(1, int(alpha * n_words))``, as in the paper. Stopwords are never
replaced or inserted; protected tokens (see :mod:`multiaug.text.base`) are never deleted,
swapped or replaced. ``reference_mode=True`` applies the paper's cleaning first (lowercase, a-z
only), for comparisons with published numbers only.

Several variants of one sentence: ``pipe.variants(sample, n)`` with any of these steps, or
:meth:`EDA.augment` for plain strings (the paper's ``eda()`` function).

Example:
    >>> import multiaug as ma
    >>> pipe = ma.Pipeline([RandomSwap(alpha=0.2)], seed=0)
    >>> out = pipe("The quick brown fox jumps over the lazy dog.")
    >>> sorted(out.lower().rstrip(".").split()) == sorted("the quick brown fox jumps over the lazy dog".split())
    True
"""

from __future__ import annotations

import os
import random
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from multiaug.core.errors import AugmentationError, InvalidParameterError, InvalidParameterTypeError
from multiaug.core.fields import Sample
from multiaug.core.params import check_int, check_number
from multiaug.core.registry import register
from multiaug.text.base import Protection, TextStep, check_bool
from multiaug.text.lexicon import POS_TAGS, Lexicon, get_lexicon
from multiaug.text.tokenize import Tokens, match_case, reference_clean

__all__ = [
    "EDA",
    "STOPWORDS",
    "RandomDeletion",
    "RandomInsertion",
    "RandomSwap",
    "SynonymReplacement",
]

#: English function words that are never replaced or inserted.
STOPWORDS = frozenset(
    """
    a about above after again against all am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have
    having he her here hers herself him himself his how i if in into is it its itself just me more most
    my myself of off on once only or other our ours ourselves out over own same she should so some such
    than that the their theirs them themselves then there these they this those through to too under
    until up very was we were what when where which while who whom why will with would you your yours
    yourself yourselves s t d ll m o re ve y let may might must shall us also yet
    """.split()
)

LexiconArg = str | os.PathLike | Mapping[str, Sequence[str]]


def _check_alpha(value: Any, owner: str, param: str) -> float:
    return check_number(value, owner, param, low=0.0, high=1.0)


def _check_pos(value: Any, owner: str) -> tuple[str, ...] | None:
    if value is None:
        return None
    tags = (value,) if isinstance(value, str) else value
    if not isinstance(tags, Sequence) or not tags or any(t not in POS_TAGS for t in tags):
        raise InvalidParameterError(
            f"{owner}: pos must be None or one or more of {list(POS_TAGS)}, got {value!r}", owner=owner, param="pos"
        )
    return tuple(tags)


def _check_lexicon(value: Any, owner: str) -> Any:
    if isinstance(value, Lexicon) or not isinstance(value, (str, os.PathLike, Mapping)):
        raise InvalidParameterTypeError(
            f"{owner}: lexicon must be 'wordnet', 'nltk', a dict {{word: [synonyms]}} or a JSON/TSV path, "
            f"got {type(value).__name__}",
            owner=owner,
            param="lexicon",
        )
    if value != "wordnet":  # the shipped lexicon is always there; load it on first use
        get_lexicon(value)
    return os.fspath(value) if isinstance(value, os.PathLike) else value


def n_changes(alpha: float, n_words: int) -> int:
    """The paper's number of changes: ``max(1, int(alpha * n_words))``.

    Example:
        >>> n_changes(0.1, 9), n_changes(0.1, 25)
        (1, 2)
    """
    return max(1, int(alpha * n_words)) if alpha > 0 else 0


class _EdaOps:
    """The four EDA operations on :class:`Tokens`, sharing lexicon and stopword settings."""

    def __init__(self, lexicon: Any, pos: tuple[str, ...] | None, stopwords: frozenset[str], reference: bool):
        self._lexicon_arg = lexicon
        self._lexicon: Lexicon | None = None
        self.pos = pos
        self.stopwords = stopwords
        self.reference = reference

    @property
    def lexicon(self) -> Lexicon:
        if self._lexicon is None:
            self._lexicon = get_lexicon(self._lexicon_arg)
        return self._lexicon

    def synonyms(self, word: str) -> tuple[str, ...]:
        syns = self.lexicon.synonyms(word, self.pos)
        if self.reference:
            cleaned = (reference_clean(s) for s in syns)
            syns = tuple(dict.fromkeys(s for s in cleaned if s and s != word.lower()))
        return syns

    def _eligible(self, tokens: Tokens, prot: Protection) -> list[int]:
        stop = self.stopwords
        out = []
        for i, w in enumerate(tokens.words):
            text = w.text
            if prot.words[i] or len(text) < 2 or text.lower() in stop:
                continue
            if i > 0 and text[0].isupper() and text[1:].islower() and not _sentence_start(tokens, i):
                continue  # a capitalised word inside a sentence is most likely a name ("Bob")
            if self.synonyms(text):
                out.append(i)
        return out

    def replace(self, tokens: Tokens, prot: Protection, rng: random.Random, alpha: float) -> None:
        eligible = self._eligible(tokens, prot)
        if not eligible:
            return
        groups: dict[str, list[int]] = {}
        for i in eligible:
            groups.setdefault(tokens.words[i].text.lower(), []).append(i)
        words = list(groups)
        todo = n_changes(alpha, len(tokens))
        for k in rng.sample(range(len(words)), min(todo, len(words))):
            word = words[k]
            syns = self.synonyms(word)
            new = syns[rng.randrange(len(syns))]
            for i in groups[word]:
                tokens.replace(i, match_case(new, tokens.words[i].text))

    def insert(self, tokens: Tokens, prot: Protection, rng: random.Random, alpha: float) -> None:
        eligible = self._eligible(tokens, prot)
        if not eligible:
            return
        sources = [tokens.words[i].text for i in eligible]
        locked = list(prot.gaps)
        # Do not push a capitalised first word into the middle of the sentence.
        first_capital = tokens.words[0].text[:1].isupper()
        for _ in range(n_changes(alpha, len(tokens))):
            src = sources[rng.randrange(len(sources))]
            syns = self.synonyms(src)
            new = syns[rng.randrange(len(syns))]
            if src.isupper() and len(src) > 1:
                new = new.upper()
            # Position i inserts before word i (after gap i); len(tokens) appends. A locked gap lies
            # inside a protected span, so nothing may be inserted there.
            n = len(tokens)
            positions = [i for i in range(n + 1) if not locked[i] and not (i == 0 and first_capital)]
            if not positions:
                return
            at = positions[rng.randrange(len(positions))]
            tokens.insert(at, new)
            locked.insert(at + 1 if at < n else n, False)

    def swap(self, tokens: Tokens, prot: Protection, rng: random.Random, alpha: float) -> None:
        free = prot.free()
        if len(free) < 2:
            return
        for _ in range(n_changes(alpha, len(tokens))):
            a, b = rng.sample(free, 2)
            tokens.swap(a, b)
        _fix_sentence_case(tokens, prot)

    def delete(self, tokens: Tokens, prot: Protection, rng: random.Random, rate: float) -> None:
        if len(tokens) <= 1:
            return
        free = prot.free()
        if not free:
            return
        drop = [i for i in free if rng.random() < rate]
        if len(drop) == len(tokens):  # never delete everything: keep one word at random
            drop.pop(rng.randrange(len(drop)))
        first = tokens.words[0].text
        locked = list(prot.gaps)
        for i in sorted(drop, reverse=True):
            tokens.delete(i, locked)
        drop.sort()
        if drop and drop[0] == 0 and tokens.words and first[:1].isupper() and first[1:].islower():
            w = tokens.words[0].text
            if w.islower() and tokens.ids[0] >= 0 and not prot.words[tokens.ids[0]]:
                tokens.replace(0, w[0].upper() + w[1:])


def _sentence_start(tokens: Tokens, i: int) -> bool:
    gap = tokens.gaps[i].text.strip()
    return bool(gap) and gap[-1] in ".!?:\"“'"


def _fix_sentence_case(tokens: Tokens, prot: Protection) -> None:
    """After a swap, move the sentence-initial capital: "The dog ran" -> "Ran dog the"."""
    first = tokens.ids[0]
    if first == 0 or first < 0:
        return
    if 0 not in tokens.ids:
        return
    pos = tokens.ids.index(0)
    moved, now_first = tokens.words[pos].text, tokens.words[0].text
    if prot.words[0] or prot.words[first]:
        return
    if moved[:1].isupper() and moved[1:].islower() and now_first.islower() and moved.lower() != "i":
        tokens.replace(pos, moved.lower())
        tokens.replace(0, now_first[0].upper() + now_first[1:])


class _EdaStep(TextStep):
    """Shared arguments of the EDA steps."""

    def __init__(
        self,
        lexicon: LexiconArg = "wordnet",
        pos: str | Sequence[str] | None = None,
        stopwords: Sequence[str] | None = None,
        reference_mode: bool = False,
        protect: Sequence[str] | None = None,
        protect_regex: Sequence[str] | None = None,
        protect_negations: bool = True,
        protect_numbers: bool = True,
        spans_key: str = "spans",
        p: float = 1.0,
    ) -> None:
        owner = self.name or type(self).__name__
        reference_mode = check_bool(reference_mode, owner, "reference_mode")
        super().__init__(
            protect=protect,
            protect_regex=protect_regex,
            protect_negations=protect_negations,
            protect_numbers=protect_numbers,
            spans_key=spans_key,
            p=p,
        )
        if stopwords is not None and (
            isinstance(stopwords, str) or not all(isinstance(w, str) for w in stopwords)
        ):
            raise InvalidParameterTypeError(
                f"{owner}: stopwords must be a list of words or None (the built-in English list), got {stopwords!r}",
                owner=owner,
                param="stopwords",
            )
        self.lexicon = _check_lexicon(lexicon, owner)
        self.pos = pos if pos is None or isinstance(pos, str) else list(pos)
        self.stopwords = list(stopwords) if stopwords is not None else None
        self.reference_mode = reference_mode
        stop = frozenset(w.lower() for w in stopwords) if stopwords is not None else STOPWORDS
        self._ops = _EdaOps(self.lexicon, _check_pos(pos, owner), stop, reference_mode)

    def prepare_text(self, text: str) -> str:
        return reference_clean(text) if self.reference_mode else text


@register
class SynonymReplacement(_EdaStep):
    """Replaces ``max(1, int(alpha * n_words))`` words by a synonym from an offline lexicon (EDA's SR).

    All occurrences of a chosen word are replaced (as in the paper), each taking the case of the
    word it replaces; inflected words get an inflected synonym ("Movies" -> "Films").

    Args:
        alpha: Fraction of the words to change, in [0, 1].
        lexicon: ``"wordnet"`` (shipped, offline), ``"nltk"``, a dict ``{word: [synonyms]}`` or a
            JSON/TSV file (see :mod:`multiaug.text.lexicon`).
        pos: Restrict synonyms to parts of speech (``"n"``, ``"v"``, ``"a"``, ``"r"``); None for all.
        stopwords: Words never replaced; None for the built-in English list.
        reference_mode: Apply the EDA reference code's cleaning first (comparisons only).
        protect, protect_regex, protect_negations, protect_numbers, spans_key: See
            :class:`multiaug.text.base.TextStep`.
        p: Probability of applying the step.

    Example:
        >>> import multiaug as ma
        >>> pipe = ma.Pipeline([SynonymReplacement(alpha=0.1, lexicon={"movie": ["film"]})], seed=0)
        >>> pipe("Movies we liked: the MOVIE, not the book.")
        'Movies we liked: the FILM, not the book.'
    """

    def __init__(
        self,
        alpha: float = 0.1,
        lexicon: LexiconArg = "wordnet",
        pos: str | Sequence[str] | None = None,
        stopwords: Sequence[str] | None = None,
        reference_mode: bool = False,
        protect: Sequence[str] | None = None,
        protect_regex: Sequence[str] | None = None,
        protect_negations: bool = True,
        protect_numbers: bool = True,
        spans_key: str = "spans",
        p: float = 1.0,
    ) -> None:
        super().__init__(lexicon, pos, stopwords, reference_mode, protect, protect_regex, protect_negations,
                         protect_numbers, spans_key, p)
        self.alpha = alpha
        self._alpha = _check_alpha(alpha, self.name, "alpha")

    def edit(self, tokens, protection, rng, params):  # type: ignore[no-untyped-def]
        self._ops.replace(tokens, protection, rng, self._alpha)


@register
class RandomInsertion(_EdaStep):
    """Inserts synonyms of random words at random places, ``max(1, int(alpha * n_words))`` times (EDA's RI).

    Args:
        alpha: Fraction of the words to insert, in [0, 1].
        lexicon, pos, stopwords, reference_mode: As in :class:`SynonymReplacement`.
        protect, protect_regex, protect_negations, protect_numbers, spans_key: See
            :class:`multiaug.text.base.TextStep` (nothing is inserted inside a protected span).
        p: Probability of applying the step.

    Example:
        >>> import multiaug as ma
        >>> pipe = ma.Pipeline([RandomInsertion(alpha=0.1, lexicon={"car": ["auto"]})], seed=1)
        >>> len(pipe("my car is red").split())
        5
    """

    def __init__(
        self,
        alpha: float = 0.1,
        lexicon: LexiconArg = "wordnet",
        pos: str | Sequence[str] | None = None,
        stopwords: Sequence[str] | None = None,
        reference_mode: bool = False,
        protect: Sequence[str] | None = None,
        protect_regex: Sequence[str] | None = None,
        protect_negations: bool = True,
        protect_numbers: bool = True,
        spans_key: str = "spans",
        p: float = 1.0,
    ) -> None:
        super().__init__(lexicon, pos, stopwords, reference_mode, protect, protect_regex, protect_negations,
                         protect_numbers, spans_key, p)
        self.alpha = alpha
        self._alpha = _check_alpha(alpha, self.name, "alpha")

    def edit(self, tokens, protection, rng, params):  # type: ignore[no-untyped-def]
        self._ops.insert(tokens, protection, rng, self._alpha)


@register
class RandomSwap(_EdaStep):
    """Swaps two random words, ``max(1, int(alpha * n_words))`` times (EDA's RS); punctuation stays put.

    Args:
        alpha: Fraction of the words to swap, in [0, 1].
        reference_mode: Apply the EDA reference code's cleaning first (comparisons only).
        protect, protect_regex, protect_negations, protect_numbers, spans_key: See
            :class:`multiaug.text.base.TextStep`.
        p: Probability of applying the step.

    Example:
        >>> import multiaug as ma
        >>> ma.Pipeline([RandomSwap(alpha=0.1)], seed=3)("one two, three")
        'one three, two'
    """

    def __init__(
        self,
        alpha: float = 0.1,
        reference_mode: bool = False,
        protect: Sequence[str] | None = None,
        protect_regex: Sequence[str] | None = None,
        protect_negations: bool = True,
        protect_numbers: bool = True,
        spans_key: str = "spans",
        p: float = 1.0,
    ) -> None:
        super().__init__("wordnet", None, None, reference_mode, protect, protect_regex, protect_negations,
                         protect_numbers, spans_key, p)
        self.alpha = alpha
        self._alpha = _check_alpha(alpha, self.name, "alpha")

    def edit(self, tokens, protection, rng, params):  # type: ignore[no-untyped-def]
        self._ops.swap(tokens, protection, rng, self._alpha)


@register
class RandomDeletion(_EdaStep):
    """Deletes each unprotected word with probability ``rate`` (EDA's RD); never deletes every word.

    Args:
        rate: Per-word deletion probability, in [0, 1] (``p`` stays the step's own probability).
        reference_mode: Apply the EDA reference code's cleaning first (comparisons only).
        protect, protect_regex, protect_negations, protect_numbers, spans_key: See
            :class:`multiaug.text.base.TextStep`.
        p: Probability of applying the step.

    Example:
        >>> import multiaug as ma
        >>> ma.Pipeline([RandomDeletion(rate=0.3)], seed=3)("I do not like green eggs and ham.")
        'I do not and ham.'
    """

    def __init__(
        self,
        rate: float = 0.1,
        reference_mode: bool = False,
        protect: Sequence[str] | None = None,
        protect_regex: Sequence[str] | None = None,
        protect_negations: bool = True,
        protect_numbers: bool = True,
        spans_key: str = "spans",
        p: float = 1.0,
    ) -> None:
        super().__init__("wordnet", None, None, reference_mode, protect, protect_regex, protect_negations,
                         protect_numbers, spans_key, p)
        self.rate = rate
        self._rate = _check_alpha(rate, self.name, "rate")

    def edit(self, tokens, protection, rng, params):  # type: ignore[no-untyped-def]
        self._ops.delete(tokens, protection, rng, self._rate)


#: The paper's recommended settings (Table 3): (training-set size, alpha, n_aug).
_PRESETS = ((500, 0.05, 16), (2000, 0.05, 8), (5000, 0.1, 4))
_OPS = ("sr", "ri", "rs", "rd")


@register
class EDA(_EdaStep):
    """The four EDA operations; each call applies one of them, chosen at random (as the paper's variants).

    ``num_aug`` is the number of variants per sentence: ``pipe.variants(sample, n=eda.num_aug)``
    in a pipeline, or :meth:`augment` on a plain string. ``pipe(sample)`` returns one variant.
    An operation whose rate is 0 is never chosen.

    Args:
        alpha_sr: Synonym-replacement fraction.
        alpha_ri: Random-insertion fraction.
        alpha_rs: Random-swap fraction.
        p_rd: Per-word deletion probability.
        num_aug: Number of variants per sentence (used by :meth:`augment`).
        lexicon, pos, stopwords, reference_mode: As in :class:`SynonymReplacement`.
        protect, protect_regex, protect_negations, protect_numbers, spans_key: See
            :class:`multiaug.text.base.TextStep`.
        p: Probability of applying the step.

    Example:
        >>> eda = EDA(num_aug=4)
        >>> variants = eda.augment("The movies were not as good as the books.", seed=0)
        >>> len(variants), len(set(variants))
        (4, 4)
    """

    def __init__(
        self,
        alpha_sr: float = 0.1,
        alpha_ri: float = 0.1,
        alpha_rs: float = 0.1,
        p_rd: float = 0.1,
        num_aug: int = 9,
        lexicon: LexiconArg = "wordnet",
        pos: str | Sequence[str] | None = None,
        stopwords: Sequence[str] | None = None,
        reference_mode: bool = False,
        protect: Sequence[str] | None = None,
        protect_regex: Sequence[str] | None = None,
        protect_negations: bool = True,
        protect_numbers: bool = True,
        spans_key: str = "spans",
        p: float = 1.0,
    ) -> None:
        super().__init__(lexicon, pos, stopwords, reference_mode, protect, protect_regex, protect_negations,
                         protect_numbers, spans_key, p)
        self.alpha_sr, self.alpha_ri, self.alpha_rs, self.p_rd = alpha_sr, alpha_ri, alpha_rs, p_rd
        rates = [_check_alpha(v, self.name, n) for v, n in
                 ((alpha_sr, "alpha_sr"), (alpha_ri, "alpha_ri"), (alpha_rs, "alpha_rs"), (p_rd, "p_rd"))]
        self._rates = dict(zip(_OPS, rates))
        self._active = [op for op in _OPS if self._rates[op] > 0]
        if not self._active:
            raise InvalidParameterError(
                f"{self.name}: at least one of alpha_sr, alpha_ri, alpha_rs, p_rd must be > 0", owner=self.name,
                param="alpha_sr",
            )
        self.num_aug = check_int(num_aug, self.name, "num_aug", low=1)

    @classmethod
    def for_training_size(cls, n: int, **kwargs: Any) -> EDA:
        """The paper's recommended setting for a training set of ``n`` sentences.

        alpha 0.05 and 16 variants around 500 sentences, 0.05 and 8 around 2,000, 0.1 and 4 from
        5,000 up (the nearest row of the paper's table, on a log scale). ``kwargs`` go to ``EDA``.

        Example:
            >>> EDA.for_training_size(500)
            EDA(alpha_sr=0.05, alpha_ri=0.05, alpha_rs=0.05, p_rd=0.05, num_aug=16)
            >>> EDA.for_training_size(100_000).num_aug
            4
        """
        n = check_int(n, "text.EDA", "n", low=1)
        best = min(_PRESETS, key=lambda row: abs(np.log(n) - np.log(row[0])))
        _, alpha, n_aug = best
        return cls(alpha_sr=alpha, alpha_ri=alpha, alpha_rs=alpha, p_rd=alpha, num_aug=n_aug, **kwargs)

    def make_params(self, sample: Sample, rng: np.random.Generator) -> dict[str, Any]:
        op = self._active[int(rng.integers(len(self._active)))]
        return {"op": op, "seed": int(rng.integers(2**63))}

    def edit(self, tokens, protection, rng, params):  # type: ignore[no-untyped-def]
        op = params.get("op")
        if op not in _OPS:
            raise AugmentationError(f"params 'op' must be one of {_OPS}, got {op!r}", step=self.name)
        self._run_op(op, tokens, protection, rng)

    def _run_op(self, op: str, tokens: Tokens, protection: Protection, rng: random.Random) -> None:
        ops = self._ops
        rate = self._rates[op]
        if op == "sr":
            ops.replace(tokens, protection, rng, rate)
        elif op == "ri":
            ops.insert(tokens, protection, rng, rate)
        elif op == "rs":
            ops.swap(tokens, protection, rng, rate)
        else:
            ops.delete(tokens, protection, rng, rate)

    def augment(self, text: str, n: int | None = None, seed: int | None = None) -> list[str]:
        """Up to ``n`` (default ``num_aug``) distinct variants of ``text``, none equal to it.

        Like the paper's ``eda()``: the variants are spread evenly over the active operations.
        Fewer come back only when the text cannot give that many (a one-word text, say).

        Args:
            text: The input string.
            n: Number of variants (default ``num_aug``).
            seed: Seed of the draw; None draws fresh entropy.
        """
        if not isinstance(text, str):
            raise InvalidParameterTypeError(f"{self.name}: text must be a str, got {type(text).__name__}",
                                            owner=self.name, param="text")
        n = self.num_aug if n is None else check_int(n, self.name, "n", low=0)
        rng = random.Random(seed) if seed is not None else random.Random(int(np.random.SeedSequence().entropy))
        prepared = self.prepare_text(text)
        base = Tokens.from_text(prepared)
        protection = self.protection(base)
        out: dict[str, None] = {}
        ops = self._active
        attempts, limit = 0, 10 * n + 10
        while len(out) < n and attempts < limit and len(base):
            op = ops[attempts % len(ops)]
            attempts += 1
            tokens = base.copy()
            self._run_op(op, tokens, protection, rng)
            new = tokens.text()
            if new != text and new != prepared and new not in out:
                out[new] = None
        variants = list(out)
        rng.shuffle(variants)
        return variants
