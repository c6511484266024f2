"""Loss-free word tokenisation: words with their offsets, and the text between them kept verbatim.

A :class:`Tokens` object splits a string into words and the gaps between them (spaces,
punctuation), so that joining it back gives the exact input. Edits (replace, insert, delete,
swap) work on that structure and keep track of where every original character went, which is
how protected character spans get their new offsets.

Example:
    >>> toks = Tokens.from_text("It's 5 o'clock, Bob.")
    >>> [t.text for t in toks.words]
    ["It's", '5', "o'clock", 'Bob']
    >>> toks.text() == "It's 5 o'clock, Bob."
    True
"""

from __future__ import annotations

import re
from typing import NamedTuple

__all__ = [
    "NEGATIONS",
    "Piece",
    "Tokens",
    "WORD_RE",
    "is_negation",
    "is_number",
    "match_case",
    "reference_clean",
]

#: A word: letters/digits joined by internal apostrophes or hyphens ("o'clock", "COVID-19"), or a
#: number with decimal points or thousands separators ("3.5", "1,000").
WORD_RE = re.compile(r"(?:\d+(?:[.,]\d+)+|[^\W_]+)(?:['’\-][^\W_]+)*")
_SPLIT_RE = re.compile(f"({WORD_RE.pattern})")
_DIGIT_RE = re.compile(r"\d")

#: Words that negate; never deleted, swapped or replaced (their removal flips the meaning).
NEGATIONS = frozenset(
    {"not", "no", "never", "nor", "none", "nobody", "nothing", "neither", "nowhere", "cannot", "without", "n't"}
)


def is_negation(word: str) -> bool:
    """Whether ``word`` is a negation ("not", "never", "don't", "isn't" ...).

    Example:
        >>> is_negation("Don't"), is_negation("note")
        (True, False)
    """
    low = word.lower().replace("’", "'")
    return low in NEGATIONS or low.endswith("n't")


def is_number(word: str) -> bool:
    """Whether ``word`` contains a digit ("5", "3.5", "2nd", "COVID-19").

    Example:
        >>> is_number("2nd"), is_number("second")
        (True, False)
    """
    return _DIGIT_RE.search(word) is not None


def match_case(new: str, like: str) -> str:
    """Give ``new`` the case pattern of ``like``: UPPER, Title or lower.

    Mixed-case originals ("iPhone") keep ``new`` as it is.

    Example:
        >>> match_case("film", "Movie"), match_case("film", "MOVIES"), match_case("Film", "movie")
        ('Film', 'FILM', 'film')
    """
    letters = [c for c in like if c.isalpha()]
    if not letters or not new:
        return new
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return new.upper()
    if letters[0].isupper() and all(c.islower() for c in letters[1:]):
        return new[0].upper() + new[1:].lower() if new.islower() or new[1:].islower() else new[0].upper() + new[1:]
    if all(c.islower() for c in letters):
        return new.lower()
    return new


def reference_clean(text: str) -> str:
    """The cleaning of the EDA reference code (lowercase, a-z and spaces only).

    Only for comparisons with the paper: it destroys casing, digits and punctuation.

    Example:
        >>> reference_clean("It's 5 o'clock!")
        'its oclock'
    """
    text = text.replace("’", "").replace("'", "").replace("-", " ").replace("\t", " ").replace("\n", " ")
    text = "".join(c if c in "qwertyuiopasdfghjklzxcvbnm " else " " for c in text.lower())
    return " ".join(text.split())


class Piece(NamedTuple):
    """A run of output text: ``origin`` is its start offset in the input, or -1 for new text."""

    text: str
    origin: int = -1


class Tokens:
    """A string as alternating gaps and words; ``words[i]`` sits between ``gaps[i]`` and ``gaps[i + 1]``.

    Attributes:
        source: The original string.
        words: The word pieces (``origin`` = offset in ``source``, -1 once replaced or inserted).
        gaps: ``len(words) + 1`` gap pieces (possibly empty).
        ids: For each word, the index of the original word it came from (-1 for inserted words).
    """

    __slots__ = ("gaps", "ids", "source", "words")

    def __init__(self, source: str, words: list[Piece], gaps: list[Piece], ids: list[int]) -> None:
        self.source = source
        self.words = words
        self.gaps = gaps
        self.ids = ids

    @classmethod
    def from_text(cls, text: str) -> Tokens:
        """Tokenise ``text``; :meth:`text` gives it back exactly."""
        parts = _SPLIT_RE.split(text)  # gap, word, gap, word, ..., gap
        pieces: list[Piece] = []
        new = tuple.__new__  # Piece(...) without the Python-level __new__ of NamedTuple (hot path)
        pos = 0
        for part in parts:
            pieces.append(new(Piece, (part, pos)))
            pos += len(part)
        words = pieces[1::2]
        return cls(text, words, pieces[0::2], list(range(len(words))))

    def copy(self) -> Tokens:
        return Tokens(self.source, list(self.words), list(self.gaps), list(self.ids))

    def __len__(self) -> int:
        return len(self.words)

    def strings(self) -> list[str]:
        """The words as strings."""
        return [w.text for w in self.words]

    def text(self) -> str:
        """The current text."""
        parts = [self.gaps[0].text]
        for w, g in zip(self.words, self.gaps[1:]):
            parts.append(w.text)
            parts.append(g.text)
        return "".join(parts)

    # ------------------------------------------------------------------ edits
    def replace(self, i: int, new: str) -> None:
        """Replace word ``i`` by ``new`` (already cased)."""
        if new != self.words[i].text:
            self.words[i] = Piece(new, -1)

    def insert(self, i: int, new: str, sep: str = " ") -> None:
        """Insert word ``new`` before word ``i`` (``i == len(self)`` appends), separated by ``sep``."""
        if not self.words:
            self.words.append(Piece(new, -1))
            self.gaps.insert(1, Piece("", -1))
            self.ids.append(-1)
            return
        if i >= len(self.words):
            # after the last word: "last<sep>new<trailing gap>"
            self.gaps.insert(len(self.words), Piece(sep, -1))
            self.words.append(Piece(new, -1))
        else:
            self.words.insert(i, Piece(new, -1))
            self.gaps.insert(i + 1, Piece(sep, -1))
        self.ids.insert(i, -1)

    def delete(self, i: int, locked: list[bool] | None = None) -> bool:
        """Delete word ``i`` with one adjoining whitespace gap; returns False if it had to keep it.

        ``locked`` (one flag per gap, updated in place) marks gaps inside protected spans, which
        are never removed or changed; a word whose removal would need that is kept.
        """
        lock = locked if locked is not None else [False] * len(self.gaps)
        before, after = i, i + 1
        g_before, g_after = self.gaps[before].text, self.gaps[after].text
        last = after == len(self.words)
        if not lock[after] and g_after.isspace() and (not last or not g_before):
            drop = after
        elif not lock[before] and g_before.isspace():
            drop = before
        elif not lock[after] and not g_after:
            drop = after
        elif not lock[before] and not g_before:
            drop = before
        elif not lock[before] and not lock[after]:
            # Punctuation on both sides ("(word)"): keep both, merged into one gap.
            self.gaps[before] = Piece(g_before + g_after, -1)
            drop = after
        else:
            return False
        del self.words[i]
        del self.ids[i]
        del self.gaps[drop]
        del lock[drop]
        return True

    def swap(self, i: int, j: int) -> None:
        """Exchange words ``i`` and ``j`` (gaps stay in place)."""
        self.words[i], self.words[j] = self.words[j], self.words[i]
        self.ids[i], self.ids[j] = self.ids[j], self.ids[i]

    # ------------------------------------------------------------------ offsets
    def map_span(self, start: int, end: int) -> tuple[int, int] | None:
        """New ``(start, end)`` of the original characters ``[start, end)``, or None if they did not survive."""
        if start == end:
            # An empty span keeps its place next to the surviving character that follows it.
            for piece, pos in _positions(self):
                if piece.origin >= 0 and piece.origin <= start <= piece.origin + len(piece.text):
                    return pos + start - piece.origin, pos + start - piece.origin
            return None
        placed: list[tuple[int, int, int]] = []  # (orig start, orig end, new start) of copied pieces
        for piece, pos in _positions(self):
            if piece.origin < 0 or not piece.text:
                continue
            lo, hi = piece.origin, piece.origin + len(piece.text)
            if hi <= start or lo >= end:
                continue
            placed.append((lo, hi, pos))
        if not placed:
            return None
        placed.sort(key=lambda t: t[2])
        # The characters must be contiguous in the output and in the same order.
        first_lo, _, first_pos = placed[0]
        new_start = first_pos + max(start, first_lo) - first_lo
        covered = max(start, first_lo)
        expect = new_start
        for lo, hi, pos in placed:
            seg_lo = max(lo, start)
            if seg_lo != covered or pos + seg_lo - lo != expect:
                return None
            seg_hi = min(hi, end)
            expect += seg_hi - seg_lo
            covered = seg_hi
        if covered != end:
            return None
        return new_start, expect


def _interleave(gaps: list[Piece], words: list[Piece]) -> list[Piece]:
    out = [gaps[0]]
    for w, g in zip(words, gaps[1:]):
        out.append(w)
        out.append(g)
    return out


def _positions(tokens: Tokens) -> list[tuple[Piece, int]]:
    out = []
    pos = 0
    for piece in _interleave(tokens.gaps, tokens.words):
        out.append((piece, pos))
        pos += len(piece.text)
    return out
