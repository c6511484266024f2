"""Character-level noise: keyboard typos, OCR confusions and generic character edits.

Each step changes characters inside unprotected words only (spacing and punctuation between
words are kept, and protected tokens and spans are never touched; see :mod:`multiaug.text.base`),
at a per-character ``rate``, from the seed in its parameters.

Example:
    >>> import multiaug as ma
    >>> pipe = ma.Pipeline([KeyboardTypo(rate=0.1)], seed=2)
    >>> pipe("Typing quickly on a phone, not 100% careful.")
    'Typinf quickly on a phone, not 100% xareful.'
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

from multiaug.core.errors import InvalidParameterError
from multiaug.core.params import check_number
from multiaug.core.registry import register
from multiaug.text.base import Protection, TextStep
from multiaug.text.tokenize import Tokens

__all__ = ["KEYBOARD_NEIGHBOURS", "OCR_CONFUSIONS", "CharNoise", "KeyboardTypo", "OcrNoise"]

_ROWS = ("1234567890-", "qwertyuiop[", "asdfghjkl;'", "zxcvbnm,./")


def _neighbours() -> dict[str, str]:
    out: dict[str, str] = {}
    for r, row in enumerate(_ROWS):
        for c, key in enumerate(row):
            if not key.isalnum():
                continue
            near = []
            for dr, dc in ((0, -1), (0, 1), (-1, 0), (-1, 1), (1, -1), (1, 0)):
                rr, cc = r + dr, c + dc
                if 0 <= rr < len(_ROWS) and 0 <= cc < len(_ROWS[rr]) and _ROWS[rr][cc].isalpha() == key.isalpha():
                    near.append(_ROWS[rr][cc])
            out[key] = "".join(near)
    return out


#: QWERTY neighbours of each letter (letters) and digit (digits), in its row and the rows above and below.
KEYBOARD_NEIGHBOURS: dict[str, str] = _neighbours()

#: Character groups that OCR confuses, read left to right (longest match first).
OCR_CONFUSIONS: dict[str, tuple[str, ...]] = {
    "rn": ("m",), "m": ("rn",), "cl": ("d",), "d": ("cl",), "vv": ("w",), "w": ("vv",),
    "0": ("O", "o", "D"), "O": ("0", "D", "Q"), "o": ("0",), "D": ("O", "0"), "Q": ("O",),
    "1": ("l", "I", "i"), "l": ("1", "I", "|"), "I": ("1", "l"), "i": ("1", "l"),
    "5": ("S", "s"), "S": ("5",), "s": ("5",), "8": ("B",), "B": ("8",), "2": ("Z",), "Z": ("2",),
    "6": ("b", "G"), "b": ("6", "h"), "G": ("6",), "9": ("g", "q"), "g": ("9", "q"), "q": ("9", "g"),
    "e": ("c",), "c": ("e",), "h": ("b", "n"), "n": ("h", "ri"), "u": ("v",), "v": ("u", "y"),
    "a": ("o",), "t": ("f",), "f": ("t",), "E": ("F",), "F": ("E",),
}
_OCR_KEYS = sorted(OCR_CONFUSIONS, key=len, reverse=True)
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_CHAR_OPS = ("insert", "delete", "swap", "substitute")


class _CharStep(TextStep):
    """Shared code: run :meth:`noisy` over every unprotected word."""

    def __init__(self, rate: float, protect, protect_regex, protect_negations, protect_numbers, spans_key, p):  # type: ignore[no-untyped-def]
        super().__init__(protect, protect_regex, protect_negations, protect_numbers, spans_key, p)
        self.rate = rate
        self._rate = check_number(rate, self.name, "rate", low=0.0, high=1.0)

    def edit(self, tokens: Tokens, protection: Protection, rng: random.Random, params: dict[str, Any]) -> None:
        if self._rate <= 0:
            return
        for i in protection.free():
            word = tokens.words[i].text
            tokens.replace(i, self.noisy(word, rng))

    def noisy(self, word: str, rng: random.Random) -> str:
        raise NotImplementedError


def _same_case(new: str, old: str) -> str:
    return new.upper() if old.isupper() else new


@register
class KeyboardTypo(_CharStep):
    """Replaces characters by a neighbouring key on a QWERTY keyboard, at a per-character ``rate``.

    Args:
        rate: Probability that a letter or digit of an unprotected word is mistyped, in [0, 1].
        protect, protect_regex, protect_negations, protect_numbers, spans_key: See
            :class:`multiaug.text.base.TextStep`.
        p: Probability of applying the step.

    Example:
        >>> import multiaug as ma
        >>> ma.Pipeline([KeyboardTypo(rate=0.1)], seed=2)("Hello there")
        'Hello rhere'
    """

    def __init__(
        self,
        rate: float = 0.05,
        protect: Sequence[str] | None = None,
        protect_regex: Sequence[str] | None = None,
        protect_negations: bool = True,
        protect_numbers: bool = True,
        spans_key: str = "spans",
        p: float = 1.0,
    ) -> None:
        super().__init__(rate, protect, protect_regex, protect_negations, protect_numbers, spans_key, p)

    def noisy(self, word: str, rng: random.Random) -> str:
        rate = self._rate
        hits = [k for k in range(len(word)) if rng.random() < rate]
        if not hits:
            return word
        chars = list(word)
        for k in hits:
            c = chars[k]
            near = KEYBOARD_NEIGHBOURS.get(c.lower())
            if near:
                chars[k] = _same_case(near[rng.randrange(len(near))], c)
        return "".join(chars)


@register
class OcrNoise(_CharStep):
    """Applies OCR confusions (0/O, 1/l/I, rn/m, cl/d, 5/S ...) at a per-character ``rate``.

    Args:
        rate: Probability that a confusable character group is misread, in [0, 1].
        protect, protect_regex, protect_negations, protect_numbers, spans_key: See
            :class:`multiaug.text.base.TextStep` (set ``protect_numbers=False`` to let digits be misread).
        p: Probability of applying the step.

    Example:
        >>> import multiaug as ma
        >>> ma.Pipeline([OcrNoise(rate=0.5, protect_numbers=False)], seed=4)("modern room 101")
        'modem ro0m l01'
    """

    def __init__(
        self,
        rate: float = 0.05,
        protect: Sequence[str] | None = None,
        protect_regex: Sequence[str] | None = None,
        protect_negations: bool = True,
        protect_numbers: bool = True,
        spans_key: str = "spans",
        p: float = 1.0,
    ) -> None:
        super().__init__(rate, protect, protect_regex, protect_negations, protect_numbers, spans_key, p)

    def noisy(self, word: str, rng: random.Random) -> str:
        out: list[str] = []
        k = 0
        draws = [rng.random() for _ in word]
        while k < len(word):
            for key in _OCR_KEYS:
                if word.startswith(key, k):
                    if draws[k] < self._rate:
                        options = OCR_CONFUSIONS[key]
                        out.append(options[rng.randrange(len(options))])
                    else:
                        out.append(key)
                    k += len(key)
                    break
            else:
                out.append(word[k])
                k += 1
        return "".join(out)


@register
class CharNoise(_CharStep):
    """Random character edits (insert, delete, swap with the next, substitute) at a per-character ``rate``.

    Args:
        rate: Probability that a character of an unprotected word is edited, in [0, 1].
        ops: The edits to draw from: any of ``"insert"``, ``"delete"``, ``"swap"``, ``"substitute"``.
        protect, protect_regex, protect_negations, protect_numbers, spans_key: See
            :class:`multiaug.text.base.TextStep`.
        p: Probability of applying the step.

    Example:
        >>> import multiaug as ma
        >>> ma.Pipeline([CharNoise(rate=0.2, ops=["swap"])], seed=0)("character noise")
        'chaarctre nosie'
    """

    def __init__(
        self,
        rate: float = 0.05,
        ops: Sequence[str] = _CHAR_OPS,
        protect: Sequence[str] | None = None,
        protect_regex: Sequence[str] | None = None,
        protect_negations: bool = True,
        protect_numbers: bool = True,
        spans_key: str = "spans",
        p: float = 1.0,
    ) -> None:
        super().__init__(rate, protect, protect_regex, protect_negations, protect_numbers, spans_key, p)
        if isinstance(ops, str) or not isinstance(ops, Sequence) or not ops or any(o not in _CHAR_OPS for o in ops):
            raise InvalidParameterError(
                f"{self.name}: ops must be a non-empty list drawn from {list(_CHAR_OPS)}, got {ops!r}",
                owner=self.name,
                param="ops",
            )
        self.ops = list(ops) if not isinstance(ops, tuple) else ops
        self._ops = tuple(ops)

    def noisy(self, word: str, rng: random.Random) -> str:
        rate = self._rate
        hits = [rng.random() < rate for _ in word]
        if not any(hits):
            return word
        chars = list(word)
        out: list[str] = []
        k = 0
        while k < len(chars):
            c = chars[k]
            if not hits[k]:
                out.append(c)
                k += 1
                continue
            op = self._ops[rng.randrange(len(self._ops))]
            letter = _LETTERS[rng.randrange(26)]
            if op == "insert":
                out.extend((c, _same_case(letter, c)))
            elif op == "delete":
                if len(chars) - k + len(out) <= 1:  # never delete a whole word
                    out.append(c)
            elif op == "swap" and k + 1 < len(chars):
                out.extend((chars[k + 1], c))
                k += 1
            elif op == "substitute":
                out.append(_same_case(letter, c))
            else:
                out.append(c)
            k += 1
        return "".join(out)
